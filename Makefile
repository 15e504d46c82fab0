# jailc - declarative bubblewrap jails for coding agents.
# POSIX-ish make with GNU make pattern rules; see README for targets.

VERSION    = 0.1.0
PREFIX     = /usr/local
BINDIR     = $(PREFIX)/bin
DATADIR    = $(PREFIX)/share/jailc
MANDIR     = $(PREFIX)/share/man
LIBEXECDIR = $(PREFIX)/libexec/jailc
DESTDIR    =

# From the environment when it names them, as nixpkgs' cross and static
# toolchains (and clangStdenv) do.
CC         ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS     = -O2 -g
LDFLAGS    =

WARN = -Wall -Wextra -Wshadow -Wswitch-enum -Wstrict-prototypes \
       -Wmissing-prototypes -Wpointer-arith -Wvla -Werror -Werror=format=2
DEPS_CFLAGS = `$(PKG_CONFIG) --cflags yaml-0.1 libpcre2-8 libseccomp`
DEPS_LIBS   = `$(PKG_CONFIG) --libs yaml-0.1 libpcre2-8 libseccomp`
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE -DJAILC_VERSION='"$(VERSION)"' \
              -DJAILC_DATADIR='"$(DATADIR)"' \
              -DJAILC_LIBEXECDIR='"$(LIBEXECDIR)"' -iquote compiler -Ibuild \
              $(WARN) $(CFLAGS)

SAN_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all

# The compiler's stages, in pipeline order.
OBJ_CORE = util.o diag.o doc.o toml.o json.o yaml.o source.o schema.o \
           schema_data.o protect.o profile.o seccomp.o lint.o plan.o \
           emit_shell.o emit_blob.o review.o review_host.o explain.o diff.o \
           why.o opt.o sha256.o plantext.o verify.o landlock.o host.o netrule.o \
           xauth.o
HDR = compiler/util.h compiler/diag.h compiler/doc.h compiler/frontend.h \
      compiler/schema.h compiler/profile.h compiler/lint.h compiler/plan.h \
      compiler/emit.h compiler/protect.h compiler/seccomp.h compiler/review.h \
      compiler/opt.h runtime/blob.h runtime/optab.h runtime/plantext.h \
      runtime/verify.h runtime/host.h runtime/netrule.h \
      runtime/sha256.h

CORE     = $(OBJ_CORE:%=build/%)
CORE_SAN = $(OBJ_CORE:%=build/san/%)

TOOLS     = build/toml-decoder build/jsoncmp build/unit build/irdump \
            build/docdump build/schemacheck build/sha256test build/scprobe \
            build/nolandlock build/plantext build/hostprobe build/netruletest \
            build/netproxy_test build/xauthtest
TOOLS_SAN = build/san/jailc build/san/toml-decoder build/san/unit \
            build/san/irdump build/san/docdump build/san/schemacheck \
            build/san/sha256test build/san/jailrun build/san/plantext \
            build/san/hostprobe build/san/netruletest build/san/netproxy_test \
            build/san/xauthtest

all: jailc jailrun

jailc: $(CORE) build/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CORE) build/main.o $(DEPS_LIBS)

build/.deps:
	@sh tools/deps.sh build
	@mkdir -p build/san && touch $@

build/%.o: compiler/%.c $(HDR) build/.deps
	$(CC) $(ALL_CFLAGS) $(DEPS_CFLAGS) -c -o $@ $<

build/%.o: tests/tools/%.c $(HDR) build/.deps
	$(CC) $(ALL_CFLAGS) $(DEPS_CFLAGS) -c -o $@ $<

build/san/%.o: compiler/%.c $(HDR) build/.deps
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) $(DEPS_CFLAGS) -c -o $@ $<

build/san/%.o: tests/tools/%.c $(HDR) build/.deps
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) $(DEPS_CFLAGS) -c -o $@ $<

# The runtime is libc only: no DEPS_CFLAGS.
RT_HDR = runtime/sha256.h runtime/blob.h runtime/optab.h runtime/plantext.h \
         runtime/verify.h runtime/landlock.h runtime/host.h runtime/netrule.h \
         runtime/netproxy.h runtime/xauth.h

