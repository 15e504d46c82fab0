#!/bin/sh
# agents-turns.t - the real opencode, Gemini CLI and Codex, from the npm
# registry, each run one non-interactive turn (opencode run, gemini -p,
# codex exec) in its shipped profile, with network.mode = "proxy",
# against a stand-in for its model API on the host's loopback
# (tests/tools/messages-api.py: Anthropic's Messages API for opencode,
# the Gemini API's streamGenerateContent for Gemini CLI, OpenAI's
# Responses API for Codex).  tests/agents-proxy.t does the same for
# Claude Code.  The test profiles only mount the install and add the
# stand-in's address to network.allow; the jail has its own network
# namespace, so a request can reach the host only through the
# launcher's proxy.  Each turn must answer the stand-in's word, the
# stand-in must have seen the request relayed (in absolute form: with
# Connection: close and no Proxy-* fields; tunnelled with CONNECT, which
# Gemini CLI uses even for http://: no Proxy-* fields), and the proxy
# must have refused nothing but what the agent is known to try besides.
# Without the address in the allowlist the turn fails, the stand-in sees
# nothing, and the launcher's summary and --jail-net-log name the
# address.  Both forms of launcher, as root and as the unprivileged user
# jailtest, each turn from a fresh project with a fresh fake home, at
# most 120 s.  And the turn on older kernels, played by build/nolandlock:
# one without Landlock, one with Landlock ABI 4 (Linux 6.8), where the
# abstract-socket scope that host mode needs is missing.  The agents
# are installed into build/agents/NAME (kept between runs, reinstalled
# when the registry has a newer version); an agent that cannot be
# installed has its cases skipped with the reason.
# TURNS="NAME..." runs only those agents (opencode, gemini-cli, codex).
. tests/lib.sh
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac

# Not under the source tree: the unprivileged user must reach it.
TMP=$(mktemp -d /tmp/jailc-agturns.XXXXXX) || exit 1
chmod 0755 "$TMP"
tap_user_runtime "$TMP" || exit 1
mock=
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$TMP"' EXIT
[ -n "${KEEP-}" ] && trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null' EXIT

NOLL=$PWD/build/nolandlock
SECS=120

# install NAME PACKAGE BIN: tap_npm_agent, for the agents TURNS names
# (all when it is unset).
install() {
	case " ${TURNS-$1} " in
	*" $1 "*) tap_npm_agent "$@" ;;
	*)
		prefix=$PWD/build/agents/$1
		skip="not named in TURNS ($TURNS)"
		tap_skip "install $2 from the npm registry" "$skip"
		;;
	esac
}

py=
for c in /usr/bin/python3 python3; do
	command -v "$c" >/dev/null 2>&1 && py=$(command -v "$c") && break
done
any_skip=
[ -z "$py" ] && any_skip="python3 not found"
[ -z "$any_skip" ] && ! command -v timeout >/dev/null &&
	any_skip="timeout not found"
[ -z "$any_skip" ] && ! command -v git >/dev/null && any_skip="git not found"

tap_jail_users
uid0=
[ "$(id -u)" = 0 ] && uid0=1

# (opencode colours its messages even with NO_COLOR and TERM=dumb)
esc=$(printf '\033')

# The stand-in, on a port of its choosing.
word=jailc-pong-$$
if [ -z "$any_skip" ]; then
	"$py" tests/tools/messages-api.py "$TMP/port" "$TMP/api.log" "$word" \
	    2>"$TMP/api.err" &
	mock=$!
	tap_waitfor "$TMP/port"
	tap $? "the model API stand-in listens"
	if [ ! -s "$TMP/port" ]; then
		tap_diag "$(cat "$TMP/api.err")"
		any_skip="the model API stand-in did not start"
	fi
fi
port=$(cat "$TMP/port" 2>/dev/null)

