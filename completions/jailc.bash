# bash completion for jailc                                -*- shell-script -*-
# Installed as $(PREFIX)/share/bash-completion/completions/jailc.

_jailc()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -n = || return
	else
		# No bash-completion: take the words as bash split them, but
		# join NAME = VALUE back into one word (= is in COMP_WORDBREAKS).
		local j w
		words=()
		cword=0
		for ((j = 0; j < ${#COMP_WORDS[@]}; j++)); do
			w=${COMP_WORDS[j]}
			if ((${#words[@]} > 1)) &&
			    [[ $w == = || ${words[${#words[@]} - 1]} == *= ]]; then
				words[${#words[@]} - 1]+=$w
			else
				words+=("$w")
			fi
			((j == COMP_CWORD)) && cword=$((${#words[@]} - 1))
		done
		cur=${words[cword]}
		prev=${words[cword - 1]}
	fi
	COMPREPLY=()

	# The subcommand: the first word after jailc that is not an option.
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*)
			cmd=${words[i]}
			break
			;;
		esac
	done

	local opts
	case $cmd in
	"")
		if [[ $cur == -* ]]; then
			opts="--help --version"
		else
			opts="check compile diff explain rules run score state why"
		fi
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return 0
		;;
	check)
		case $prev in
		--format)
			mapfile -t COMPREPLY < <(compgen -W "text json sarif" -- "$cur")
			return 0
			;;
		--input-format)
			mapfile -t COMPREPLY < <(compgen -W "toml yaml" -- "$cur")
			return 0
			;;
		--min-severity)
			mapfile -t COMPREPLY < <(compgen -W "note warning error" -- "$cur")
			return 0
			;;
		--explain)
			# The rule IDs, from the jailc being completed.
			local ids
			ids=$("${words[0]}" rules 2>/dev/null | cut -d' ' -f1)
			mapfile -t COMPREPLY < <(compgen -W "$ids" -- "$cur")
			return 0
			;;
		esac
		opts="--format --strict --min-severity --explain --input-format -h --help"
		;;
	score)
		case $prev in
		--format)
			mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
			return 0
			;;
		--input-format)
			mapfile -t COMPREPLY < <(compgen -W "toml yaml" -- "$cur")
			return 0
			;;
		--threshold)
			return 0
			;;
		esac
		opts="--format --threshold --input-format -h --help"
		;;
	compile)
		case $prev in
		-t)
			mapfile -t COMPREPLY < <(compgen -W "shell blob exe plan packages" -- "$cur")
			return 0
			;;
		-D)
			if [[ $cur == *=* ]]; then
				# BWRAP=, GIT=, DBUS_PROXY= and JAILRUN= name a
				# file, PATH= directories.
				local name=${cur%%=*} val=${cur#*=}
				if [[ $name == BWRAP || $name == GIT ||
				    $name == DBUS_PROXY || $name == JAILRUN ]]; then
					mapfile -t COMPREPLY < <(compgen -f -- "$val")
				else
					mapfile -t COMPREPLY < <(compgen -d -- "$val")
				fi
				# Readline replaces only the text after the =, unless
				# = does not break words.
				[[ $COMP_WORDBREAKS == *=* ]] ||
				    COMPREPLY=("${COMPREPLY[@]/#/$name=}")
			else
				mapfile -t COMPREPLY < <(compgen -W "BWRAP= GIT= DBUS_PROXY= JAILRUN= PATH=" -- "$cur")
				compopt -o nospace 2>/dev/null
			fi
			return 0
			;;
		-o)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return 0
			;;
		--input-format)
			mapfile -t COMPREPLY < <(compgen -W "toml yaml" -- "$cur")
			return 0
			;;
		esac
		opts="-t --standalone -o -D --input-format -h --help"
		;;
	rules)
		opts="-h --help"
		;;
	state)
		if [[ $prev == state ]]; then
			mapfile -t COMPREPLY < <(compgen -W "list gc -h --help" -- "$cur")
			return 0
		fi
		opts="--remove -h --help"
		;;
	run)
		# after the profile, the words are the launcher's
		[[ $prev == run ]] || return 0
		opts="-h --help"
		;;
	explain | diff)
		case $prev in
		--format)
			mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
			return 0
			;;
		--input-format)
			mapfile -t COMPREPLY < <(compgen -W "toml yaml" -- "$cur")
			return 0
			;;
		esac
		opts="--format --input-format -h --help"
		[[ $cmd == explain ]] && opts="--resolve $opts"
		;;
	why)
		case $prev in
		--format)
			mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
			return 0
			;;
		--input-format)
			mapfile -t COMPREPLY < <(compgen -W "toml yaml" -- "$cur")
			return 0
			;;
		esac
		opts="--format --input-format -h --help"
		;;
	*)
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return 0
	fi
	[[ $cmd == rules ]] && return 0
	# Profiles: *.jail, *.toml, *.yaml, *.yml, and directories to reach them.
	compopt -o filenames 2>/dev/null
	local f
	while IFS= read -r f; do
		if [[ -d $f ]]; then
			COMPREPLY+=("$f")
		else
			case $f in
			*.jail | *.toml | *.yaml | *.yml) COMPREPLY+=("$f") ;;
			esac
		fi
	done < <(compgen -f -- "$cur")
	return 0
}
complete -F _jailc jailc
