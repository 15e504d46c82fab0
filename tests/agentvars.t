#!/bin/sh
# agentvars.t - issue 15: the agents' own variables reach their jails.
#
# Each shipped agent profile, through both back ends (shell launcher and
# jailrun executable), as root and as the unprivileged user jailtest,
# in a real jail: every variable its agent's documentation names for the
# ways it is used (keys and gateway or subscription tokens, base URLs,
# headers, models, Bedrock and Vertex, proxies and CA files) arrives
# with its value.  The lists below are the agents' documentation (and
# ../shared/AGENTS.md), not the profiles: a variable dropped from a
# profile fails here.  Then the extra-from variable: a listed name
# arrives, or the launch says which rule refused it (status 125), and a
# listed name that is not set is reported; none is dropped in silence.
. tests/lib.sh

JAILRUN=${JAILC_BIN:-.}/jailrun
case $JAILRUN in
/*) ;;
*) JAILRUN=$PWD/$JAILRUN ;;
esac
export JAILRUN
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make jailrun)"
	exit 0
fi
if ! command -v git >/dev/null; then
	echo "1..0 # SKIP git not installed"
	exit 0
fi

PROXY="HTTPS_PROXY https_proxy HTTP_PROXY http_proxy NO_PROXY no_proxy"
vars() {
	case $1 in
	claude)
		echo ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN \
		    CLAUDE_CODE_OAUTH_TOKEN ANTHROPIC_BASE_URL \
		    ANTHROPIC_CUSTOM_HEADERS ANTHROPIC_MODEL \
		    ANTHROPIC_SMALL_FAST_MODEL ANTHROPIC_DEFAULT_OPUS_MODEL \
		    ANTHROPIC_DEFAULT_SONNET_MODEL ANTHROPIC_DEFAULT_HAIKU_MODEL \
		    CLAUDE_CODE_SUBAGENT_MODEL CLAUDE_CODE_USE_BEDROCK \
		    ANTHROPIC_BEDROCK_BASE_URL AWS_REGION AWS_PROFILE \
		    AWS_BEARER_TOKEN_BEDROCK CLAUDE_CODE_USE_VERTEX \
		    ANTHROPIC_VERTEX_PROJECT_ID CLOUD_ML_REGION \
		    VERTEX_REGION_CLAUDE_3_5_HAIKU \
		    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC DISABLE_TELEMETRY \
		    NODE_EXTRA_CA_CERTS SSL_CERT_FILE "$PROXY"
		;;
	opencode)
		echo ANTHROPIC_API_KEY OPENAI_API_KEY OPENROUTER_API_KEY \
		    GEMINI_API_KEY ANTHROPIC_BASE_URL OPENAI_BASE_URL \
		    AWS_REGION AWS_PROFILE AWS_BEARER_TOKEN_BEDROCK \
		    GOOGLE_CLOUD_PROJECT OPENCODE_CONFIG \
		    OPENCODE_DISABLE_AUTOUPDATE OPENCODE_DISABLE_MODELS_FETCH \
		    NODE_EXTRA_CA_CERTS SSL_CERT_FILE "$PROXY"
		;;
	gemini-cli)
		echo GEMINI_API_KEY GOOGLE_API_KEY GOOGLE_CLOUD_PROJECT \
		    GOOGLE_CLOUD_LOCATION GOOGLE_GENAI_USE_VERTEXAI \
		    GOOGLE_GEMINI_BASE_URL GOOGLE_VERTEX_BASE_URL GEMINI_MODEL \
		    GEMINI_CLI_TRUST_WORKSPACE NODE_EXTRA_CA_CERTS "$PROXY"
		;;
	codex)
		echo CODEX_API_KEY OPENAI_API_KEY OPENAI_BASE_URL \
		    CODEX_CA_CERTIFICATE SSL_CERT_FILE ALL_PROXY "$PROXY"
		;;
	crush)
		echo ANTHROPIC_API_KEY OPENAI_API_KEY OPENROUTER_API_KEY \
		    GEMINI_API_KEY GROQ_API_KEY AZURE_OPENAI_API_KEY \
		    AZURE_OPENAI_API_ENDPOINT AWS_REGION AWS_PROFILE \
		    AWS_BEARER_TOKEN_BEDROCK VERTEXAI_PROJECT VERTEXAI_LOCATION \
		    CRUSH_DISABLE_METRICS DO_NOT_TRACK SSL_CERT_FILE "$PROXY"
		;;
	esac
}
extra_var() {
	case $1 in
	claude) echo CLAUDE_JAIL_EXTRA_ENV ;;
	opencode) echo OPENCODE_JAIL_EXTRA_ENV ;;
	gemini-cli) echo GEMINI_JAIL_EXTRA_ENV ;;
	codex) echo CODEX_JAIL_EXTRA_ENV ;;
	crush) echo CRUSH_JAIL_EXTRA_ENV ;;
	esac
}
AGENTS="claude opencode crush gemini-cli codex"

T=$(mktemp -d /tmp/jailc-avars.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
cleanup() {
	chmod -R u+rwX "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
[ -n "${KEEP-}" ] && trap - EXIT
mkdir "$T/bin"
cat >"$T/run" <<'EOF'
#!/bin/sh
[ "$1" = --dangerously-skip-permissions ] && shift
exec "$@"
EOF
chmod 0755 "$T/run"

tap_jail_users

# jail NAME: a profile that extends the shipped NAME and runs $T/run (its
# arguments), for both back ends: $T/bin/NAME.shell and NAME.exe.
jail() {
	printf 'version = 1\nextends = ["%s"]\n[command]\nexec = "/jailc-run"\n[[mount]]\nro = "%s"\ndest = "/jailc-run"\n' \
	    "$1" "$T/run" >"$T/$1.jail"
	"$JAILC" compile --standalone -o "$T/bin/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/bin/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/bin/$1.shell" "$T/bin/$1.exe"
}
for a in $AGENTS; do
	jail "$a"
	tap $? "$a: a profile extending $a compiles for both back ends"
	[ -f "$T/bin/$a.exe" ] || tap_diag "$(cat "$T/$a.err")"
done

# setup WHO: a home, a project (a git repository), and the base
# environment file.
setup() {
	U=$T/$1
	mkdir -p "$U/home" "$U/tmp"
	git init -q "$U/p"
	printf "HOME='%s' USER='%s' TMPDIR='%s' PATH=/usr/bin:/bin\n" \
	    "$U/home" "$2" "$U/tmp" >"$U/env"
	if [ "$1" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$U"
	fi
}

# as WHO ENVFILE COMMAND...: COMMAND as WHO in WHO's project, with the
# environment of ENVFILE (sourced after env -i: no value on a command
# line).
as() {
	as_who=$1 as_env=$2
	shift 2
	set -- env -i /bin/sh -c 'set -a; . "$1"; set +a; cd "$2" && shift 2 &&
	    exec "$@"' sh "$as_env" "$T/$as_who/p" "$@"
	if [ "$as_who" = user ] && [ "$user_via" = setpriv ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	fi
	"$@"
}

# run_vars WHO AGENT BACKEND: every variable arrives with its value.
run_vars() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)"
	e=$T/$w/$a.env
	cp "$T/$w/env" "$e"
	# shellcheck disable=SC2046 # the names are words
	for v in $(vars "$a"); do
		echo "$v='value of $v'" >>"$e"
	done
	[ "$w" = user ] && [ "$user_via" = setpriv ] && chown jailtest "$e"
	as "$w" "$e" "$T/bin/$a.$b" /usr/bin/env >"$T/$w/out" 2>"$T/$w/err"
	rc=$?
	miss=
	# shellcheck disable=SC2046
	for v in $(vars "$a"); do
		grep -q -x -F -e "$v=value of $v" "$T/$w/out" || miss="$miss $v"
	done
	[ "$rc" = 0 ] && [ -z "$miss" ]
	tap $? "$l: each of its agent's $(vars "$a" | wc -w) documented variables arrives"
	[ "$rc" = 0 ] || tap_diag "exit $rc: $(head -n 3 "$T/$w/err")"
	[ -z "$miss" ] || tap_diag "missing:$miss"
}

# run_extra WHO AGENT BACKEND: the extra-from variable.
run_extra() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)"
	x=$(extra_var "$a")
	e=$T/$w/$a.extra
	# Listed and allowed by nothing else: arrives.  Listed and unset:
	# reported, and the launch goes on.
	{
		cat "$T/$w/env"
		echo "AWS_ACCESS_KEY_ID=AKIAEXAMPLE MY_OWN=mine"
		echo "$x=' AWS_ACCESS_KEY_ID, MY_OWN,,NOT_SET_HERE'"
	} >"$e"
	[ "$w" = user ] && [ "$user_via" = setpriv ] && chown jailtest "$e"
	as "$w" "$e" "$T/bin/$a.$b" /usr/bin/env >"$T/$w/out" 2>"$T/$w/err"
	rc=$?
	[ "$rc" = 0 ] && grep -q -x 'AWS_ACCESS_KEY_ID=AKIAEXAMPLE' "$T/$w/out" &&
		grep -q -x 'MY_OWN=mine' "$T/$w/out" &&
		grep -q "$x names NOT_SET_HERE, which is not set here" "$T/$w/err"
	tap $? "$l: names in $x arrive; an unset one is reported"
	[ "$rc" = 0 ] || tap_diag "exit $rc: $(cat "$T/$w/err")"
	# Listed and denied: the launch stops, naming the pattern and where.
	{
		cat "$T/$w/env"
		echo "GITHUB_TOKEN=ghp_example MY_OWN=mine"
		echo "$x='MY_OWN,GITHUB_TOKEN'"
	} >"$e"
	as "$w" "$e" "$T/bin/$a.$b" /bin/sh -c 'echo RAN' >"$T/$w/out" 2>"$T/$w/err"
	rc=$?
	[ "$rc" = 125 ] && ! grep -q RAN "$T/$w/out" &&
		grep -q "$x names GITHUB_TOKEN, which env.deny refuses: pattern 'GITHUB_TOKEN' ($a.jail:[0-9]*)" "$T/$w/err" &&
		! grep -q ghp_example "$T/$w/err"
	tap $? "$l: a name in $x that env.deny refuses stops the launch, naming the pattern"
	[ "$rc" = 125 ] || tap_diag "exit $rc: $(cat "$T/$w/err")"
	# Listed and set by the profile: the same.
	{
		cat "$T/$w/env"
		echo "$x=TMPDIR"
	} >"$e"
	as "$w" "$e" "$T/bin/$a.$b" /bin/sh -c 'echo RAN' >"$T/$w/out" 2>"$T/$w/err"
	rc=$?
	[ "$rc" = 125 ] && ! grep -q RAN "$T/$w/out" &&
		grep -q "$x names TMPDIR, which env.set gives its own value (base.jail:[0-9]*)" "$T/$w/err"
	tap $? "$l: a name in $x that env.set sets stops the launch, naming the setting"
	[ "$rc" = 125 ] || tap_diag "exit $rc: $(cat "$T/$w/err")"
}

for w in root user; do
	case $w in
	root) why=$root_skip ;;
	user) why=$user_skip ;;
	esac
	if [ -n "$why" ]; then
		tap_skip "$w: the agents' variables" "$why"
		continue
	fi
	uname=$(id -un)
	[ "$w" = user ] && [ "$user_via" = setpriv ] && uname=jailtest
	setup "$w" "$uname"
	for b in shell exe; do
		for a in $AGENTS; do
			run_vars "$w" "$a" "$b"
			run_extra "$w" "$a" "$b"
		done
	done
done

tap_done