build/%.o: runtime/%.c $(RT_HDR) build/.deps
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: runtime/%.c $(RT_HDR) build/.deps
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -c -o $@ $<

# The schema is compiled in, not copied into C by hand.
build/schema_data.c: schema/jail.schema.json tools/embed.sh build/.deps
	sh tools/embed.sh jail_schema schema/jail.schema.json > $@

build/schema_data.o: build/schema_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ build/schema_data.c

build/san/schema_data.o: build/schema_data.c
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -c -o $@ build/schema_data.c

build/toml-decoder: build/util.o build/diag.o build/doc.o build/toml.o build/toml_decoder.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ build/util.o build/diag.o build/doc.o build/toml.o build/toml_decoder.o
build/jsoncmp: build/util.o build/diag.o build/doc.o build/json.o build/jsoncmp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ build/util.o build/diag.o build/doc.o build/json.o build/jsoncmp.o
build/unit: $(CORE) build/unit.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CORE) build/unit.o $(DEPS_LIBS)
build/irdump: $(CORE) build/irdump.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CORE) build/irdump.o $(DEPS_LIBS)

build/san/jailc: $(CORE_SAN) build/san/main.o
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ $(CORE_SAN) build/san/main.o $(DEPS_LIBS)
build/san/toml-decoder: build/san/util.o build/san/diag.o build/san/doc.o build/san/toml.o build/san/toml_decoder.o
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ build/san/util.o build/san/diag.o build/san/doc.o build/san/toml.o build/san/toml_decoder.o
build/san/unit: $(CORE_SAN) build/san/unit.o
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ $(CORE_SAN) build/san/unit.o $(DEPS_LIBS)
build/san/irdump: $(CORE_SAN) build/san/irdump.o
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ $(CORE_SAN) build/san/irdump.o $(DEPS_LIBS)

DOCDUMP_OBJ = util.o diag.o doc.o toml.o yaml.o json.o source.o docdump.o
build/docdump: $(DOCDUMP_OBJ:%=build/%)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(DOCDUMP_OBJ:%=build/%) $(DEPS_LIBS)
build/san/docdump: $(DOCDUMP_OBJ:%=build/san/%)
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ $(DOCDUMP_OBJ:%=build/san/%) $(DEPS_LIBS)

build/sha256test.o build/san/sha256test.o: $(RT_HDR)

# jailrun, the runtime: libc only, no DEPS_LIBS.  Linked stripped: it
# is what -t exe copies into every single-file launcher (the sanitizer
# build keeps its symbols for the reports).
JAILRUN_OBJ = jailrun.o host.o verify.o sha256.o landlock.o plantext.o \
              netrule.o netproxy.o xauth.o
jailrun: $(JAILRUN_OBJ:%=build/%)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -pthread -s -o $@ $(JAILRUN_OBJ:%=build/%)
build/san/jailrun: $(JAILRUN_OBJ:%=build/san/%)
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -pthread -o $@ \
	    $(JAILRUN_OBJ:%=build/san/%)
# The text form and the blob, each turned into the other (tests).
PLANTEXT_OBJ = plantext_tool.o plantext.o verify.o landlock.o netrule.o
build/plantext: $(PLANTEXT_OBJ:%=build/%)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(PLANTEXT_OBJ:%=build/%)
build/san/plantext: $(PLANTEXT_OBJ:%=build/san/%)
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ $(PLANTEXT_OBJ:%=build/san/%)
# A static jailrun, with musl (Debian: musl-tools): no dynamic loader at
# launch, which halves what jailrun itself adds (make bench shows it).
MUSL_CC = musl-gcc
JAILRUN_SRC = runtime/jailrun.c runtime/host.c runtime/verify.c \
              runtime/sha256.c runtime/landlock.c runtime/plantext.c \
              runtime/netrule.c runtime/netproxy.c runtime/xauth.c
