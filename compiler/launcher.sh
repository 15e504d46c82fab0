# The launcher's fixed part.  jailc embeds this file in every wrapper it
# emits (tools/embed.sh); the profile's part, jail_plan, follows it and
# calls these functions in plan order.  Variables and functions are
# prefixed jail_ so that nothing here meets a name from the host.

jail_mode=run
jail_failed=0
jail_root=''
jail_tree=''
jail_child=''
jail_sig=0
jail_args=()
jail_cmd=()
jail_dests=()
jail_binds=()
jail_bsrc=()
jail_bopt=()
jail_where=()
jail_allow=()
jail_deny=()
jail_setnames=()
jail_setvals=()
jail_redact=()
jail_extra=
jail_fdata=()
jail_mkpath=()
jail_mkmode=()
jail_mkwhere=()
jail_phpath=()
jail_phkind=()
jail_phdata=()
jail_phreal=()
jail_phmade=0
jail_bpf=''
jail_bpf_fd=''
jail_limits=()
jail_scopes=()
jail_cg_parent=''
jail_cg_rel=''
jail_cg_v2=0
jail_cg_max=''
jail_cg=''
jail_cgm=()
declare -A jail_made=() jail_pinned=() jail_gitval=()

jail_die() {
	printf '%s: %s\n' "$jail_name" "$1" >&2
	exit 125
}

# A problem with the host: fatal when launching, listed by --jail-check.
jail_fail() {
	if [ "$jail_mode" = check ]; then
		printf '%s: %s\n' "$jail_name" "$1" >&2
		jail_failed=1
	else
		jail_die "$1"
	fi
}

# REPLY = the absolute path $2 without empty components or a trailing
# slash; $1 names it in errors.  "." and ".." are refused, not resolved:
# a variable that holds them is not what the profile was checked for.
jail_norm() {
	local rest=$2 comp out=
	case $rest in
	/*) ;;
	*) jail_die "$1 is not an absolute path: '$2'" ;;
	esac
	while [ -n "$rest" ]; do
		rest=${rest#/}
		comp=${rest%%/*}
		rest=${rest#"$comp"}
		case $comp in
		'') ;;
		. | ..) jail_die "$1 has a '.' or '..' component: '$2'" ;;
		*) out=$out/$comp ;;
		esac
	done
	REPLY=${out:-/}
}

# An XDG base directory: the host's value when it is absolute, else the
# default the specification gives.
jail_xdg() {
	local val=${!1-}
	case $val in
	/*) jail_norm "$1" "$val" ;;
	*) REPLY=$2 ;;
	esac
}

# jail_realdir PATH: REPLY = the directory PATH leads to, every symbolic
# link resolved; fails when there is none.  cd -P and back rather than
# $(pwd -P) in a subshell: no fork, and no trailing newline of a name
# lost.  (CDPATH plays no part: PATH is absolute, or ".")
jail_realdir() {
	local here=$PWD
	builtin cd -P -- "$1" 2>/dev/null || return 1
	REPLY=$PWD
	builtin cd -- "$here" 2>/dev/null ||
		jail_die "cannot return to the directory $here"
}

# The project root: the main checkout of the git repository holding
# CWD, so that every worktree of one repository has one root and one
# PROJECT_ID; the worktree: the checkout holding CWD.  Outside a
# repository both are CWD.  Sets jail_root and jail_tree.
#
# This runs on the host, before any jail, in a directory the user did
# not necessarily make: .git and what it points to are the attacker's.
# So a .git that is a symbolic link is refused, a .git directory makes
# its directory the root whatever files it holds, and a .git file leads
# elsewhere only to a linked worktree its repository knows: the git
# directory is COMMON/worktrees/NAME and its gitdir file (written by git
# worktree add, in the repository) leads back to this .git.
jail_project_root() {
	local d=$jail_v_CWD gitdir='' line='' common
	[ -z "$jail_tree" ] || return 0
	while :; do
		if [ -L "$d/.git" ]; then
			jail_die "$d/.git is a symbolic link; refusing to follow it"
		elif [ -d "$d/.git" ]; then
			jail_root=$d jail_tree=$d
			return
		elif [ -f "$d/.git" ]; then
			break
		fi
		if [ "$d" = / ]; then
			jail_root=$jail_v_CWD jail_tree=$jail_v_CWD
			return
		fi
		d=${d%/*}
		d=${d:-/}
	done
	jail_root=$d jail_tree=$d
	IFS= read -r line <"$d/.git" || :
	case $line in
	'gitdir: '?*) gitdir=${line#gitdir: } ;;
	*) jail_die "$d/.git is not a git directory link" ;;
	esac
	case $gitdir in
	/*) ;;
	*) gitdir=$d/$gitdir ;;
	esac
	jail_realdir "$gitdir" || return 0
	gitdir=$REPLY
	[ -f "$gitdir/commondir" ] && [ -f "$gitdir/gitdir" ] || return 0
	IFS= read -r line <"$gitdir/commondir" || :
	case $line in
	/*) common=$line ;;
	*) common=$gitdir/$line ;;
	esac
	jail_realdir "$common" || return 0
	common=$REPLY
	[ "${gitdir%/*}" = "$common/worktrees" ] || return 0
	IFS= read -r line <"$gitdir/gitdir" || :
	case $line in
	*/.git) ;;
	*) return 0 ;;
	esac
	case $line in
	/*) ;;
	*) line=$gitdir/$line ;;
	esac
	jail_realdir "${line%/.git}" && [ "$REPLY" = "$d" ] || return 0
	case $common in
	*/.git) jail_root=${common%/.git} jail_root=${jail_root:-/} ;;
	esac
}

