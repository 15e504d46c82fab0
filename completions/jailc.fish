# fish completion for jailc; installed as
# $(PREFIX)/share/fish/vendor_completions.d/jailc.fish.

set -l commands check compile diff explain rules run score state why

# Profiles for positional arguments: *.jail, *.toml, *.yaml, *.yml (and
# directories on the way to them).
function __jailc_profiles
    set -l tok (commandline -ct)
    for f in (__fish_complete_path $tok | string replace -r '\t.*' '')
        switch $f
            case '*/' '*.jail' '*.toml' '*.yaml' '*.yml'
                echo $f
        end
    end
end

# -D BWRAP=PATH, GIT=PATH, DBUS_PROXY=PATH or JAILRUN=PATH (a file), or
# -D PATH=DIRS (directories).
function __jailc_define
    set -l tok (commandline -ct)
    switch $tok
        case 'BWRAP=*'
            __fish_complete_path (string replace BWRAP= '' -- $tok) | string replace -r '^' BWRAP=
        case 'GIT=*'
            __fish_complete_path (string replace GIT= '' -- $tok) | string replace -r '^' GIT=
        case 'DBUS_PROXY=*'
            __fish_complete_path (string replace DBUS_PROXY= '' -- $tok) | string replace -r '^' DBUS_PROXY=
        case 'JAILRUN=*'
            __fish_complete_path (string replace JAILRUN= '' -- $tok) | string replace -r '^' JAILRUN=
        case 'PATH=*'
            __fish_complete_directories (string replace PATH= '' -- $tok) | string replace -r '^' PATH=
        case '*'
            printf '%s\n' BWRAP= GIT= DBUS_PROXY= JAILRUN= PATH=
    end
end

complete -c jailc -f

# jailc [--help] [--version] COMMAND
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -l help -d 'Show the help'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -l version -d 'Show the version'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a check -d 'Validate profiles and report risky settings'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a compile -d 'Turn a profile into a launcher'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a rules -d 'List the lint rules'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a run -d 'Compile a profile into a cached launcher and run it'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a state -d 'List or remove the state of gone projects'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a explain -d 'Show what a profile grants and why'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a diff -d 'Show how a new profile widens or narrows access'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a why -d 'Say which entry decides a path or a variable'
complete -c jailc -n "not __fish_seen_subcommand_from $commands" -a score -d "Rate each profile's exposure"

# jailc check [--format text|json|sarif] [--strict] [--min-severity LEVEL]
#             [--input-format toml|yaml] FILE...  |  jailc check --explain RULE
complete -c jailc -n '__fish_seen_subcommand_from check' -l format -x -a 'text json sarif' -d 'Diagnostics format'
complete -c jailc -n '__fish_seen_subcommand_from check' -l strict -d 'Warnings make the exit status 1'
complete -c jailc -n '__fish_seen_subcommand_from check' -l min-severity -x -a 'note warning error' -d 'Show only this level or above'
complete -c jailc -n '__fish_seen_subcommand_from check' -l explain -x -a '(jailc rules 2>/dev/null | string replace -r " .*" "")' -d 'Describe a lint rule'
complete -c jailc -n '__fish_seen_subcommand_from check' -l input-format -x -a 'toml yaml' -d 'Read FILE as this syntax'
complete -c jailc -n '__fish_seen_subcommand_from check' -s h -l help -d 'Show this help'
complete -c jailc -n '__fish_seen_subcommand_from check' -a '(__jailc_profiles)'

# jailc compile [-t shell|blob|exe|plan|packages] [--standalone] [-o FILE]
#               [-D NAME=VALUE]... [--input-format toml|yaml] FILE
complete -c jailc -n '__fish_seen_subcommand_from compile' -s t -x -a 'shell blob exe plan packages' -d 'What to write'
complete -c jailc -n '__fish_seen_subcommand_from compile' -l standalone -d 'A complete script'
complete -c jailc -n '__fish_seen_subcommand_from compile' -s o -r -F -d 'Write FILE'
complete -c jailc -n '__fish_seen_subcommand_from compile' -s D -x -a '(__jailc_define)' -d 'BWRAP=PATH, JAILRUN=PATH or PATH=DIRS'
complete -c jailc -n '__fish_seen_subcommand_from compile' -l input-format -x -a 'toml yaml' -d 'Read FILE as this syntax'
complete -c jailc -n '__fish_seen_subcommand_from compile' -s h -l help -d 'Show this help'
complete -c jailc -n '__fish_seen_subcommand_from compile' -a '(__jailc_profiles)'

# jailc rules
complete -c jailc -n '__fish_seen_subcommand_from rules' -s h -l help -d 'Show this help'

# jailc state list|gc [--remove] PROFILE...
complete -c jailc -n '__fish_seen_subcommand_from state; and not __fish_seen_subcommand_from list gc' -a 'list gc' -d 'What to do'
complete -c jailc -n '__fish_seen_subcommand_from state' -l remove -d 'gc: remove the directories of gone projects'
complete -c jailc -n '__fish_seen_subcommand_from state' -s h -l help -d 'Show this help'
complete -c jailc -n '__fish_seen_subcommand_from state' -a '(__jailc_profiles)'

# jailc run PROFILE [ARGS...]
complete -c jailc -n '__fish_seen_subcommand_from run' -s h -l help -d 'Show this help'
complete -c jailc -n '__fish_seen_subcommand_from run' -a '(__jailc_profiles)'

# jailc explain [--resolve] [--format text|json] [--input-format toml|yaml] FILE
complete -c jailc -n '__fish_seen_subcommand_from explain' -l resolve -d "Show paths with this host's values"
complete -c jailc -n '__fish_seen_subcommand_from explain diff why' -l format -x -a 'text json' -d 'Output format'
complete -c jailc -n '__fish_seen_subcommand_from explain diff why' -l input-format -x -a 'toml yaml' -d 'Read FILE as this syntax'
complete -c jailc -n '__fish_seen_subcommand_from explain diff why' -s h -l help -d 'Show this help'
complete -c jailc -n '__fish_seen_subcommand_from explain diff why' -a '(__jailc_profiles)'
# jailc why PATH|ENVVAR FILE: a path in the jail (any file name helps)
complete -c jailc -n '__fish_seen_subcommand_from why' -F
# jailc score [--format text|json] [--threshold N] [--input-format toml|yaml] FILE...
complete -c jailc -n '__fish_seen_subcommand_from score' -l format -x -a 'text json' -d 'Output format'
complete -c jailc -n '__fish_seen_subcommand_from score' -l threshold -x -d 'Exit 1 when an exposure is above N'
complete -c jailc -n '__fish_seen_subcommand_from score' -l input-format -x -a 'toml yaml' -d 'Read FILE as this syntax'
complete -c jailc -n '__fish_seen_subcommand_from score' -s h -l help -d 'Show this help'
complete -c jailc -n '__fish_seen_subcommand_from score' -a '(__jailc_profiles)'