jailrun-static: $(JAILRUN_SRC) $(RT_HDR)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE -DJAILC_VERSION='"$(VERSION)"' \
	    $(WARN) -Os -static -s -o $@ $(JAILRUN_SRC)

# The attacker that tests/live.t runs inside jails.  Static, so that it
# runs whatever a jail mounts; dynamic (and said so) where there is no
# static libc, as the shipped profiles mount the host's /usr and /lib.
PROBE_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -O2 -g
build/attack/probe: tests/attack/probe.c
	@mkdir -p build/attack
	$(CC) $(PROBE_CFLAGS) -static -o $@ tests/attack/probe.c || { \
	    echo "probe: no static libc; linking dynamically" >&2; \
	    $(CC) $(PROBE_CFLAGS) -o $@ tests/attack/probe.c; }

# Runs inside jails (tests/launch.t): libc only.
build/scprobe: tests/tools/scprobe.c
	$(CC) $(ALL_CFLAGS) -o $@ tests/tools/scprobe.c
build/nolandlock: tests/tools/nolandlock.c
	$(CC) $(ALL_CFLAGS) -o $@ tests/tools/nolandlock.c
# host.c with a callback that returns, as the compiler would use it.
HOSTPROBE_SRC = tests/tools/hostprobe.c runtime/host.c runtime/verify.c \
                runtime/sha256.c runtime/landlock.c runtime/netrule.c runtime/xauth.c
build/hostprobe: $(HOSTPROBE_SRC) runtime/host.h runtime/blob.h \
    runtime/verify.h $(RT_HDR) build/.deps
	$(CC) $(ALL_CFLAGS) -o $@ $(HOSTPROBE_SRC)
build/san/hostprobe: $(HOSTPROBE_SRC) runtime/host.h runtime/blob.h \
    runtime/verify.h $(RT_HDR) build/.deps
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ $(HOSTPROBE_SRC)

# network.allow's entries (runtime/netrule.c), alone.
build/netruletest: build/netrule.o build/netruletest.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ build/netrule.o build/netruletest.o
build/san/netruletest: build/san/netrule.o build/san/netruletest.o
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ build/san/netrule.o build/san/netruletest.o
build/netruletest.o build/san/netruletest.o: $(RT_HDR)

# An Xauthority file cut down to one display's cookie (runtime/xauth.c).
build/xauthtest: build/xauth.o build/xauthtest.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ build/xauth.o build/xauthtest.o
build/san/xauthtest: build/san/xauth.o build/san/xauthtest.o
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ build/san/xauth.o build/san/xauthtest.o
build/xauthtest.o build/san/xauthtest.o: $(RT_HDR)

# The network proxy on its own (tests/netproxy.t).
build/netproxy_test: tests/tools/netproxy_test.c runtime/netproxy.c \
    runtime/netrule.c $(RT_HDR) build/.deps
	$(CC) $(ALL_CFLAGS) -pthread -o $@ tests/tools/netproxy_test.c \
	    runtime/netproxy.c runtime/netrule.c
build/san/netproxy_test: tests/tools/netproxy_test.c runtime/netproxy.c \
    runtime/netrule.c $(RT_HDR) build/.deps
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -pthread -o $@ \
	    tests/tools/netproxy_test.c runtime/netproxy.c runtime/netrule.c

build/sha256test: build/sha256.o build/sha256test.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ build/sha256.o build/sha256test.o
build/san/sha256test: build/san/sha256.o build/san/sha256test.o
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ build/san/sha256.o build/san/sha256test.o

SCHEMACHECK_OBJ = util.o diag.o doc.o toml.o yaml.o json.o source.o schema.o \
                  schema_data.o schemacheck.o
build/schemacheck: $(SCHEMACHECK_OBJ:%=build/%)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(SCHEMACHECK_OBJ:%=build/%) $(DEPS_LIBS)
build/san/schemacheck: $(SCHEMACHECK_OBJ:%=build/san/%)
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -o $@ $(SCHEMACHECK_OBJ:%=build/san/%) $(DEPS_LIBS)