# The jail_v_ variables are read by jail_plan, whichever it uses.
# shellcheck disable=SC2034
jail_var() {
	case $1 in
	HOME)
		[ -n "${HOME-}" ] || jail_die "HOME is not set"
		jail_norm HOME "$HOME"
		jail_v_HOME=$REPLY
		;;
	USER)
		jail_v_USER=${USER-}
		if [ -z "$jail_v_USER" ]; then
			jail_v_USER=$(id -un) || jail_die "cannot find the user name"
		fi
		;;
	UID) jail_v_UID=$UID ;;
	CWD)
		jail_realdir . || jail_die "cannot find the current directory"
		jail_v_CWD=$REPLY
		;;
	PROJECT_ROOT)
		jail_project_root
		jail_v_PROJECT_ROOT=$jail_root
		;;
	WORKTREE)
		jail_project_root
		jail_v_WORKTREE=$jail_tree
		;;
	PROJECT_ID)
		REPLY=$(printf '%s' "$jail_v_PROJECT_ROOT" | sha256sum) ||
			jail_die "sha256sum failed"
		jail_v_PROJECT_ID=${REPLY:0:16}
		;;
	XDG_CONFIG_HOME)
		jail_xdg XDG_CONFIG_HOME "$jail_v_HOME/.config"
		jail_v_XDG_CONFIG_HOME=$REPLY
		;;
	XDG_CACHE_HOME)
		jail_xdg XDG_CACHE_HOME "$jail_v_HOME/.cache"
		jail_v_XDG_CACHE_HOME=$REPLY
		;;
	XDG_DATA_HOME)
		jail_xdg XDG_DATA_HOME "$jail_v_HOME/.local/share"
		jail_v_XDG_DATA_HOME=$REPLY
		;;
	XDG_STATE_HOME)
		jail_xdg XDG_STATE_HOME "$jail_v_HOME/.local/state"
		jail_v_XDG_STATE_HOME=$REPLY
		;;
	XDG_RUNTIME_DIR)
		jail_xdg XDG_RUNTIME_DIR "/run/user/$jail_v_UID"
		jail_v_XDG_RUNTIME_DIR=$REPLY
		;;
	*) jail_die "internal error: unknown variable $1" ;;
	esac
}