# compile NAME BIN: $TMP/NAME-ok.jail and $TMP/NAME-other.jail extend the
# shipped NAME with the install read-only and, in network.allow, the
# stand-in's address or another port; each into both forms.
compile() {
	for c_k in ok other; do
		c_allow=127.0.0.1:$port
		[ "$c_k" = other ] && c_allow=127.0.0.1:1
		printf 'version = 1\nextends = ["%s"]\n[[mount]]\nro = "%s"\n[network]\nallow = ["%s"]\n' \
		    "$1" "$prefix" "$c_allow" >"$TMP/$1-$c_k.jail"
		"$JAILC" compile --standalone \
		    -D PATH="$prefix/node_modules/.bin:/usr/bin:/bin" \
		    -o "$TMP/$1-$c_k.shell" "$TMP/$1-$c_k.jail" \
		    2>"$TMP/$1.err" &&
		    "$JAILC" compile -t exe \
		    -D PATH="$prefix/node_modules/.bin:/usr/bin:/bin" \
		    -o "$TMP/$1-$c_k.exe" "$TMP/$1-$c_k.jail" \
		    2>>"$TMP/$1.err" &&
		    chmod 0755 "$TMP/$1-$c_k.shell" "$TMP/$1-$c_k.exe" ||
		    {
			tap_diag "cannot compile $1-$c_k:" "$(cat "$TMP/$1.err")"
			return 1
		    }
	done
}

# as WHO COMMAND...: COMMAND as root, or as the unprivileged user.
as() {
	a_who=$1
	shift
	if [ "$a_who" = user ] && [ -n "$uid0" ]; then
		setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	else
		"$@"
	fi
}

# jenv VAR=VALUE... COMMAND...: COMMAND as $who with nothing of this
# environment but PATH (which finds bwrap), the fake home H, its user's
# name, TMPDIR, a plain terminal, and the variables given.
jenv() {
	as "$who" env -i PATH="$PATH" HOME="$H" USER="$(as "$who" id -un)" \
	    TMPDIR="$d/tmp" NO_COLOR=1 TERM=dumb "$@"
}

# turn NAME KIND [WRAPPER WHAT]: one turn of the agent NAME (the function
# go_NAME runs it with the launcher L, under WRAPPER WHAT when given)
# with the launcher NAME-KIND in $form, as $who,
# from a fresh git project with a fresh fake home H (which the function
# seed_NAME fills first); the launcher's refusals in $TMP/net.log, what
# the stand-in saw in $TMP/api.log.  Output in $TMP/out and $TMP/err,
# the status in rc; at most $SECS seconds.
turn() {
	d=$TMP/$who-$form-$1-$2${4:+-$4}
	wrap=${3-} wk=${4-}
	H=$d/home
	L=$TMP/$1-$2.$form
	rc=1
	: >"$TMP/out"
	: >"$TMP/err"
	mkdir -p "$H" "$d/tmp" "$d/proj" && chmod 0700 "$d/tmp" &&
		git init -q "$d/proj" && "seed_$(echo "$1" | tr - _)" ||
		return 1
	: >"$TMP/net.log"
	if [ "$who" = user ] && [ -n "$uid0" ]; then
		chown -R jailtest:jailtest "$d" && chmod 0666 "$TMP/net.log" ||
			return 1
	fi
	: >"$TMP/api.log"
	(cd "$d/proj" && "go_$(echo "$1" | tr - _)") >"$TMP/out" \
	    2>"$TMP/err" </dev/null
	rc=$?
	[ "$rc" -eq 124 ] &&
		tap_diag "$1 [$who, $form, $2]: no end after $SECS s, killed"
	return 0
}