# libFuzzer targets for the front ends (clang with compiler-rt).  `make
# check` builds them when it can and runs each briefly (tests/fuzz.t says
# why when it cannot); `make fuzz` runs them for FUZZ_SECONDS each.
FUZZ_CC      = clang
FUZZ_CFLAGS  = -std=c11 -D_GNU_SOURCE -DJAILC_VERSION='"$(VERSION)"' \
               -Icompiler -g -O1 \
               -fsanitize=fuzzer,address,undefined
FUZZ_SRC     = compiler/util.c compiler/diag.c compiler/doc.c \
               compiler/toml.c compiler/yaml.c compiler/json.c \
               compiler/schema.c build/schema_data.c
FUZZ_SECONDS = 600
FUZZERS      = build/fuzz/fuzz-toml build/fuzz/fuzz-yaml build/fuzz/fuzz-json \
               build/fuzz/fuzz-blob build/fuzz/fuzz-plantext \
               build/fuzz/fuzz-netrule build/fuzz/fuzz-netproxy \
               build/fuzz/fuzz-xauth

# The blob verifier and the text reader: runtime code, libc only.
build/fuzz/fuzz-blob: tests/fuzz/fuzz_blob.c runtime/verify.c \
    runtime/landlock.c runtime/plantext.c runtime/netrule.c $(RT_HDR)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_blob.c runtime/verify.c \
	    runtime/landlock.c runtime/plantext.c runtime/netrule.c
build/fuzz/fuzz-plantext: tests/fuzz/fuzz_plantext.c runtime/verify.c \
    runtime/landlock.c runtime/plantext.c runtime/netrule.c $(RT_HDR)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_plantext.c \
	    runtime/verify.c runtime/landlock.c runtime/plantext.c \
	    runtime/netrule.c
# network.allow's entries: parse, write, parse again.
build/fuzz/fuzz-netrule: tests/fuzz/fuzz_netrule.c runtime/netrule.c \
    runtime/netrule.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_netrule.c \
	    runtime/netrule.c

# Xauthority files and DISPLAY values: runtime code, libc only.
build/fuzz/fuzz-xauth: tests/fuzz/fuzz_xauth.c runtime/xauth.c runtime/xauth.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_xauth.c runtime/xauth.c

# The proxy's request parser: runtime code, libc only.
build/fuzz/fuzz-netproxy: tests/fuzz/fuzz_netproxy.c runtime/netproxy.c \
    runtime/netrule.c $(RT_HDR)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -pthread -o $@ tests/fuzz/fuzz_netproxy.c \
	    runtime/netproxy.c runtime/netrule.c

build/fuzz/fuzz-toml: tests/fuzz/fuzz_frontend.c $(FUZZ_SRC) $(HDR) build/.deps
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_TOML $(DEPS_CFLAGS) -o $@ \
	    tests/fuzz/fuzz_frontend.c $(FUZZ_SRC) $(DEPS_LIBS)
build/fuzz/fuzz-yaml: tests/fuzz/fuzz_frontend.c $(FUZZ_SRC) $(HDR) build/.deps
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_YAML $(DEPS_CFLAGS) -o $@ \
	    tests/fuzz/fuzz_frontend.c $(FUZZ_SRC) $(DEPS_LIBS)
build/fuzz/fuzz-json: tests/fuzz/fuzz_frontend.c $(FUZZ_SRC) $(HDR) build/.deps
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_JSON $(DEPS_CFLAGS) -o $@ \
	    tests/fuzz/fuzz_frontend.c $(FUZZ_SRC) $(DEPS_LIBS)

# Building the fuzzers may fail only for want of a toolchain, never
# silently: the log is kept and tests/fuzz.t reports the skip with it.
fuzzers:
	@mkdir -p build/fuzz
	@if $(MAKE) $(FUZZERS) >build/fuzz/build.log 2>&1; then :; else \
	    echo "fuzzers not built; see build/fuzz/build.log" >&2; \
	    rm -f $(FUZZERS); fi