# The per-run directory.  Only a real launch makes one; the other modes
# show where it would go.
jail_workdir() {
	local base=${TMPDIR-}
	case $base in
	/*) ;;
	*) base=/tmp ;;
	esac
	if [ "$jail_mode" != run ]; then
		jail_norm TMPDIR "$base"
		jail_v_WORKDIR=$REPLY/jail.XXXXXXXXXX
		jail_made[$jail_v_WORKDIR]=1
		return
	fi
	jail_v_WORKDIR=$(mktemp -d -- "$base/jail.XXXXXXXXXX") ||
		jail_die "cannot make the work directory in $base"
	trap jail_cleanup EXIT
	jail_realdir "$jail_v_WORKDIR" || jail_die "cannot enter the work directory"
	jail_v_WORKDIR=$REPLY
}

# Remove the work directory and nothing else.  Neither chmod -R nor
# rm -r follows a symbolic link met inside the tree, so a link to a host
# directory is removed, not what it points to; chmod first, because the
# jailed program may have left directories it made read-only.
jail_cleanup() {
	jail_unpin
	jail_cgroup_remove
	if [ -n "${jail_v_WORKDIR-}" ] && [ -d "$jail_v_WORKDIR" ] &&
		[ ! -L "$jail_v_WORKDIR" ]; then
		chmod -R u+rwx -- "$jail_v_WORKDIR" 2>/dev/null || :
		rm -rf --one-file-system -- "$jail_v_WORKDIR" ||
			printf '%s: cannot remove %s\n' "$jail_name" "$jail_v_WORKDIR" >&2
	fi
}

# jail_mkdir PATH MODE WHERE: a host directory for a mount (create =
# true, or the protected git hooks), made by jail_make_dirs only once
# every check has passed, so that a refused launch changes nothing.
jail_mkdir() {
	[ -d "$1" ] && return
	jail_made[$1]=1
	jail_mkmode+=("$2")
	jail_mkpath+=("$1")
	jail_mkwhere+=("$3")
}

jail_make_dirs() {
	local i
	for ((i = 0; i < ${#jail_mkpath[@]}; i++)); do
		[ -d "${jail_mkpath[i]}" ] && continue
		# -m applies to the last directory only: parents are ordinary
		if ! mkdir -p -- "${jail_mkpath[i]%/*}/" ||
			! mkdir -m "${jail_mkmode[i]}" -- "${jail_mkpath[i]}"; then
			jail_die "cannot create ${jail_mkpath[i]} (for ${jail_mkwhere[i]})"
		fi
	done
}

# Whether NAME ($1) matches one of the glob patterns that follow: one
# match against @(p1|p2|...), which [[ ]] reads as an extended glob.
# Patterns hold only letters, digits, _ and * ? [ ] !, so joining them
# with | cannot make a different pattern.
jail_match() {
	local name=$1 IFS='|'
	shift
	[ $# -gt 0 ] || return 1
	# shellcheck disable=SC2053 # the right side is a pattern on purpose
	[[ $name == @($*) ]]
}

# The exported variables, by name in strcmp order, one a line.  Not
# compgen -e: bash built without readline (Nix's non-interactive bash)
# has no compgen.  ${!A*} lists the variables whose names start with A,
# sorted; ${!name@a} holds x for an exported one.  Entries of the
# environment whose names are not identifiers are not variables, so they
# never pass.  The launcher's own variables are not exported.
jail_exported() {
	local name
	for name in ${!A*} ${!B*} ${!C*} ${!D*} ${!E*} ${!F*} ${!G*} ${!H*} \
		${!I*} ${!J*} ${!K*} ${!L*} ${!M*} ${!N*} ${!O*} ${!P*} ${!Q*} \
		${!R*} ${!S*} ${!T*} ${!U*} ${!V*} ${!W*} ${!X*} ${!Y*} ${!Z*} \
		${!_*} ${!a*} ${!b*} ${!c*} ${!d*} ${!e*} ${!f*} ${!g*} ${!h*} \
		${!i*} ${!j*} ${!k*} ${!l*} ${!m*} ${!n*} ${!o*} ${!p*} ${!q*} \
		${!r*} ${!s*} ${!t*} ${!u*} ${!v*} ${!w*} ${!x*} ${!y*} ${!z*}; do
		# declared but unset: nothing to pass (and @a would trip -u)
		[[ -v $name ]] || continue
		case ${!name@a} in
		*x*) printf '%s\n' "$name" ;;
		esac
	done
}

# --clearenv, then the child environment as --setenv pairs: allowed host
# variables by name, extra names, then the profile's values.
jail_env() {
	local name list item i
	local -A passed=() exported=()
	jail_args+=(--clearenv)
	while IFS= read -r name; do
		exported[$name]=1
		jail_match "$name" "${jail_allow[@]}" || continue
		jail_match "$name" "${jail_deny[@]}" && continue
		jail_match "$name" "${jail_setnames[@]}" && continue
		jail_args+=(--setenv "$name" "${!name}")
		passed[$name]=1
	done < <(jail_exported)
	if [ -n "$jail_extra" ]; then
		list=${!jail_extra-}
		while [ -n "$list" ]; do
			item=${list%%,*}
			if [ "$item" = "$list" ]; then
				list=
			else
				list=${list#*,}
			fi
			item=${item#"${item%%[! ]*}"}
			item=${item%"${item##*[! ]}"}
			case $item in
			'') continue ;;
			[0-9]* | *[!A-Za-z0-9_]*)
				jail_fail "$jail_extra names '$item', which is not a variable name"
				continue
				;;
			esac
			[ -n "${passed[$item]-}" ] && continue
			jail_match "$item" "${jail_deny[@]}" && continue
			jail_match "$item" "${jail_setnames[@]}" && continue
			[ -n "${exported[$item]-}" ] || continue
			jail_args+=(--setenv "$item" "${!item}")
			passed[$item]=1
		done
	fi
	for ((i = 0; i < ${#jail_setnames[@]}; i++)); do
		jail_args+=(--setenv "${jail_setnames[i]}" "${jail_setvals[i]}")
	done
}

# Remember a destination for the order check.
jail_dest() {
	jail_dests+=("$1")
	jail_where+=("$2")
}

# A writable "/" or home directory is the whole point of a jail lost,
# however the path was spelt: compare where symbolic links lead.
jail_check_rw() {
	local real=$1 home=$jail_v_HOME
	! jail_realdir "$1" || real=$REPLY
	! jail_realdir "$jail_v_HOME" || home=$REPLY
	if [ "$real" = / ] || [ "${home#"$real"/}" != "$home" ] ||
		[ "$real" = "$home" ]; then
		jail_fail "refusing to mount $1 writable: it is or holds the home directory or / (mount at $2)"
		return 1
	fi
}

# jail_bind OPTION SRC DEST OPTIONAL WHERE
jail_bind() {
	# The same bind twice (${WORKTREE} is ${PROJECT_ROOT} in a main
	# checkout) is one bind; any other pair on one place is refused.
	local i
	for ((i = 0; i < ${#jail_binds[@]}; i++)); do
		[ "${jail_binds[i]}" = "$3" ] && [ "${jail_bsrc[i]}" = "$2" ] &&
			[ "${jail_bopt[i]}" = "$1" ] && return 0
	done
	if [ ! -e "$2" ] && [ -z "${jail_made[$2]-}" ]; then
		[ "$4" = 1 ] && return
		jail_fail "$2 does not exist (required by the mount at $5)"
		return
	fi
	case $1 in
	--bind | --bind-try | --dev-bind | --dev-bind-try)
		jail_check_rw "$2" "$5" || return 0
		;;
	esac
	jail_args+=("$1" "$2" "$3")
	jail_dest "$3" "$5"
	jail_binds+=("$3")
	jail_bsrc+=("$2")
	jail_bopt+=("$1")
}

# jail_fs OPTION MODE DEST WHERE: tmpfs, dir, proc, dev
jail_fs() {
	[ -n "$2" ] && jail_args+=(--perms "$2")
	jail_args+=("$1" "$3")
	jail_dest "$3" "$4"
}

# jail_symlink TARGET DEST WHERE
jail_symlink() {
	jail_args+=(--symlink "$1" "$2")
	jail_dest "$2" "$3"
}

# jail_data FD MODE DEST CONTENT WHERE: a read-only file from a pipe
jail_data() {
	[ -n "$2" ] && jail_args+=(--perms "$2")
	jail_args+=(--ro-bind-data "$1" "$3")
	jail_fdata[$1]=$4
	jail_dest "$3" "$5"
}

# A value for gitconfig: quoted, with what git's parser treats specially
# escaped.
jail_gitquote() {
	local v=$1
	v=${v//\\/\\\\}
	v=${v//\"/\\\"}
	v=${v//$'\n'/\\n}
	v=${v//$'\t'/\\t}
	REPLY=\"$v\"
}

# jail_gitconfig FD DEST WHERE: the host's name and e-mail, nothing else
# of its configuration (which may hold credential helpers).
jail_gitconfig() {
	local name='' email='' text='' rec key
	# One git for both values; -z ends each "key\nvalue" with a NUL, so
	# a value may hold anything.  The last value of a key wins, as with
	# git config --get.
	if command -v git >/dev/null; then
		while IFS= read -r -d '' rec; do
			key=${rec%%$'\n'*}
			[ "$key" = "$rec" ] && rec= || rec=${rec#*$'\n'}
			case $key in
			user.name) name=$rec ;;
			user.email) email=$rec ;;
			esac
		done < <(git config --global -z --get-regexp '^user\.(name|email)$' 2>/dev/null)
	fi
	if [ -n "$name$email" ]; then
		text='[user]'$'\n'
		if [ -n "$name" ]; then
			jail_gitquote "$name"
			text+=$'\tname = '$REPLY$'\n'
		fi
		if [ -n "$email" ]; then
			jail_gitquote "$email"
			text+=$'\temail = '$REPLY$'\n'
		fi
	fi
	jail_gitquote "$jail_v_PROJECT_ROOT"
	text+='[safe]'$'\n\tdirectory = '$REPLY$'\n'
	jail_data "$1" '' "$2" "$text" "$3"
}

# jail_pin_writable PATH: whether the deepest mount holding PATH is a
# writable bind of the same host path, so that PATH is the host's and
# the jail could change it.  Anything else (a read-only bind, a tmpfs, a
# pinned path) already keeps it from the host.
jail_pin_writable() {
	local i d best=-1 len=-1
	for ((i = 0; i < ${#jail_dests[@]}; i++)); do
		d=${jail_dests[i]}
		if [ "$d" = "$1" ] || [ "$d" = / ] || [ "${1#"$d"/}" != "$1" ]; then
			if [ "${#d}" -ge "$len" ]; then
				best=$i len=${#d}
			fi
		fi
	done
	[ "$best" -ge 0 ] || return 1
	d=${jail_dests[best]}
	# a directory pinned writable (.git) is a bind of itself
	[ "${jail_pinned[$d]-}" = --bind ] && return 0
	for ((i = 0; i < ${#jail_binds[@]}; i++)); do
		[ "${jail_binds[i]}" = "$d" ] || continue
		[ "${jail_bsrc[i]}" = "$d" ] || return 1
		case ${jail_bopt[i]} in
		--bind | --bind-try | --dev-bind | --dev-bind-try) return 0 ;;
		esac
		return 1
	done
	return 1
}

# jail_pin_add OPTION PATH WHERE: bind PATH onto itself, once.
jail_pin_add() {
	[ -z "${jail_pinned[$2]-}" ] || return 0
	jail_pinned[$2]=$1
	jail_args+=("$1" "$2" "$2")
	jail_dest "$2" "$3"
}

# jail_pin OPTION BASE REL DIR CONTENT WHERE: pin BASE/REL, walking
# down from BASE one component at a time without following a link.
jail_pin() {
	local cur=$2 rest=$3 comp
	while :; do
		comp=${rest%%/*}
		if [ "$comp" = "$rest" ]; then rest=''; else rest=${rest#*/}; fi
		cur=$cur/$comp
		# under a path pinned read-only already: nothing to do
		[ "${jail_pinned[$cur]-}" = --ro-bind ] && return 0
		if [ -L "$cur" ]; then
			# where the jail could replace the link, no pin can
			# hold it: refused
			if jail_pin_writable "$cur"; then
				jail_fail "$cur is a symbolic link; a protected path is not followed (replace the link, or name it in protect.remove) (for $6)"
				return 0
			fi
			# else the link stays; what it leads to is pinned
			# where a writable bind holds it (~/.bashrc into a
			# dotfiles checkout)
			[ -z "$rest" ] && [ "$1" = --ro-bind ] || return 0
			comp=$(readlink -e -- "$cur") && [ -n "$comp" ] &&
				jail_pin_writable "$comp" || return 0
			jail_pin_add --ro-bind "$comp" "$6"
			return 0
		fi
		if [ ! -e "$cur" ]; then
			# a missing one cannot be made: pin an empty one
			[ "$1" = --ro-bind ] && jail_pin_writable "$cur" || return 0
			if [ -n "$rest" ] || [ "$4" = 1 ]; then
				jail_phkind+=(dir) jail_phdata+=('')
			else
				jail_phkind+=(file) jail_phdata+=("$5")
			fi
			jail_phpath+=("$cur")
			jail_pin_add --ro-bind "$cur" "$6"
			return 0
		fi
		[ -n "$rest" ] || break
		# a file where a directory would be (a linked worktree's
		# .git): pin the file, for it says where git goes
		if [ ! -d "$cur" ]; then
			[ "$1" = --ro-bind ] && jail_pin_writable "$cur" || return 0
			jail_pin_add --ro-bind "$cur" "$6"
			return 0
		fi
	done
	if [ "$1" = --bind ]; then
		# a mount point only, and only where it is writable already
		[ -d "$cur" ] && jail_pin_writable "$cur" || return 0
		jail_check_rw "$cur" "$6" || return 0
	else
		jail_pin_writable "$cur" || return 0
	fi
	jail_pin_add "$1" "$cur" "$6"
}