# agent NAME LABEL BIN PATH RELAY ALSO [SAYS]: the cases of the agent NAME
# (LABEL in the descriptions, BIN its command), for each user and form:
# the turn through the proxy, the stand-in saw a POST to PATH (a basic
# regular expression) relayed in absolute form (RELAY = close) or
# through a CONNECT tunnel (RELAY = tunnel), and the proxy refused
# nothing but the host:port pairs of ALSO (an extended regular
# expression, or empty); then the turn with the stand-in not allowed,
# which must fail, and show the proxy's reason (which names the profile
# SAYS) where the agent shows it.
agent() {
	a_skip=${any_skip:-$skip}
	if [ -z "$a_skip" ]; then
		compile "$1"
		tap $? "$2: the test profiles compile (the stand-in's address allowed, or another port)"
		[ -x "$TMP/$1-other.exe" ] || a_skip="the test profiles did not compile"
	else
		tap_skip "$2: the test profiles compile" "$a_skip"
	fi
	for who in root user; do
		for form in shell exe; do
			l="$2 [$who, $form]"
			eval "s=\${a_skip:-\$${who}_skip}"
			if [ -z "$s" ] && [ "$who" = user ] &&
			    ! as user test -x "$prefix/node_modules/.bin/$3"; then
				s="jailtest cannot run $prefix/node_modules/.bin/$3"
			fi
			if [ -n "$s" ]; then
				tap_skip "$l: one turn through the proxy" "$s"
				continue
			fi
			turn "$1" ok
			[ "$rc" -eq 0 ] && grep -q -x -F "$word" "$TMP/out"
			r=$?
			tap $r "$l: one turn through the proxy answers the stand-in's word"
			[ $r = 0 ] || tap_diag "exit status $rc:" \
			    "$(cat "$TMP/out" "$TMP/err" | tail -n 40)"
			case $5 in
			close) a_relay='"connection": "close", "proxy_fields": \[\]' ;;
			*) a_relay='"proxy_fields": \[\]' ;;
			esac
			a_post="\"method\": \"POST\", \"path\": \"$4"
			grep -q "$a_post" "$TMP/api.log" &&
				! grep "$a_post" "$TMP/api.log" | grep -v -q "$a_relay"
			tap $? "$l: the stand-in saw the request, relayed by the proxy"
			[ -s "$TMP/api.log" ] || tap_diag "the stand-in saw nothing"
			grep -v -q "$a_post" "$TMP/api.log" &&
				tap_diag "the stand-in saw also:" \
				    "$(grep -v "$a_post" "$TMP/api.log")"
			if [ -n "$6" ]; then
				! grep -v -q -E "^[0-9]+ ($6) " "$TMP/net.log"
				tap $? "$l: nothing refused but $(echo "$6" | tr -d '\\' | sed 's/|/, /g')"
			else
				[ ! -s "$TMP/net.log" ]
				tap $? "$l: nothing refused"
			fi
			[ -s "$TMP/net.log" ] && tap_diag "refused:" "$(cat "$TMP/net.log")"

			turn "$1" other
			if [ -n "$7" ]; then
				[ "$rc" -ne 0 ] && ! grep -q -F "$word" "$TMP/out" &&
					grep -q "$7: 127.0.0.1:$port not in network.allow" \
					    "$TMP/out" "$TMP/err"
				tap $? "$l: not in the allowlist, the turn fails with the proxy's refusal"
			else
				[ "$rc" -ne 0 ] && ! grep -q -F "$word" "$TMP/out"
				tap $? "$l: not in the allowlist, the turn fails"
			fi
			tap_diag "exit status $rc; it says:" \
			    "$(grep -h -m 3 -e "$port" -e 403 "$TMP/out" "$TMP/err" |
			    sed "s/$esc\[[0-9;]*m//g")"
			[ ! -s "$TMP/api.log" ]
			tap $? "$l: ... and the stand-in sees nothing"
			grep -q "127.0.0.1:$port  *not in network.allow" "$TMP/err" &&
				grep -q -x "[0-9]* 127.0.0.1:$port not in network.allow" \
				    "$TMP/net.log"
			tap $? "$l: ... and the summary and --jail-net-log name it"
			grep -q "127.0.0.1:$port" "$TMP/err" "$TMP/net.log" ||
				tap_diag "$(tail -n 20 "$TMP/err"; cat "$TMP/net.log")"

			# An older kernel, played by build/nolandlock: without
			# Landlock for the single file, Landlock ABI 4 (Linux
			# 6.8, no abstract-socket scope) for the shell form.
			a_k=abi4 a_kern="Landlock ABI 4 (Linux 6.8)"
			[ "$form" = exe ] && a_k=nosys a_kern="a kernel without Landlock"
			if [ ! -x "$NOLL" ]; then
				tap_skip "$l, $a_kern: the turn runs" \
				    "build/nolandlock not built (make build/nolandlock)"
				continue
			fi
			turn "$1" ok "$NOLL" "$a_k"
			[ "$rc" -eq 0 ] && grep -q -x -F "$word" "$TMP/out" &&
				grep -q "\"method\": \"POST\", \"path\": \"$4" "$TMP/api.log"
			r=$?
			tap $r "$l, $a_kern: the turn runs"
			[ $r = 0 ] || tap_diag "exit status $rc:" \
			    "$(cat "$TMP/out" "$TMP/err" | tail -n 40)"
		done
	done
}