check-deps:
	@sh tools/deps.sh test

fuzz: $(FUZZERS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz.t

# Every test, first with the plain build, then with ASan+UBSan builds;
# CHECK_JOBS test files at a time (each makes its own directories).
CHECK_JOBS = 2
check: check-deps jailc jailrun $(TOOLS) $(TOOLS_SAN) build/attack/probe fuzzers
	prove -j$(CHECK_JOBS) -f tests/*.t
	JAILC_BIN=build/san prove -j$(CHECK_JOBS) -f tests/*.t

# What a Nix build sandbox can run (nix/package.nix's check phase): the
# tests that need neither user namespaces, which it does not give bwrap,
# nor the network; no packages are installed.
OFFLINE_TESTS = tests/unit.t tests/toml-bad.t tests/toml-test.t \
                tests/yaml.t tests/schema.t tests/ir.t tests/regress.t \
                tests/twins.t tests/cli.t tests/man.t tests/emit.t \
                tests/sha256.t tests/scripts.t tests/install.t \
                tests/rules.t tests/review.t tests/harden-input.t
check-offline: jailc jailrun $(TOOLS)
	@for t in tests/*.t; do case " $(OFFLINE_TESTS) " in *" $$t "*) ;; \
	    *) echo "check-offline: leaving out $$t: it needs user namespaces," \
	        "the network, clang or a second user";; esac; done
	prove -f $(OFFLINE_TESTS)

# Source edits that remove a defence, each with the test that must then
# fail (tests/mutants), tried on a copy of the tree; not part of check.
mutate:
	MUTATE_TARGETS="jailc jailrun $(TOOLS) build/attack/probe" sh tests/mutate

demo: jailc jailrun
	@sh tools/deps.sh demo
	sh tools/demo.sh

format:
	clang-format -i compiler/*.c compiler/*.h runtime/*.c runtime/*.h \
	    tests/tools/*.c tests/fuzz/*.c tests/attack/*.c

install: jailc jailrun
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/profiles \
	    $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5
	cp jailc $(DESTDIR)$(BINDIR)/jailc
	cp jailrun $(DESTDIR)$(BINDIR)/jailrun
	cp jailrun $(DESTDIR)$(LIBEXECDIR)/jailrun
	cp profiles/*.jail $(DESTDIR)$(DATADIR)/profiles/
	cp schema/jail.schema.json $(DESTDIR)$(DATADIR)/schema/
	cp man/jailc.1 $(DESTDIR)$(MANDIR)/man1/
	cp man/jail.5 $(DESTDIR)$(MANDIR)/man5/
	cp man/jailrun.1 $(DESTDIR)$(MANDIR)/man1/
	cp man/jailblob.5 $(DESTDIR)$(MANDIR)/man5/
	mkdir -p $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	cp completions/jailc.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/jailc
	cp completions/_jailc $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_jailc
	cp completions/jailc.fish \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/jailc.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/jailc $(DESTDIR)$(BINDIR)/jailrun \
	    $(DESTDIR)$(LIBEXECDIR)/jailrun $(DESTDIR)$(MANDIR)/man1/jailc.1 \
	    $(DESTDIR)$(MANDIR)/man5/jail.5
	rm -f $(DESTDIR)$(MANDIR)/man1/jailrun.1 \
	    $(DESTDIR)$(MANDIR)/man5/jailblob.5
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/jailc \
	    $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_jailc \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/jailc.fish

clean:
	rm -rf build jailc jailrun jailrun-static tests/out

# Launch-overhead and check-time figures into build/bench/results.md
# (bench/run.sh; a few minutes).  jailrun may fail to build: its rows
# then say so.
bench: jailc
	@sh tools/deps.sh bench
	@$(MAKE) jailrun || echo "bench: jailrun did not build" >&2
	@$(MAKE) jailrun-static || echo "bench: no static jailrun (musl-tools?)" >&2
	sh bench/run.sh

.PHONY: all check check-offline check-deps demo format fuzz fuzzers install uninstall clean bench mutate