# jail_protect OPTION BASE PATTERN DIR CONTENT WHERE: pin what PATTERN
# names under BASE (jail(5), PROTECTED PATHS).  A pattern with * or ?
# pins what matches at launch, in strcmp order of the paths, as jailrun
# sorts them; the pattern holds no other special character (jailc
# checked), and nothing from the environment changes how it globs.
jail_protect() {
	local m LC_ALL=C IFS= GLOBIGNORE
	local -a hits=()
	unset GLOBIGNORE
	case $3 in
	*[*?]*)
		shopt -s nullglob
		shopt -u dotglob nocaseglob failglob globstar
		# shellcheck disable=SC2206 # the pattern globs on purpose
		hits=("$2"/$3)
		shopt -u nullglob
		if [ "${#hits[@]}" -gt 1 ]; then
			mapfile -t -d '' hits < <(printf '%s\0' "${hits[@]}" | LC_ALL=C sort -z)
		fi
		for m in "${hits[@]}"; do
			jail_pin "$1" "$2" "${m#"$2"/}" "$4" "$5" "$6"
		done
		;;
	*) jail_pin "$@" ;;
	esac
}

# jail_git_get BASE KEY WHERE: REPLY = git configuration KEY of the
# checkout at BASE, as git reads it for the user (the repository's own
# configuration, the global and the system one; "~/" expanded), or ''
# when git is missing, KEY unset, or git cannot read the configuration
# there (status 128: a .git leading nowhere, a file it cannot parse), in
# which case it runs no hooks there either.  Any other status (an old
# git without --type) stops the launch.  Once for each BASE and KEY.
# --git-dir: git's own search would skip a repository another user owns
# (it would read no repository configuration then), and would go up
# past a .git it does not take for a repository.  Its output ends with a
# newline, which $(...) strips; jailrun strips the same.
jail_git_get() {
	local k="$2 $1" rc=0
	REPLY=
	if [ -n "${jail_gitval[$k]+set}" ]; then
		REPLY=${jail_gitval[$k]}
		return 0
	fi
	if command -v git >/dev/null; then
		REPLY=$(git --git-dir="$1/.git" config --type=path --get "$2" 2>/dev/null) ||
			rc=$?
		case $rc in
		0) ;;
		1 | 128) REPLY= ;;
		*)
			REPLY=
			jail_fail "cannot read $2 for $1: git exited $rc (git --git-dir=$1/.git config --get $2 says why) (for $3)"
			;;
		esac
	fi
	jail_gitval[$k]=$REPLY
}