# --- opencode ----------------------------------------------------------
# Its anthropic provider, against the Messages API; the base URL ends in
# /v1.  Its catalogue download and update check are turned off; the
# proxy refuses its background install of @opencode-ai/plugin from the
# npm registry (not in its profile), and the run goes on.

seed_opencode() {
	:
}

go_opencode() {
	jenv ANTHROPIC_API_KEY=sk-ant-api03-jailc-test-not-a-key \
	    ANTHROPIC_BASE_URL="http://127.0.0.1:$port/v1" \
	    OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1 \
	    timeout "$SECS" ${wrap:+"$wrap" "$wk"} "$L" \
	    --jail-net-log "$TMP/net.log" \
	    run -m anthropic/claude-sonnet-4-5 'say the word'
}

install opencode opencode-ai opencode
agent opencode "opencode run" opencode '/v1/messages' close \
    'registry\.npmjs\.org:443' opencode

# --- Gemini CLI --------------------------------------------------------
# An API key, the base URL of the Gemini API, and a model named (the
# default, "auto", first asks a routing model).  Its settings, in the
# jail's own state directory that the profile binds at ~/.gemini: key
# authentication, no usage statistics, no update check, and no retry of
# a request whose connection failed (a CONNECT the proxy refuses is one:
# with the default it tries again, waiting longer each time, for more
# than 120 s).  Headless, it runs only in a trusted folder.  Refused,
# it says only "fetch failed sending request", not the proxy's reason.

seed_gemini_cli() {
	mkdir -p "$H/.local/state/jailc/gemini-cli" &&
		printf '%s\n' '{"security": {"auth": {"selectedType": "gemini-api-key"}},' \
		    ' "privacy": {"usageStatisticsEnabled": false},' \
		    ' "general": {"enableAutoUpdate": false,' \
		    '  "enableAutoUpdateNotification": false,' \
		    '  "retryFetchErrors": false}}' \
		    >"$H/.local/state/jailc/gemini-cli/settings.json"
}

go_gemini_cli() {
	jenv GEMINI_API_KEY=AIza-jailc-test-not-a-key \
	    GOOGLE_GEMINI_BASE_URL="http://127.0.0.1:$port" \
	    GEMINI_CLI_TRUST_WORKSPACE=true \
	    timeout "$SECS" ${wrap:+"$wrap" "$wk"} "$L" \
	    --jail-net-log "$TMP/net.log" \
	    -m gemini-2.5-flash -p 'say the word'
}

install gemini-cli @google/gemini-cli gemini
agent gemini-cli "gemini -p" gemini \
    '/v1beta/models/gemini-2.5-flash:streamGenerateContent' tunnel ''

# --- Codex -------------------------------------------------------------
# CODEX_API_KEY (which codex exec reads) and, in config.toml in the
# jail's own state directory that the profile binds at ~/.codex
# (CODEX_HOME), the base URL, no analytics, no plugin sync, no update
# check.  It first tries the Responses API over a WebSocket (tunnelled
# with CONNECT, even for http://), which the stand-in turns down with
# 426; then it posts the request, in absolute form.

seed_codex() {
	mkdir -p "$H/.local/state/jailc/codex" &&
		printf '%s\n' "openai_base_url = \"http://127.0.0.1:$port/v1\"" \
		    'check_for_update_on_startup = false' '[analytics]' \
		    'enabled = false' '[features]' 'plugins = false' \
		    >"$H/.local/state/jailc/codex/config.toml"
}

go_codex() {
	jenv CODEX_API_KEY=sk-jailc-test-not-a-key \
	    timeout "$SECS" ${wrap:+"$wrap" "$wk"} "$L" \
	    --jail-net-log "$TMP/net.log" \
	    exec 'say the word'
}

install codex @openai/codex codex
agent codex "codex exec" codex '/v1/responses' close '' codex

tap_done