# jail_protect_git OPTION BASE KEY DIR WHERE: pin the directory that git
# configuration KEY names for the checkout at BASE (core.hooksPath: the
# hooks git runs instead of .git/hooks), as jail_pin pins a directory.
# No .git at BASE: no checkout, and no git run.  A relative value is
# under BASE, where git runs hooks; the walk starts at the deepest mount
# above the path, since what lies above a mount point cannot be swapped.
jail_protect_git() {
	local val rest comp out='' n=0 trusted=0 d best=''
	[ -e "$2/.git" ] || [ -L "$2/.git" ] || return 0
	jail_git_get "$2" "$3" "$5"
	val=$REPLY rest=$REPLY
	[ -n "$val" ] || return 0
	# BASE is resolved already: a ".." may go up through it, but not
	# through a directory of the value, which the jail could swap for a
	# link that git would follow
	case $val in
	/*) ;;
	*)
		out=$2 d=${2//[!\/]/}
		n=${#d} trusted=${#d}
		;;
	esac
	while [ -n "$rest" ]; do
		comp=${rest%%/*}
		if [ "$comp" = "$rest" ]; then rest=''; else rest=${rest#*/}; fi
		case $comp in
		'' | .) ;;
		..)
			if [ "$n" -gt "$trusted" ]; then
				jail_fail "$3 = $val has a '..' after a directory the jail could replace; not followed (for $5)"
				return 0
			fi
			if [ "$n" -gt 0 ]; then
				out=${out%/*} n=$((n - 1)) trusted=$((n))
			fi
			;;
		*) out=$out/$comp n=$((n + 1)) ;;
		esac
	done
	[ -n "$out" ] || return 0
	for d in "${jail_dests[@]}"; do
		[ "$d" = / ] && d=''
		if [ "${out#"$d"/}" != "$out" ] && [ "${#d}" -ge "${#best}" ]; then
			best=$d
		fi
	done
	jail_pin "$1" "$best" "${out#"$best"/}" "$4" '' "$5: git:$3 = $val"
}

# Make the empty paths jail_pin noted, once every check has passed; the
# first one it cannot make stops the launch (something made it since).
jail_make_pins() {
	local i p
	for ((i = 0; i < ${#jail_phpath[@]}; i++)); do
		p=${jail_phpath[i]}
		if [ "${jail_phkind[i]}" = dir ]; then
			mkdir -m 0755 -- "$p" 2>/dev/null ||
				jail_die "cannot create $p (a protected path)"
		else
			# noclobber: O_EXCL, so no link planted here is followed
			set -C
			{ printf '%s' "${jail_phdata[i]}" >"$p"; } 2>/dev/null ||
				jail_die "cannot create $p (a protected path)"
			set +C
		fi
		jail_phmade=$((i + 1))
		jail_stays=1
		# where it was made, to remove it from there and nowhere else
		jail_realdir "${p%/*}" && jail_phreal[i]=$REPLY
	done
}

# Remove the empty paths this run made, last first, each only while it
# is still what was made: an empty directory, or a file holding the same
# bytes and not a link, in the directory it was made in (the jail may
# have moved a parent away and left a link to elsewhere in its place).
jail_unpin() {
	local i p data
	for ((i = jail_phmade - 1; i >= 0; i--)); do
		p=${jail_phpath[i]}
		if ! jail_realdir "${p%/*}" ||
			[ "$REPLY" != "${jail_phreal[i]-}" ]; then
			continue
		fi
		if [ "${jail_phkind[i]}" = dir ]; then
			[ -L "$p" ] || rmdir -- "$p" 2>/dev/null || :
		elif [ -f "$p" ] && [ ! -L "$p" ]; then
			data=
			IFS= read -r -d '' data <"$p" || :
			[ "$data" = "${jail_phdata[i]}" ] && rm -f -- "$p"
		fi
	done
	jail_phmade=0
}

# The machine the kernel runs: a filter is for one architecture's
# system call numbers.  /proc/sys/kernel/arch needs no fork; uname -m is
# for kernels older than 5.10, which lack it.
jail_machine() {
	REPLY=
	if [ -r /proc/sys/kernel/arch ]; then
		IFS= read -r REPLY </proc/sys/kernel/arch || :
	fi
	[ -n "$REPLY" ] || REPLY=$(uname -m) || REPLY=unknown
}

# jail_seccomp FD MACHINE BPF WHERE: the filter, as \xHH escapes, for
# bwrap's --seccomp.  Another machine's filter would check the wrong
# numbers, so it is refused.
jail_seccomp() {
	jail_machine
	if [ "$REPLY" != "$2" ]; then
		jail_fail "the seccomp filter is for $2, this machine is $REPLY (compile the profile here; $4)"
		return 0
	fi
	jail_args+=(--seccomp "$1")
	jail_bpf_fd=$1
	jail_bpf=$3
}

# jail_limit NAME VALUE: a resource limit for jail_set_limits.
jail_limit() {
	jail_limits+=("$1" "$2")
}

# jail_cgm: the cgroup mounts that may hold pids, three words each:
# mount point, type (cgroup or cgroup2), and rw, ro, or hidden for one
# that a later mount on or above its mount point hides (a read-only
# bind over /sys/fs/cgroup, as in many containers, hides the writable
# mounts below it, which mountinfo still lists first).  /proc/self/
# mountinfo lines are ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
# [TAGS...] - TYPE SOURCE SUPEROPTIONS; a mount of part of a hierarchy
# (ROOT not /) or at an escaped name (\040 for a space) is left out.
jail_cgroup_mounts() {
	local i j mp ro
	local -a f
	jail_cgm=()
	while IFS=' ' read -r -a f; do
		for ((i = 6; i < ${#f[@]}; i++)); do
			[ "${f[i]}" = - ] && break
		done
		mp=${f[4]-}
		[ -n "$mp" ] || continue
		for ((j = 0; j < ${#jail_cgm[@]}; j += 3)); do
			if [ "$mp" = / ] || [ "$mp" = "${jail_cgm[j]}" ] ||
				[ "${jail_cgm[j]#"$mp"/}" != "${jail_cgm[j]}" ]; then
				jail_cgm[j + 2]=hidden
			fi
		done
		case ${f[i + 1]-}:${f[3]-}:$mp in
		*\\*) continue ;;
		cgroup:/:/*)
			case ,${f[i + 3]-}, in
			*,pids,*) ;;
			*) continue ;;
			esac
			;;
		cgroup2:/:/*) ;;
		*) continue ;;
		esac
		ro=rw
		[[ ,${f[5]},${f[i + 3]-}, == *,ro,* ]] && ro=ro
		jail_cgm+=("$mp" "${f[i + 1]}" "$ro")
	done </proc/self/mountinfo
}

# A launch by root gets its nproc limit from a pids cgroup: the kernel
# applies RLIMIT_NPROC to no process of the host's uid 0 (copy_process
# exempts INIT_USER), and root in the jail is that uid outside.  The
# cgroup is made in the launcher's own, in the hierarchy that holds the
# pids controller (cgroup v1's pids, or v2's when its cgroup.controllers
# lists pids), so that the limits above it still count.
#
# jail_cgroup_find: whether one is needed, and where it would go:
# jail_cg_parent (a directory), jail_cg_rel (that cgroup as
# /proc/self/cgroup names it), jail_cg_v2, jail_cg_max.  Where there is
# none, the launch stops: never a root jail without its cap.
jail_cgroup_find() {
	local i j max='' rel1='' rel2='' why id ctl rel line mp dir type
	local nowhy='no cgroup hierarchy with the pids controller is mounted'
	[ "$UID" = 0 ] || [ "$EUID" = 0 ] || return 0
	for ((i = 0; i < ${#jail_limits[@]}; i += 2)); do
		[ "${jail_limits[i]}" = nproc ] && max=${jail_limits[i + 1]}
	done
	[ -n "$max" ] && [ "$max" != unlimited ] || return 0
	# pids.max takes at most PID_MAX_LIMIT, more pids than any
	# machine has
	[ "${#max}" -le 7 ] && [ "$max" -le 4194304 ] || max=4194304
	if [ ! -r /proc/self/mountinfo ] || [ ! -r /proc/self/cgroup ]; then
		jail_fail "cannot read /proc/self/mountinfo and /proc/self/cgroup (is /proc mounted?)"
		return 0
	fi
	while IFS=: read -r id ctl rel; do
		case $id:$ctl in
		0:) rel2=$rel ;;
		*) case ,$ctl, in *,pids,*) rel1=$rel ;; esac ;;
		esac
	done </proc/self/cgroup
	why=$nowhy
	jail_cgroup_mounts
	for ((j = 0; j < ${#jail_cgm[@]}; j += 3)); do
		mp=${jail_cgm[j]} type=${jail_cgm[j + 1]}
		if [ "${jail_cgm[j + 2]}" = hidden ]; then
			# v1's holds pids, v2's may not: the first names it
			if [ "$type" = cgroup ] || [ "$why" = "$nowhy" ]; then
				why="the cgroup file system at $mp is hidden under another mount"
			fi
			continue
		fi
		rel=$rel1
		[ "$type" = cgroup2 ] && rel=$rel2
		case $rel in
		/*) ;;
		*) continue ;;
		esac
		case $rel/ in
		*/../*)
			why="the launcher's cgroup $rel is outside its cgroup namespace"
			continue
			;;
		esac
		dir=${mp%/}${rel%/}
		if [ "$type" = cgroup2 ]; then
			# v2 offers pids only where no v1 hierarchy holds it
			line=
			if [ -r "$dir/cgroup.controllers" ]; then
				IFS= read -r line <"$dir/cgroup.controllers" || :
			fi
			case " $line " in
			*' pids '*) ;;
			*) continue ;;
			esac
		fi
		# a cgroup directory, not whatever covers the mount point
		if [ ! -d "$dir" ] || [ ! -f "$dir/cgroup.procs" ]; then
			why="the launcher's cgroup $dir is not there"
		elif [ "${jail_cgm[j + 2]}" = ro ]; then
			why="the cgroup file system at $mp is mounted read-only"
		else
			jail_cg_parent=$dir jail_cg_rel=$rel jail_cg_max=$max
			[ "$type" = cgroup2 ] && jail_cg_v2=1
			break
		fi
	done
	if [ -z "$jail_cg_parent" ]; then
		jail_fail "process.limits.nproc cannot bind a jail launched by root: the kernel does not apply RLIMIT_NPROC to uid 0, and $why; launch it as an unprivileged user, or remove the limit from $jail_file"
	elif [ "$jail_mode" = check ]; then
		printf '%s: process.limits.nproc binds root through a pids cgroup in %s\n' \
			"$jail_name" "$jail_cg_parent"
	fi
}

# Make this run's cgroup, jailc.PID, with its pids.max; the launcher
# stays, to remove it after.  On v2 the controller must be enabled in
# the parent first: pids is a threaded controller, so the parent may
# hold processes (the launcher) and still enable it.
jail_cgroup() {
	local line=''
	[ -n "$jail_cg_parent" ] || return 0
	if [ "$jail_cg_v2" = 1 ]; then
		IFS= read -r line <"$jail_cg_parent/cgroup.subtree_control" 2>/dev/null || :
		case " $line " in
		*' pids '*) ;;
		*)
			if [ ! -f "$jail_cg_parent/cgroup.subtree_control" ] ||
				! { printf '+pids\n' >"$jail_cg_parent/cgroup.subtree_control"; } 2>/dev/null; then
				jail_die "cannot enable the pids controller in $jail_cg_parent/cgroup.subtree_control"
			fi
			;;
		esac
	fi
	mkdir -- "$jail_cg_parent/jailc.$$" 2>/dev/null ||
		jail_die "cannot make the cgroup $jail_cg_parent/jailc.$$"
	jail_cg=$jail_cg_parent/jailc.$$
	jail_stays=1
	# > would make a file that is not there: only the kernel's
	if [ ! -f "$jail_cg/pids.max" ] ||
		! { printf '%s\n' "$jail_cg_max" >"$jail_cg/pids.max"; } 2>/dev/null; then
		jail_die "cannot set pids.max of the cgroup $jail_cg to $jail_cg_max"
	fi
}

# In the process that becomes bwrap: move into the cgroup, and check
# that /proc/self/cgroup now names it.  The parent removes it on failure.
jail_cgroup_enter() {
	local id ctl rel want=${jail_cg_rel%/}/jailc.$$ in=0
	[ -n "$jail_cg" ] || return 0
	if [ ! -f "$jail_cg/cgroup.procs" ] ||
		! { printf '%s\n' "$BASHPID" >"$jail_cg/cgroup.procs"; } 2>/dev/null; then
		jail_die "cannot move the jail into the cgroup $jail_cg"
	fi
	while IFS=: read -r id ctl rel; do
		if [ "$jail_cg_v2" = 1 ]; then
			[ "$id:$ctl" = 0: ] || continue
		else
			case ,$ctl, in *,pids,*) ;; *) continue ;; esac
		fi
		[ "$rel" = "$want" ] && in=1
	done </proc/self/cgroup
	[ "$in" = 1 ] || jail_die "cannot move the jail into the cgroup $jail_cg"
}

# Remove this run's cgroup: that one directory, by rmdir, which takes
# only an empty cgroup and never follows a link.  A process just reaped
# keeps its cgroup busy until its last switch out, a moment later, so
# rmdir is tried again after 1 ms, 2 ms, ... for about a second in all;
# a process left in it (a jail without its own pid namespace can leave
# one) keeps it, and that is reported.
jail_cgroup_remove() {
	local cg=$jail_cg line='' ms s
	[ -n "$cg" ] || return 0
	jail_cg=''
	for ((ms = 1; ms < 1000; ms *= 2)); do
		[ -d "$cg" ] && [ ! -L "$cg" ] || return 0
		rmdir -- "$cg" 2>/dev/null && return 0
		printf -v s '0.%03d' "$ms"
		sleep "$s"
	done
	IFS= read -r line <"$cg/cgroup.procs" 2>/dev/null || :
	if [ -n "$line" ]; then
		printf '%s: cannot remove the cgroup %s: a process of the jail is still in it\n' \
			"$jail_name" "$cg" >&2
	else
		printf '%s: cannot remove the cgroup %s\n' "$jail_name" "$cg" >&2
	fi
}

# Set the limits in this process, the one that becomes bwrap, soft and
# hard alike, after moving it into the run's cgroup, if any.  ulimit
# counts sizes in KiB, except -c and -f in POSIX mode (SHELLOPTS in the
# environment can ask for it), in 512 bytes.
jail_set_limits() {
	local i name val flag blk=1024
	jail_cgroup_enter
	[[ -o posix ]] && blk=512
	for ((i = 0; i < ${#jail_limits[@]}; i += 2)); do
		name=${jail_limits[i]} val=${jail_limits[i + 1]}
		case $name in
		nofile) flag=-n ;;
		nproc) flag=-u ;;
		as) flag=-v ;;
		fsize) flag=-f ;;
		cpu) flag=-t ;;
		core) flag=-c ;;
		*) jail_die "internal error: unknown limit $name" ;;
		esac
		if [ "$val" != unlimited ]; then
			case $name in
			as) val=$((val / 1024)) ;;
			fsize | core) val=$((val / blk)) ;;
			esac
		fi
		ulimit "$flag" "$val" 2>/dev/null ||
			jail_die "cannot set the $name limit to ${jail_limits[i + 1]}"
	done
}

# bwrap sets mounts up in order, and a mount hides whatever an earlier
# one put beneath it.  jailc ordered them by the variables' usual
# places; now that the values are known, check that no mount lands on
# or above an earlier one.
jail_check_order() {
	local i j a b n=${#jail_dests[@]} inside=0
	# The command starts in CWD, which must be on a bind from the host;
	# bwrap's "Can't chdir" would say less.
	for a in "${jail_binds[@]}"; do
		if [ "$a" = / ] || [ "$a" = "$jail_v_CWD" ] ||
			[ "${jail_v_CWD#"$a"/}" != "$jail_v_CWD" ]; then
			inside=1
		fi
	done
	[ "$inside" = 1 ] ||
		jail_fail "the current directory $jail_v_CWD is not in the jail (no mount holds it)"
	# Each destination once (the first), then each one's ancestors: a
	# mount on an ancestor that comes later hides it.  Linear in the
	# mounts times their depth, not quadratic.
	local -A at=()
	for ((i = 0; i < n; i++)); do
		a=${jail_dests[i]}
		if [ -n "${at[$a]-}" ]; then
			j=${at[$a]}
			jail_fail "two mounts on $a (at ${jail_where[j]} and ${jail_where[i]})"
		else
			at[$a]=$i
		fi
	done
	for ((i = 0; i < n; i++)); do
		a=${jail_dests[i]}
		b=$a
		while [ "$b" != / ]; do
			b=${b%/*}
			b=${b:-/}
			j=${at[$b]-}
			if [ -n "$j" ] && [ "$j" -gt "$i" ]; then
				jail_fail "the mount on $b (at ${jail_where[j]}) would hide the mount on $a (at ${jail_where[i]})"
			fi
		done
	done
}

# Close every descriptor the launcher inherited above 2: a descriptor
# open on a host directory is a way out of any mount namespace.  (255 is
# bash's own, closed on exec.)
jail_closefds() {
	local fd key flags
	[ -d /proc/self/fd ] ||
		jail_die "cannot list open descriptors: /proc is not mounted"
	for fd in /proc/self/fd/*; do
		fd=${fd##*/}
		case $fd in
		0 | 1 | 2 | *[!0-9]*) continue ;;
		esac
		# bash's own descriptors (the script's, at 255 or below when
		# 255 was taken) are close-on-exec and never reach bwrap; any
		# other one is closed, whatever its number.
		# (the glob's own descriptor is gone by now)
		[ -e "/proc/self/fdinfo/$fd" ] || continue
		flags=0
		while read -r key flags; do
			[ "$key" = flags: ] && break
		done <"/proc/self/fdinfo/$fd"
		((8#$flags & 8#2000000)) && continue
		eval "exec $fd>&-"
	done
}

jail_redacted() {
	local up=${1^^}
	jail_match "$up" "${jail_redact[@]}"
}

jail_dry_run() {
	local i a out=$jail_bwrap name fd
	for ((i = 0; i < ${#jail_args[@]}; i++)); do
		a=${jail_args[i]}
		case $a in
		--setenv)
			name=${jail_args[i + 1]}
			printf -v out '%s \\\n    --setenv %q' "$out" "$name"
			if jail_redacted "$name"; then
				out+=' <redacted>'
			else
				printf -v out '%s %q' "$out" "${jail_args[i + 2]}"
			fi
			i=$((i + 2))
			;;
		--*) printf -v out '%s \\\n    %q' "$out" "$a" ;;
		*) printf -v out '%s %q' "$out" "$a" ;;
		esac
	done
	printf -v out '%s \\\n    --' "$out"
	for a in "${jail_cmd[@]}" "$@"; do
		printf -v out '%s %q' "$out" "$a"
	done
	printf '%s\n' "$out"
	for fd in "${!jail_fdata[@]}"; do
		printf '\n# descriptor %s:\n%s' "$fd" "${jail_fdata[fd]}"
	done
	if [ -n "$jail_bpf_fd" ]; then
		printf '\n# descriptor %s: a seccomp filter of %d instructions\n' \
			"$jail_bpf_fd" $((${#jail_bpf} / 32))
	fi
	for ((i = 0; i < ${#jail_limits[@]}; i += 2)); do
		printf '# limit %s %s\n' "${jail_limits[i]}" "${jail_limits[i + 1]}"
	done
	if [ -n "$jail_cg_parent" ]; then
		printf '# cgroup %s/jailc.PID pids.max %s\n' "$jail_cg_parent" "$jail_cg_max"
	fi
	for a in "${jail_scopes[@]}"; do
		printf '# scope %s\n' "$a"
	done
}

# The word count, the words, then each data descriptor's number and
# content, the seccomp filter's descriptor and bytes in hex, one
# "limit NAME VALUE" per limit and one "scope NAME" per Landlock scope:
# all NUL-terminated, so that any word (an empty one too) is read back
# exactly.
jail_print_argv() {
	local fd i argv=("$jail_bwrap" "${jail_args[@]}" -- "${jail_cmd[@]}" "$@")
	printf '%s\0' "${#argv[@]}" "${argv[@]}"
	for fd in "${!jail_fdata[@]}"; do
		printf '%s\0' "$fd" "${jail_fdata[fd]}"
	done
	if [ -n "$jail_bpf_fd" ]; then
		printf '%s\0' "$jail_bpf_fd" "${jail_bpf//\\x/}"
	fi
	for ((i = 0; i < ${#jail_limits[@]}; i += 2)); do
		printf 'limit %s %s\0' "${jail_limits[i]}" "${jail_limits[i + 1]}"
	done
	for i in "${jail_scopes[@]}"; do
		printf 'scope %s\0' "$i"
	done
}

# Whether the options hold the word $1.
jail_has_arg() {
	local a
	for a in "${jail_args[@]}"; do
		[ "$a" = "$1" ] && return 0
	done
	return 1
}

jail_check() {
	local path version
	if ! path=$(command -v -- "$jail_bwrap"); then
		printf '%s: bwrap not found (looked for %s)\n' "$jail_name" "$jail_bwrap" >&2
		jail_failed=1
	else
		version=$("$path" --version 2>&1) || version='(no version)'
		printf '%s: using %s: %s\n' "$jail_name" "$path" "$version"
		if ! "$path" --unshare-user --ro-bind / / -- /bin/sh -c : 2>/dev/null; then
			printf '%s: bwrap cannot create a user namespace here\n' "$jail_name" >&2
			jail_failed=1
		elif jail_has_arg --disable-userns &&
			! "$path" --unshare-user --disable-userns --ro-bind / / -- /bin/sh -c : 2>/dev/null; then
			printf '%s: bwrap cannot run --disable-userns here (it needs bwrap 0.8)\n' "$jail_name" >&2
			jail_failed=1
		fi
	fi
	if [ ${#jail_scopes[@]} -gt 0 ]; then
		if ! path=$(command -v -- "$jail_scope"); then
			printf '%s: jailscope not found (looked for %s)\n' "$jail_name" "$jail_scope" >&2
			jail_failed=1
		elif ! "$path" -n "$jail_name" --check "${jail_scopes[@]}"; then
			jail_failed=1
		fi
	fi
	if [ "$jail_failed" = 0 ]; then
		printf '%s: ready\n' "$jail_name"
		return 0
	fi
	return 1
}

jail_help() {
	cat <<EOF
usage: ${0##*/} [--jail-dry-run | --jail-check | --jail-print-argv | --jail-help] [ARGS...]

Run ${jail_cmd_name} inside the jail "$jail_name" (jailc profile $jail_file).
ARGS go to ${jail_cmd_name} unchanged.  Launcher flags are recognised only
as the first argument:

  --jail-dry-run     print the bwrap command and environment (secrets hidden)
  --jail-check       check that this host can run the jail, run nothing
  --jail-print-argv  write bwrap's arguments NUL-separated, for tests
  --jail-help        show this help

Exit status: the command's own; 128+N when it dies of signal N;
125 when the launcher cannot start the jail.
EOF
}

# Become bwrap, with an empty environment: it stays in the jail as its
# process 1, whose /proc/1/environ the jailed command can read; the
# command's own comes from --clearenv and --setenv in the data.  A
# Landlock scope takes system calls bash cannot make: jailscope makes
# them and runs bwrap, by path, as it searches no PATH.
jail_exec() {
	local bw=$jail_bwrap found=1
	if [ ${#jail_scopes[@]} = 0 ]; then
		exec -c "$jail_bwrap" --args 3 -- "${jail_cmd[@]}" "$@"
	fi
	if [[ $jail_scope == */* ]]; then
		[ -x "$jail_scope" ] || found=0
	else
		hash -- "$jail_scope" 2>/dev/null || found=0
	fi
	if [ "$found" = 0 ]; then
		printf '%s: jailscope not found (looked for %s); it comes with jailc\n' "$jail_name" "$jail_scope" >&2
		exit 125
	fi
	if [[ $bw != */* ]]; then
		if ! hash -- "$bw" 2>/dev/null; then
			printf '%s: cannot run %s: No such file or directory\n' "$jail_name" "$bw" >&2
			exit 127
		fi
		bw=${BASH_CMDS[$bw]}
	fi
	exec -c "$jail_scope" -n "$jail_name" "${jail_scopes[@]}" -- "$bw" --args 3 -- "${jail_cmd[@]}" "$@"
}

jail_run() {
	local status
	jail_make_dirs
	trap jail_cleanup EXIT
	jail_make_pins
	jail_cgroup
	jail_closefds
	jail_open_fds
	if [ "$jail_stays" = 0 ]; then
		jail_set_limits
		jail_exec "$@"
	fi
	# Stay, so that the work directory can be removed afterwards.  A
	# background job of a script starts with SIGINT and SIGQUIT ignored
	# and stdin from /dev/null; undo both, so that the jail behaves as
	# it would in the foreground.
	(
		trap - INT QUIT
		jail_set_limits
		jail_exec "$@"
	) <&0 &
	jail_child=$!
	jail_close_fds_parent
	jail_sig=0
	trap 'jail_sig=2; kill -INT "$jail_child" 2>/dev/null || :' INT
	trap 'jail_sig=15; kill -TERM "$jail_child" 2>/dev/null || :' TERM
	trap 'jail_sig=1; kill -HUP "$jail_child" 2>/dev/null || :' HUP
	while kill -0 "$jail_child" 2>/dev/null; do
		wait "$jail_child" || :
	done
	status=0
	wait "$jail_child" || status=$?
	# bash (5.2 at least) can lose the status of a child reaped while a
	# trap ran, and wait then returns -1.  The child was sent jail_sig
	# and is gone: it died of it.
	if [ "$status" -lt 0 ] || [ "$status" -gt 255 ]; then
		status=125
		[ "$jail_sig" = 0 ] || status=$((128 + jail_sig))
	fi
	trap - INT TERM HUP
	jail_cleanup
	trap - EXIT
	exit "$status"
}

jail_main() {
	case ${1-} in
	--jail-dry-run) jail_mode=dry ;;
	--jail-check) jail_mode=check ;;
	--jail-print-argv) jail_mode=print ;;
	--jail-help) jail_mode=help ;;
	--jail-*) jail_die "unknown launcher flag '$1' (see --jail-help)" ;;
	esac
	[ "$jail_mode" = run ] || shift
	if [ "$jail_mode" = help ]; then
		jail_help
		exit 0
	fi
	jail_plan
	jail_check_order
	jail_cgroup_find
	case $jail_mode in
	check)
		jail_check || exit 1
		;;
	dry) jail_dry_run "$@" ;;
	print) jail_print_argv "$@" ;;
	run) jail_run "$@" ;;
	esac
}
