/*
 * main.c - the jailc command line.
 */
#include <sys/stat.h>

#include <dirent.h>

#include <fcntl.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "profile.h"
#include "seccomp.h"
#include "lint.h"
#include "plan.h"
#include "emit.h"
#include "opt.h"
#include "review.h"
#include "../runtime/sha256.h"
#include "../runtime/host.h"

static const char usage_main[] =
    "usage: jailc [--help] [--version] COMMAND [ARGS...]\n"
    "\n"
    "Compile declarative jail profiles into bubblewrap launchers.\n"
    "\n"
    "commands:\n"
    "  check    validate profiles and report risky settings\n"
    "  compile  turn a profile into a launcher\n"
    "  diff     show how a new profile's access differs from an old one's\n"
    "  explain  show what a profile grants and which entry grants it\n"
    "  rules    list the lint rules (the IDs risk.accept may name)\n"
    "  run      compile a profile into a cached launcher and run it\n"
    "  score    rate each profile's exposure from 0.0 to 10.0\n"
    "  state    list or remove the per-project state of gone projects\n"
    "  why      say which entry makes a path visible or passes a variable\n"
    "\n"
    "Run 'jailc COMMAND --help' for a command's options; see jailc(1)\n"
    "and jail(5).\n";

static const char usage_check[] =
    "usage: jailc check [--format text|json|sarif] [--strict]\n"
    "                   [--min-severity note|warning|error]\n"
    "                   [--input-format toml|yaml] FILE...\n"
    "       jailc check --explain RULE\n"
    "\n"
    "Parse, validate and lint each profile (and the profiles it extends).\n"
    "\n"
    "options:\n"
    "  --format text|json|sarif   diagnostics as text on stderr (default),\n"
    "                             as JSON (with each profile's exposure\n"
    "                             score) or as a SARIF 2.1.0 log on stdout\n"
    "  --strict                   warnings make the exit status 1\n"
    "  --min-severity note|warning|error\n"
    "                             show only findings of this level or "
    "above\n"
    "  --explain RULE             describe a lint rule and exit\n"
    "  --input-format toml|yaml   read FILE as this syntax, whatever its name\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 clean, 1 errors (or shown warnings with --strict),\n"
    "2 usage or I/O error\n";

/* The values of --min-severity, in the order of enum diag_level. */
static const char *const level_words[] = { "note", "warning", "error", NULL };

/* Print text as lines of at most 72 columns, breaking between words. */
static void
print_wrapped(const char *text)
{
	size_t col = 0, n;

	for (;;) {
		text += strspn(text, " ");
		if (*text == '\0')
			break;
		n = strcspn(text, " ");
		if (col > 0 && col + 1 + n > 72) {
			putchar('\n');
			col = 0;
		} else if (col > 0) {
			putchar(' ');
			col++;
		}
		fwrite(text, 1, n, stdout);
		col += n;
		text += n;
	}
	putchar('\n');
}

/* check --explain RULE: what the rule looks for and why it matters. */
static int
explain_rule(const char *name)
{
	enum diag_id id = diag_lookup(name);
	const struct lint_rule *r = lint_rule(id);

	if (r == NULL) {
		fprintf(stderr,
		    "jailc: '%s' is no lint rule (see jailc rules)\n", name);
		return 2;
	}
	printf("%s (%s, weight %d)\n", diag_idstr(id),
	    level_words[diag_level(id)], r->weight);
	print_wrapped(arena_printf("%s.", diag_text(id)));
	putchar('\n');
	print_wrapped(r->help);
	return 0;
}

/*
 * The front of the pipeline: the profile read into the IR (profile.c),
 * then its seccomp lists checked against the build host's system calls
 * (seccomp.c), even when the IR had errors, so that one run reports
 * both.  NULL when either reported an error.
 */
static struct profile *
load_profile(const char *path, enum doc_format in)
{
	unsigned before = diag_errors();
	struct profile *p = profile_read(path, in);

	if (p != NULL)
		seccomp_check(p);
	return diag_errors() > before ? NULL : p;
}

/* One profile's exposure, for check --format json and score. */
struct scored {
	const char *file;
	int loaded;
	struct lint_score score;
};

/*
 * Load and lint each of files[0..n), scoring each that loads.  Each
 * profile is read into an arena of its own, released when it is done:
 * what outlives it (its diagnostics and the sources they quote) was
 * copied by diag.c when reported, and its score is made outside.
 */
static struct scored *
lint_files(char **files, int n, enum doc_format in)
{
	struct scored *sc = arena_alloc((size_t)n * sizeof(*sc));
	size_t first, last;
	struct diag *d;
	int i;

	for (i = 0; i < n; i++) {
		struct arena one = { NULL };
		struct arena *outer = arena_switch(&one);
		struct profile *p;

		diag_list(&first);
		p = load_profile(files[i], in);
		if (p != NULL)
			lint_profile(p);
		arena_switch(outer);
		d = diag_list(&last);
		sc[i].file = files[i];
		sc[i].loaded = p != NULL;
		if (p != NULL)
			lint_score(d + first, last - first, &sc[i].score);
		diag_release_sources();
		arena_release(&one);
	}
	return sc;
}

/* Whether any of the diagnostics so far is an I/O error. */
static int
had_io_error(void)
{
	size_t j, n;
	struct diag *d = diag_list(&n);

	for (j = 0; j < n; j++)
		if (d[j].id == E_IO)
			return 1;
	return 0;
}

static void
score_json(struct buf *b, const struct scored *sc, int n)
{
	int i;
	size_t j;

	buf_puts(b, "[");
	for (i = 0; i < n; i++) {
		const struct lint_score *s = &sc[i].score;

		buf_puts(b, i == 0 ? "\n  {\"file\":" : ",\n  {\"file\":");
		buf_json_string(b, sc[i].file, strlen(sc[i].file));
		if (!sc[i].loaded) {
			buf_puts(b, ",\"exposure\":null,\"band\":null}");
			continue;
		}
		buf_printf(b, ",\"exposure\":%d.%d,\"band\":\"%s\"",
		    s->tenths / 10, s->tenths % 10, s->band);
		buf_puts(b, ",\"contributors\":[");
		for (j = 0; j < s->n; j++) {
			const struct lint_contrib *c = &s->v[j];

			buf_puts(b, j == 0 ? "{\"id\":" : ",{\"id\":");
			buf_json_string(
			    b, diag_idstr(c->id), strlen(diag_idstr(c->id)));
			buf_printf(
			    b, ",\"weight\":%d,\"accepted\":", c->weight);
			if (c->accepted != NULL)
				buf_json_string(
				    b, c->accepted, strlen(c->accepted));
			else
				buf_puts(b, "null");
			buf_puts(b, "}");
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, n > 0 ? "\n]" : "]");
}

/*
 * check --format json: one object, the diagnostics (the array diag_flush
 * writes) and each profile's exposure score.
 */
static void
check_json(const struct scored *sc, int n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	struct buf b = { 0 };

	if (mem == NULL)
		fatal("open_memstream:");
	diag_flush(mem, DIAGFMT_JSON, 0);
	if (fclose(mem) != 0)
		fatal("open_memstream:");
	while (len > 0 && text[len - 1] == '\n')
		len--;
	buf_puts(&b, "{\"diagnostics\":");
	buf_add(&b, text, len);
	free(text);
	buf_puts(&b, ",\n\"profiles\":");
	score_json(&b, sc, n);
	buf_puts(&b, "}\n");
	fwrite(b.s, 1, b.len, stdout);
}

static int
cmd_check(int argc, char **argv)
{
	/* in the order of enum diag_format */
	static const char *const formats[] = { "text", "json", "sarif", NULL };
	enum doc_format in = FORMAT_AUTO;
	int out = DIAGFMT_TEXT, strict = 0, i, ioerr, min = LEVEL_NOTE, rc;
	const char *rule = NULL;
	struct scored *sc;
	const struct opt opts[] = {
		{ "--strict", OPT_FLAG, &strict, NULL, NULL, NULL, 0 },
		{ "--explain", OPT_TEXT, &rule, NULL, NULL, NULL, 1 },
		{ "--format", OPT_WORD, &out, formats, "output format", NULL,
		    0 },
		{ "--min-severity", OPT_WORD, &min, level_words, "severity",
		    NULL, 0 },
		OPT_INPUT_FORMAT(&in),
		OPT_END,
	};

	if ((rc = opt_parse(argc, argv, opts, usage_check, &i)) >= 0)
		return rc;
	if (rule != NULL)
		return explain_rule(rule);
	if (i >= argc)
		return opt_usage_error(usage_check, "no profile given");

	sc = lint_files(argv + i, argc - i, in);
	ioerr = had_io_error();
	diag_min_level((enum diag_level)min);
	if (out == DIAGFMT_JSON)
		check_json(sc, argc - i);
	else
		diag_flush(out == DIAGFMT_TEXT ? stderr : stdout,
		    (enum diag_format)out,
		    out == DIAGFMT_TEXT && isatty(STDERR_FILENO));
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write error on standard output:");
	if (ioerr)
		return 2;
	/* Hidden warnings do not fail a --strict check. */
	if (diag_errors() > 0 ||
	    (strict && min <= LEVEL_WARNING && diag_warnings() > 0))
		return 1;
	return 0;
}

static const char usage_score[] =
    "usage: jailc score [--format text|json] [--threshold N]\n"
    "                   [--input-format toml|yaml] FILE...\n"
    "\n"
    "Rate each profile's exposure from 0.0 (no rule fires) to 10.0 (every\n"
    "rule does): the weighted share of lint rules with a finding, accepted\n"
    "or not, and list what contributes most.\n"
    "\n"
    "options:\n"
    "  --format text|json         a table (default) or JSON on stdout\n"
    "  --threshold N              exit 1 when an exposure is above N\n"
    "                             (0.0 to 10.0)\n"
    "  --input-format toml|yaml   read FILE as this syntax, whatever its name\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 scored (and within the threshold), 1 a profile has\n"
    "errors and cannot be scored, or is above the threshold, 2 usage or\n"
    "I/O error\n";

/* --threshold N or N.N (0 to 10) into *(int *)dst, in tenths. */
static const char *
threshold_tenths(void *dst, const char *v)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(d >= 0 && d <= 10))
		return arena_printf(
		    "threshold '%s' is not a number from 0 to 10", v);
	*(int *)dst = (int)(d * 10 + 0.5);
	return NULL;
}

static void
score_text(const struct scored *sc)
{
	const struct lint_score *s = &sc->score;
	size_t j;

	printf("%s: exposure %d.%d %s\n", sc->file, s->tenths / 10,
	    s->tenths % 10, s->band);
	if (s->n == 0)
		return;
	printf("  %6s  %-24s %s\n", "weight", "rule", "finding");
	for (j = 0; j < s->n; j++) {
		const struct lint_contrib *c = &s->v[j];

		printf("  %6d  %-24s %s%s%s%s\n", c->weight, diag_idstr(c->id),
		    diag_text(c->id), c->detail != NULL ? ": " : "",
		    c->detail != NULL ? c->detail : "",
		    c->accepted != NULL ? " (accepted)" : "");
	}
}

static int
cmd_score(int argc, char **argv)
{
	enum doc_format in = FORMAT_AUTO;
	int json = 0, threshold = -1, i, n, k, rc = 0, ioerr;
	struct scored *sc;
	const struct opt opts[] = {
		OPT_FORMAT_TEXT_JSON(&json),
		{ "--threshold", OPT_CALL, &threshold, NULL, NULL,
		    threshold_tenths, 0 },
		OPT_INPUT_FORMAT(&in),
		OPT_END,
	};

	if ((rc = opt_parse(argc, argv, opts, usage_score, &i)) >= 0)
		return rc;
	rc = 0;
	if (i >= argc)
		return opt_usage_error(usage_score, "no profile given");

	n = argc - i;
	sc = lint_files(argv + i, n, in);
	ioerr = had_io_error();
	for (k = 0; k < n; k++) {
		if (!sc[k].loaded)
			rc = 1;
		else if (threshold >= 0 && sc[k].score.tenths > threshold)
			rc = 1;
	}
	if (json) {
		struct buf b = { 0 };

		score_json(&b, sc, n);
		buf_puts(&b, "\n");
		fwrite(b.s, 1, b.len, stdout);
	} else {
		for (k = 0; k < n; k++)
			if (sc[k].loaded)
				score_text(&sc[k]);
	}
	if (threshold >= 0 && rc != 0)
		for (k = 0; k < n; k++)
			if (sc[k].loaded && sc[k].score.tenths > threshold)
				fprintf(stderr,
				    "jailc: %s: exposure %d.%d is above the "
				    "threshold %d.%d\n",
				    sc[k].file, sc[k].score.tenths / 10,
				    sc[k].score.tenths % 10, threshold / 10,
				    threshold % 10);
	/* Only a profile that cannot be scored needs its diagnostics. */
	for (k = 0; k < n; k++)
		if (!sc[k].loaded) {
			diag_min_level(LEVEL_ERROR);
			diag_flush(stderr, DIAGFMT_TEXT, isatty(STDERR_FILENO));
			break;
		}
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write error on standard output:");
	return ioerr ? 2 : rc;
}

static const char usage_compile[] =
    "usage: jailc compile [-t shell|blob|exe|plan|packages] [--standalone]\n"
    "                     [-o FILE] [-D NAME=VALUE]... "
    "[--input-format toml|yaml] FILE\n"
    "\n"
    "Check a profile and, when it has no errors, write its launcher.\n"
    "\n"
    "options:\n"
    "  -t shell|blob|exe|plan|packages\n"
    "                             what to write: a bash launcher (default),\n"
    "                             a blob for jailrun, a single-file\n"
    "                             launcher (jailrun with the blob), the\n"
    "                             launch plan as text, or the merged\n"
    "                             packages.include as a JSON array\n"
    "  --standalone               a complete script (with a shebang);\n"
    "                             default: a body for writeShellApplication\n"
    "  -o FILE                    write FILE, replaced only on success\n"
    "                             (default: standard output)\n"
    "  -D BWRAP=PATH              the bwrap to run (default: $BWRAP when\n"
    "                             set while compiling, else bwrap from\n"
    "                             /run/current-system/sw/bin, /usr/bin or\n"
    "                             /bin at launch; never the caller's PATH)\n"
    "  -D GIT=PATH                the git the launcher runs on the host\n"
    "                             (default: from the same directories)\n"
    "  -D DBUS_PROXY=PATH         the xdg-dbus-proxy of gui.dbus (default:\n"
    "                             from the same directories)\n"
    "  -D PATH=DIRS               the jailed command's PATH\n"
    "  -D JAILRUN=PATH            the jailrun a shell launcher hands the\n"
    "                             plan to (default: the one -t exe copies,\n"
    "                             else " JAILC_LIBEXECDIR "/jailrun)\n"
    "  --input-format toml|yaml   read FILE as this syntax\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 written, 1 the profile has errors, 2 usage or I/O "
    "error\n";

/*
 * Write len bytes to path.  A regular file (or a new one) is written
 * through a temporary file in the same directory and renamed over it, so
 * that a reader never sees half a launcher and a failed compile leaves
 * the old one in place.  Anything else (a terminal, a pipe, /dev/null)
 * is written in place: renaming over it would replace the device.
 */
static int
write_output(const char *path, const char *s, size_t len, int mode)
{
	char *tmp = arena_printf("%s.tmp.%ld", path, (long)getpid());
	struct stat st;
	FILE *fp;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((fp = fopen(path, "w")) == NULL ||
		    fwrite(s, 1, len, fp) != len || fclose(fp) != 0) {
			fprintf(
			    stderr, "jailc: %s: %s\n", path, strerror(errno));
			return 2;
		}
		return 0;
	}
	if ((fp = fopen(tmp, "wx")) == NULL) {
		fprintf(stderr, "jailc: %s: %s\n", tmp, strerror(errno));
		return 2;
	}
	if (fwrite(s, 1, len, fp) != len || fchmod(fileno(fp), mode) != 0 ||
	    fclose(fp) != 0) {
		fprintf(stderr, "jailc: %s: %s\n", tmp, strerror(errno));
		unlink(tmp);
		return 2;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "jailc: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return 2;
	}
	return 0;
}

/*
 * The jailrun this jailc goes with: $JAILRUN, else in ../libexec/jailc
 * relative to jailc (an install), else next to it (a build tree), as an
 * absolute path without symbolic links.  NULL when there is none; with
 * why, after saying so.
 */
static char *
find_jailrun(int why)
{
	const char *env = getenv("JAILRUN");
	char exe[PATH_MAX], *slash, *real, *path;
	const char *tries[3];
	size_t n = 0, i;
	ssize_t len;

	if (env != NULL && *env != '\0') {
		/* asked for by name: that one or none */
		if (access(env, X_OK) != 0) {
			if (why)
				fprintf(stderr, "jailc: JAILRUN=%s: %s\n", env,
				    strerror(errno));
			return NULL;
		}
		tries[n++] = env;
	} else if ((len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) >
	    0) {
		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			tries[n++] =
			    arena_printf("%s/../libexec/jailc/jailrun", exe);
			tries[n++] = arena_printf("%s/jailrun", exe);
		}
	}
	for (i = 0; i < n; i++) {
		if (access(tries[i], X_OK) != 0 ||
		    (real = realpath(tries[i], NULL)) == NULL)
			continue;
		path = arena_strdup(real);
		free(real);
		return path;
	}
	if (why)
		fputs("jailc: jailrun not found (set JAILRUN, or install it "
		      "next to jailc)\n",
		    stderr);
	return NULL;
}

/* The bytes of the jailrun that -t exe copies, or NULL after saying
 * why. */
static const char *
find_runtime(size_t *lenp)
{
	char *path, *data;

	if ((path = find_jailrun(1)) == NULL)
		return NULL;
	if ((data = read_file(path, lenp)) == NULL) {
		fprintf(stderr, "jailc: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	return data;
}

/*
 * The merged packages.include, extends and remove applied, as a JSON
 * array: how the Nix glue (nix/lib.nix) learns which packages make up the
 * jail's PATH without reading the profile's syntax itself.
 */
static void
emit_packages(struct buf *b, const struct profile *p)
{
	size_t i;

	buf_add(b, "[", 1);
	for (i = 0; i < p->packages.n; i++) {
		if (i > 0)
			buf_add(b, ",", 1);
		buf_json_string(
		    b, p->packages.v[i].s, strlen(p->packages.v[i].s));
	}
	buf_add(b, "]\n", 2);
}

/* What -D defines: the plan's definitions, and the shell launcher's
 * jailrun. */
struct compile_defs {
	struct plan_defs plan;
	const char *jailrun;
};

/* -D NAME=VALUE into the struct compile_defs at dst. */
static const char *
define(void *dst, const char *v)
{
	struct compile_defs *defs = dst;

	if (strncmp(v, "BWRAP=", 6) == 0) {
		if (v[6] != '/')
			return "-D BWRAP needs an absolute path";
		defs->plan.bwrap = v + 6;
	} else if (strncmp(v, "JAILRUN=", 8) == 0) {
		if (v[8] != '/')
			return "-D JAILRUN needs an absolute path";
		defs->jailrun = v + 8;
	} else if (strncmp(v, "GIT=", 4) == 0) {
		if (v[4] != '/')
			return "-D GIT needs an absolute path";
		defs->plan.git = v + 4;
	} else if (strncmp(v, "DBUS_PROXY=", 11) == 0) {
		if (v[11] != '/')
			return "-D DBUS_PROXY needs an absolute path";
		defs->plan.dbusproxy = v + 11;
	} else if (strncmp(v, "PATH=", 5) == 0) {
		defs->plan.path = v + 5;
	} else {
		return arena_printf("unknown definition '%s' (BWRAP, GIT, "
		                    "DBUS_PROXY, JAILRUN and PATH can be "
		                    "defined)",
		    v);
	}
	return NULL;
}

static int
cmd_compile(int argc, char **argv)
{
	static const char *const targets[] = { "shell", "plan", "blob", "exe",
		"packages", NULL };
	enum doc_format in = FORMAT_AUTO;
	struct compile_defs defs = { { NULL, NULL, NULL, NULL }, NULL };
	const char *target, *out = NULL, *v, *jailrun;
	int t = 0, standalone = 0, i, rc;
	struct profile *p;
	struct plan *pl = NULL;
	struct buf b = { NULL, 0, 0 };
	struct diag *d;
	size_t j, n;

	if ((v = getenv("BWRAP")) != NULL && *v != '\0')
		defs.plan.bwrap = v;
	const struct opt opts[] = {
		{ "--standalone", OPT_FLAG, &standalone, NULL, NULL, NULL, 0 },
		{ "-t", OPT_WORD, &t, targets, "target", NULL, 0 },
		{ "-o", OPT_TEXT, &out, NULL, NULL, NULL, 0 },
		{ "-D", OPT_CALL, &defs, NULL, NULL, define, 0 },
		OPT_INPUT_FORMAT(&in),
		OPT_END,
	};

	if ((rc = opt_parse(argc, argv, opts, usage_compile, &i)) >= 0)
		return rc;
	rc = 0;
	target = targets[t];
	jailrun = defs.jailrun;
	if (i >= argc)
		return opt_usage_error(usage_compile, "no profile given");
	if (i + 1 < argc)
		return opt_usage_error(usage_compile,
		    "one profile at a time ('%s' is extra)", argv[i + 1]);

	/* A profile with errors, lint's included, yields no launcher. */
	if ((p = load_profile(argv[i], in)) != NULL) {
		if (out != NULL)
			lint_launcher(out);
		lint_profile(p);
		if (diag_errors() == 0)
			pl = plan_build(p, &defs.plan);
	}
	d = diag_list(&n);
	for (j = 0; j < n; j++)
		if (d[j].id == E_IO)
			rc = 2;
	diag_flush(stderr, DIAGFMT_TEXT, isatty(STDERR_FILENO));
	if (pl == NULL || diag_errors() > 0)
		return rc != 0 ? rc : 1;

	/* The shell launcher's jailrun: -D's, else the one -t exe would
	 * copy, else where make install puts it; a $JAILRUN that names
	 * nothing is an error, as for -t exe. */
	if (strcmp(target, "shell") == 0 && jailrun == NULL) {
		if ((v = getenv("JAILRUN")) != NULL && *v != '\0') {
			if ((jailrun = find_jailrun(1)) == NULL)
				return 2;
		} else if ((jailrun = find_jailrun(0)) == NULL)
			jailrun = JAILC_LIBEXECDIR "/jailrun";
	}
	if (strcmp(target, "plan") == 0) {
		emit_text(&b, pl);
	} else if (strcmp(target, "packages") == 0) {
		emit_packages(&b, p);
	} else if (strcmp(target, "blob") == 0) {
		emit_blob(&b, pl);
	} else if (strcmp(target, "exe") == 0) {
		size_t rlen;
		const char *rt = find_runtime(&rlen);

		if (rt == NULL)
			return 2;
		emit_exe(&b, rt, rlen, pl);
		standalone = 1; /* executable */
	} else {
		emit_shell(&b, pl, jailrun, standalone);
	}
	/* executable: a standalone script or a single-file launcher */
	if (strcmp(target, "shell") != 0 && strcmp(target, "exe") != 0)
		standalone = 0;
	if (out != NULL)
		return write_output(out, b.s, b.len, standalone ? 0755 : 0644);
	if (strcmp(target, "exe") == 0 && isatty(STDOUT_FILENO)) {
		fputs(
		    "jailc: not writing an executable to a terminal; use -o\n",
		    stderr);
		return 2;
	}
	if (fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
		fatal("write error on standard output:");
	return 0;
}

static const char usage_run[] =
    "usage: jailc run PROFILE [ARGS...]\n"
    "\n"
    "Compile PROFILE into a single-file launcher, kept in a cache, and run\n"
    "it with ARGS.  PROFILE is a shipped profile's name (claude), found as\n"
    "extends finds one, or a file: a word with a '/' or ending in .jail.\n"
    "The launcher is compiled again only when a file of the profile's\n"
    "extends chain, jailc or jailrun changed.\n"
    "\n"
    "The cache is $XDG_CACHE_HOME/jailc (default ~/.cache/jailc).\n"
    "\n"
    "options:\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: the launcher's (the agent's, or 125), or 1 the profile\n"
    "has errors, 2 usage, cache or I/O error\n";

/* Add a length and then the bytes, so that no two inputs hash alike by
 * moving bytes between fields. */
static void
run_hash_field(struct sha256 *h, const void *data, size_t len)
{
	unsigned char n[8];
	int i;

	for (i = 0; i < 8; i++)
		n[i] = (unsigned char)((unsigned long long)len >> (8 * i));
	sha256_update(h, n, sizeof(n));
	sha256_update(h, data, len);
}

/* Hash path's name and contents; -1 after saying why it cannot. */
static int
run_hash_file(struct sha256 *h, const char *path)
{
	size_t len;
	char *data;

	if ((data = read_file(path, &len)) == NULL) {
		fprintf(stderr, "jailc: %s: %s\n", path, strerror(errno));
		return -1;
	}
	run_hash_field(h, path, strlen(path));
	run_hash_field(h, data, len);
	return 0;
}

/*
 * The cache key of a launcher: the jailc that compiles it, the jailrun
 * it carries, the bwrap it is told to use, and every file of the
 * profile's extends chain in the order read.  NULL after saying why.
 */
static char *
run_key(const struct profile *p, const char *jailrun)
{
	struct sha256 h;
	unsigned char sum[32];
	const char *bwrap = getenv("BWRAP");
	char *hex = arena_alloc(65);
	size_t i;

	sha256_init(&h);
	run_hash_field(&h, "jailc run 1", 11);
	run_hash_field(&h, JAILC_VERSION, strlen(JAILC_VERSION));
	if (run_hash_file(&h, "/proc/self/exe") != 0 ||
	    run_hash_file(&h, jailrun) != 0)
		return NULL;
	if (bwrap == NULL)
		bwrap = "";
	run_hash_field(&h, bwrap, strlen(bwrap));
	if (run_hash_file(&h, p->file) != 0)
		return NULL;
	for (i = 0; i < p->nchain; i++)
		if (run_hash_file(&h, p->chain[i].path) != 0)
			return NULL;
	sha256_final(&h, sum);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	return hex;
}

/*
 * Whether fd (what is at name) may be trusted: owned by this user and
 * writable by no one else.  Says why not.
 */
static int
run_trusted(int fd, const char *name, int isdir)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		fprintf(stderr, "jailc: %s: %s\n", name, strerror(errno));
		return 0;
	}
	if (isdir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		fprintf(stderr, "jailc: %s: not a %s; refusing the cache\n",
		    name, isdir ? "directory" : "regular file");
		return 0;
	}
	if (st.st_uid != geteuid()) {
		fprintf(stderr,
		    "jailc: %s: owned by uid %ld, not by you; refusing the "
		    "cache\n",
		    name, (long)st.st_uid);
		return 0;
	}
	if ((st.st_mode & 022) != 0) {
		fprintf(stderr,
		    "jailc: %s: writable by group or others (mode %04o); "
		    "refusing the cache\n",
		    name, (unsigned)(st.st_mode & 07777));
		return 0;
	}
	return 1;
}

/*
 * Open the cache directory, making it (0700) when missing: a directory
 * of this user's that no one else can write, never through a symbolic
 * link.  -1 after saying why.
 */
static int
run_cache_open(const char **dirp)
{
	const char *base = getenv("XDG_CACHE_HOME"), *home;
	char *dir;
	int fd;

	if (base == NULL || base[0] != '/') {
		if ((home = getenv("HOME")) == NULL || home[0] != '/') {
			fputs("jailc: neither XDG_CACHE_HOME nor HOME is an "
			      "absolute path; no cache for jailc run\n",
			    stderr);
			return -1;
		}
		base = arena_printf("%s/.cache", home);
	}
	/* the XDG base directory too, as the specification says, 0700 */
	if (mkdir(base, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "jailc: %s: %s\n", base, strerror(errno));
		return -1;
	}
	dir = arena_printf("%s/jailc", base);
	*dirp = dir;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "jailc: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
	    0) {
		if (errno == ELOOP || errno == ENOTDIR)
			fprintf(stderr,
			    "jailc: %s: a symbolic link or not a directory; "
			    "refusing the cache\n",
			    dir);
		else
			fprintf(
			    stderr, "jailc: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (!run_trusted(fd, dir, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Open the cached launcher name in dfd: -1 with errno ENOENT when there
 * is none, -2 after refusing what is there.
 */
static int
run_cache_entry(int dfd, const char *dir, const char *name)
{
	char *shown = arena_printf("%s/%s", dir, name);
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return -1;
		if (errno == ELOOP)
			fprintf(stderr,
			    "jailc: %s: a symbolic link; refusing the "
			    "cache\n",
			    shown);
		else
			fprintf(
			    stderr, "jailc: %s: %s\n", shown, strerror(errno));
		return -2;
	}
	if (!run_trusted(fd, shown, 0)) {
		close(fd);
		return -2;
	}
	return fd;
}

/* Write the launcher's len bytes as name in dfd: a temporary file made
 * there, renamed into place.  Returns 0, or 2 after saying why. */
static int
run_cache_store(
    int dfd, const char *dir, const char *name, const char *s, size_t len)
{
	char *tmp = arena_printf(".%s.%ld", name, (long)getpid());
	size_t off = 0;
	ssize_t w;
	int fd;

	/* one that a crashed run with this pid left */
	(void)unlinkat(dfd, tmp, 0);
	if ((fd = openat(dfd, tmp,
	         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0700)) <
	    0) {
		fprintf(
		    stderr, "jailc: %s/%s: %s\n", dir, tmp, strerror(errno));
		return 2;
	}
	while (off < len) {
		if ((w = write(fd, s + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	if (off < len || fchmod(fd, 0700) != 0 || close(fd) != 0) {
		fprintf(
		    stderr, "jailc: %s/%s: %s\n", dir, tmp, strerror(errno));
		unlinkat(dfd, tmp, 0);
		return 2;
	}
	if (renameat(dfd, tmp, dfd, name) != 0) {
		fprintf(
		    stderr, "jailc: %s/%s: %s\n", dir, name, strerror(errno));
		unlinkat(dfd, tmp, 0);
		return 2;
	}
	return 0;
}

/*
 * The profile run names: a file when the word has a '/' or ends in
 * .jail, else a shipped profile's name looked up as extends does.  NULL
 * after saying why.
 */
static const char *
run_profile_path(const char *word)
{
	const char **dirs;
	size_t n = strlen(word), i;
	char *path;

	if (strchr(word, '/') != NULL ||
	    (n > 5 && strcmp(word + n - 5, ".jail") == 0))
		return word;
	if (n == 0 ||
	    strspn(word, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n ||
	    word[0] == '.' || word[0] == '-') {
		fprintf(stderr,
		    "jailc: '%s' is neither a file (write ./%s) nor a "
		    "shipped profile's name\n",
		    word, word);
		return NULL;
	}
	dirs = profile_search_path();
	for (i = 0; dirs[i] != NULL; i++) {
		path = arena_printf("%s/%s.jail", dirs[i], word);
		if (access(path, R_OK) == 0)
			return path;
	}
	fprintf(stderr, "jailc: no shipped profile '%s' (looked in", word);
	for (i = 0; dirs[i] != NULL; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "", dirs[i]);
	fputs(")\n", stderr);
	return NULL;
}

static int
cmd_run(int argc, char **argv)
{
	const struct opt opts[] = { OPT_END };
	const char *path, *jailrun, *dir, *rt, *name;
	char *key, *again;
	struct profile *p;
	struct plan *pl = NULL;
	struct buf b = { NULL, 0, 0 };
	struct plan_defs defs = { NULL, NULL, NULL, NULL };
	struct diag *d;
	size_t j, n, rlen;
	char **args;
	int i, k, rc, dfd, fd;

	if ((rc = opt_parse(argc, argv, opts, usage_run, &i)) >= 0)
		return rc;
	if (i >= argc)
		return opt_usage_error(usage_run, "no profile given");
	if (strcmp(argv[i], "-") == 0)
		return opt_usage_error(
		    usage_run, "run needs a profile file, not standard input");
	if ((path = run_profile_path(argv[i])) == NULL)
		return 2;
	if ((jailrun = find_jailrun(1)) == NULL)
		return 2;
	/* the bwrap compile would pin: $BWRAP, else found at launch */
	if ((defs.bwrap = getenv("BWRAP")) != NULL && *defs.bwrap == '\0')
		defs.bwrap = NULL;
	if ((dfd = run_cache_open(&dir)) < 0)
		return 2;

	/* Reading the profile tells which files make it up; a launcher
	 * compiled from those very bytes before is run as it is. */
	p = load_profile(path, FORMAT_AUTO);
	key = p != NULL ? run_key(p, jailrun) : NULL;
	if (p != NULL && key == NULL)
		return 2;
	if (key != NULL && (fd = run_cache_entry(dfd, dir, key)) != -1) {
		if (fd == -2)
			return 2;
		goto exec;
	}

	/* A profile with errors, lint's included, yields no launcher. */
	if (p != NULL) {
		lint_profile(p);
		if (diag_errors() == 0)
			pl = plan_build(p, &defs);
	}
	rc = 0;
	d = diag_list(&n);
	for (j = 0; j < n; j++)
		if (d[j].id == E_IO)
			rc = 2;
	diag_flush(stderr, DIAGFMT_TEXT, isatty(STDERR_FILENO));
	fflush(stderr);
	if (pl == NULL || diag_errors() > 0)
		return rc != 0 ? rc : 1;
	if ((rt = find_runtime(&rlen)) == NULL)
		return 2;
	emit_exe(&b, rt, rlen, pl);
	/* A file changed while it was read: its launcher would be stored
	 * under the new bytes' key. */
	if ((again = run_key(p, jailrun)) == NULL)
		return 2;
	if (strcmp(again, key) != 0) {
		fprintf(stderr,
		    "jailc: %s changed while it was compiled; run again\n",
		    path);
		return 2;
	}
	if ((rc = run_cache_store(dfd, dir, key, b.s, b.len)) != 0)
		return rc;
	if ((fd = run_cache_entry(dfd, dir, key)) < 0) {
		if (fd == -1)
			fprintf(stderr, "jailc: %s/%s: %s\n", dir, key,
			    strerror(ENOENT));
		return 2;
	}

exec:
	/* the launcher names itself after the profile */
	name = p->name != NULL ? p->name : "jail";
	args = arena_alloc((size_t)(argc - i + 1) * sizeof(*args));
	args[0] = arena_printf("%s-jail", name);
	for (k = i + 1; k < argc; k++)
		args[k - i] = argv[k];
	args[argc - i] = NULL;
	close(dfd);
	fflush(stdout);
	fflush(stderr);
	fexecve(fd, args, environ);
	fprintf(stderr, "jailc: %s/%s: %s\n", dir, key, strerror(errno));
	return 2;
}

static const char usage_state[] =
    "usage: jailc state list PROFILE...\n"
    "       jailc state gc [--remove] PROFILE...\n"
    "\n"
    "The directories that the profiles' state.per-project makes, one per\n"
    "project: list says, for each, the project it belongs to and whether\n"
    "that project still exists; gc shows those whose project is gone and,\n"
    "with --remove, removes them.  PROFILE is a shipped name or a file, as\n"
    "for run.\n"
    "\n"
    "options:\n"
    "  --remove                   gc: remove them (default: only show)\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 done, 1 a profile has errors or a directory could not\n"
    "be removed, 2 usage or I/O error\n";

/* What jailc state knows of a directory under the state base. */
enum state_kind {
	STATE_EXISTS,   /* its project is there */
	STATE_GONE,     /* its project is gone: gc removes it */
	STATE_UNKNOWN,  /* no record of its project */
	STATE_UNPROVEN, /* a record its name does not match */
	STATE_LINK,     /* a symbolic link, or not a directory */
};

static const char *const state_words[] = { "exists", "gone", "unknown",
	"unverified", "not-a-dir" };

/* Whether the template's variable may differ between projects. */
static int
state_per_project_var(enum var v)
{
	return v == VAR_PROJECT_ROOT || v == VAR_PROJECT_ID || v == VAR_CWD ||
	    v == VAR_WORKTREE || v == VAR_WORKDIR;
}

/*
 * Split the per-project template at its last '/': *base gets the
 * directory above, expanded with this host's values, and the index of
 * the part and the offset in it where the last component starts.  NULL
 * after saying why it cannot be listed.
 */
static const char *
state_base(const struct host *h, const struct tmpl *t, size_t *kp, size_t *offp,
    const char *file)
{
	struct buf b = { NULL, 0, 0 };
	size_t k, off = 0, lastk = 0, lastoff = 0, i;
	int found = 0;

	for (k = 0; k < t->nparts; k++)
		if (t->parts[k].var == VAR_NONE)
			for (i = 0; i < t->parts[k].len; i++)
				if (t->parts[k].text[i] == '/') {
					lastk = k;
					lastoff = i;
					found = 1;
				}
	if (!found) {
		fprintf(stderr,
		    "jailc: %s: state.per-project %s has no "
		    "directory\n",
		    file, t->canon);
		return NULL;
	}
	for (k = 0; k <= lastk; k++) {
		const struct tmpl_part *pt = &t->parts[k];

		if (pt->var == VAR_NONE) {
			buf_add(&b, pt->text, k == lastk ? lastoff : pt->len);
			continue;
		}
		if (state_per_project_var(pt->var) || h->v[pt->var] == NULL) {
			fprintf(stderr,
			    "jailc: %s: state.per-project %s: the directory "
			    "above the project's is not the same for every "
			    "project\n",
			    file, t->canon);
			return NULL;
		}
		buf_puts(&b, h->v[pt->var]);
	}
	for (k = lastk + 1; k < t->nparts; k++)
		if (t->parts[k].var == VAR_PROJECT_ID)
			off = 1;
	if (!off) {
		fprintf(stderr,
		    "jailc: %s: state.per-project %s: its last component "
		    "has no ${PROJECT_ID}, so it is not one directory per "
		    "project\n",
		    file, t->canon);
		return NULL;
	}
	*kp = lastk;
	*offp = lastoff + 1;
	if (b.len == 0)
		buf_puts(&b, "/");
	else
		buf_add(&b, "", 0);
	return b.s;
}

/* The name the directory of the project at root has: the last component
 * expanded with its PROJECT_ID.  NULL when it needs what only a launch
 * in the project knows. */
static const char *
state_leaf(const struct host *h, const struct tmpl *t, size_t k0, size_t off,
    const char *root)
{
	struct buf b = { NULL, 0, 0 };
	char hex[17];
	size_t k;

	host_project_id(root, hex);
	for (k = k0; k < t->nparts; k++) {
		const struct tmpl_part *pt = &t->parts[k];

		if (pt->var == VAR_NONE) {
			size_t from = k == k0 ? off : 0;

			buf_add(&b, pt->text + from, pt->len - from);
		} else if (pt->var == VAR_PROJECT_ID) {
			buf_puts(&b, hex);
		} else if (!state_per_project_var(pt->var) &&
		    h->v[pt->var] != NULL) {
			buf_puts(&b, h->v[pt->var]);
		} else {
			return NULL;
		}
	}
	buf_add(&b, "", 0);
	return b.s;
}

/* The project the directory name in dfd records, or NULL. */
static char *
state_record(int dfd, const char *name)
{
	char buf[PATH_MAX + 2];
	struct stat st;
	ssize_t n;
	int d, fd;

	if ((d = openat(dfd, name,
	         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return NULL;
	fd = openat(d, OPTAB_STATE_MARK,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(d);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	/* one absolute path and a newline */
	if (n < 3 || n > PATH_MAX + 1 || buf[0] != '/' || buf[n - 1] != '\n' ||
	    memchr(buf, '\0', (size_t)n) != NULL ||
	    memchr(buf, '\n', (size_t)n - 1) != NULL)
		return NULL;
	return arena_strndup(buf, (size_t)n - 1);
}

/*
 * Remove the directory name in dfd and everything in it, never
 * following a symbolic link and never leaving the file system it is on:
 * every step is relative to a directory opened with O_NOFOLLOW.  The
 * number of what could not be removed.
 */
static unsigned
state_rm(int dfd, const char *name, dev_t dev, int depth)
{
	struct dirent *e;
	struct stat st;
	unsigned errs = 0;
	DIR *d;
	int fd;

	if (depth > 256)
		return 1;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_dev != dev) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			errs++;
			continue;
		}
		if (S_ISDIR(st.st_mode))
			errs += state_rm(fd, e->d_name, dev, depth + 1);
		else if (unlinkat(fd, e->d_name, 0) != 0)
			errs++;
	}
	closedir(d);
	if (errs == 0 && unlinkat(dfd, name, AT_REMOVEDIR) != 0)
		errs++;
	return errs;
}

static int
state_namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List (gc: show or remove the gone ones of) the directories in base. */
static int
state_dir(const struct host *h, const struct tmpl *t, size_t k0, size_t off,
    const char *base, int gc, int remove)
{
	struct dirent *e;
	struct stat st, bst;
	char **names = NULL, *root;
	const char *want;
	size_t n = 0, cap = 0, i, ngone = 0;
	enum state_kind kind;
	int dfd, rc = 0;
	DIR *d;

	if ((dfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT) {
			if (!gc)
				printf("%s: no state yet\n", base);
			return 0;
		}
		fprintf(stderr, "jailc: %s: %s\n", base, strerror(errno));
		return 2;
	}
	if (fstat(dfd, &bst) != 0 || (d = fdopendir(dup(dfd))) == NULL) {
		fprintf(stderr, "jailc: %s: %s\n", base, strerror(errno));
		close(dfd);
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		array_reserve(&names, &cap, n + 1, sizeof(*names));
		names[n++] = arena_strdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), state_namecmp);
	for (i = 0; i < n; i++) {
		root = NULL;
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode)) {
			kind = STATE_LINK;
		} else if ((root = state_record(dfd, names[i])) == NULL) {
			kind = STATE_UNKNOWN;
		} else if ((want = state_leaf(h, t, k0, off, root)) == NULL ||
		    strcmp(want, names[i]) != 0) {
			kind = STATE_UNPROVEN;
		} else if (stat(root, &st) == 0 ||
		    (errno != ENOENT && errno != ENOTDIR)) {
			/* there, or cannot be told: kept */
			kind = STATE_EXISTS;
		} else {
			kind = STATE_GONE;
		}
		if (!gc) {
			printf("%s/%s\t%s\t%s\n", base, names[i],
			    state_words[kind], root != NULL ? root : "-");
			continue;
		}
		if (kind != STATE_GONE)
			continue;
		ngone++;
		if (!remove) {
			printf("would remove %s/%s (%s is gone)\n", base,
			    names[i], root);
		} else if (state_rm(dfd, names[i], bst.st_dev, 0) == 0) {
			printf("removed %s/%s (%s is gone)\n", base, names[i],
			    root);
		} else {
			fprintf(stderr,
			    "jailc: %s/%s: could not be removed "
			    "entirely\n",
			    base, names[i]);
			rc = 1;
		}
	}
	close(dfd);
	if (gc && !remove && ngone > 0)
		printf("(jailc state gc --remove removes them)\n");
	return rc;
}

static int
cmd_state(int argc, char **argv)
{
	int remove = 0, i, k, rc = 0, r, gc;
	const struct opt opts[] = {
		{ "--remove", OPT_FLAG, &remove, NULL, NULL, NULL, 0 },
		OPT_END,
	};
	const char **bases = NULL, *path, *base;
	size_t nbases = 0, cap = 0, j, k0, off;
	struct profile *p;
	struct host h;

	if (argc < 2 ||
	    (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "gc") != 0)) {
		if (argc >= 2 &&
		    (strcmp(argv[1], "-h") == 0 ||
		        strcmp(argv[1], "--help") == 0)) {
			fputs(usage_state, stdout);
			return 0;
		}
		return opt_usage_error(
		    usage_state, "state needs an action: list or gc");
	}
	gc = strcmp(argv[1], "gc") == 0;
	if ((rc = opt_parse(argc - 1, argv + 1, opts, usage_state, &i)) >= 0)
		return rc;
	rc = 0;
	i++;
	if (remove && !gc)
		return opt_usage_error(usage_state, "--remove is for gc");
	if (i >= argc)
		return opt_usage_error(usage_state, "no profile given");
	review_host_values(&h, NULL);
	for (k = i; k < argc; k++) {
		if ((path = run_profile_path(argv[k])) == NULL) {
			rc = 2;
			continue;
		}
		if ((p = load_profile(path, FORMAT_AUTO)) == NULL) {
			diag_flush(stderr, DIAGFMT_TEXT, isatty(STDERR_FILENO));
			rc = rc ? rc : 1;
			continue;
		}
		if (p->per_project.canon == NULL) {
			fprintf(
			    stderr, "jailc: %s: no state.per-project\n", path);
			continue;
		}
		if ((base = state_base(&h, &p->per_project, &k0, &off, path)) ==
		    NULL) {
			rc = 2;
			continue;
		}
		/* two profiles sharing a directory: listed once */
		for (j = 0; j < nbases; j++)
			if (strcmp(bases[j], base) == 0)
				break;
		if (j < nbases)
			continue;
		array_reserve(&bases, &cap, nbases + 1, sizeof(*bases));
		bases[nbases++] = base;
		if ((r = state_dir(
		         &h, &p->per_project, k0, off, base, gc, remove)) > rc)
			rc = r;
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write error on standard output:");
	return rc;
}

static const char usage_rules[] =
    "usage: jailc rules\n"
    "\n"
    "List the lint rules: ID, level, weight in the exposure score and "
    "text.\n";

static int
cmd_rules(int argc, char **argv)
{
	const struct opt opts[] = { OPT_END };
	int id, i, rc;

	if ((rc = opt_parse(argc, argv, opts, usage_rules, &i)) >= 0)
		return rc;
	if (i < argc)
		return opt_usage_error(
		    usage_rules, "unexpected argument '%s'", argv[i]);
	for (id = 0; id < DIAG_MAX; id++) {
		static const char *const levels[] = { "note", "warning",
			"error" };

		if (diag_is_rule((enum diag_id)id))
			printf("%-24s %-8s %4d  %s\n",
			    diag_idstr((enum diag_id)id),
			    levels[diag_level((enum diag_id)id)],
			    lint_weight((enum diag_id)id),
			    diag_text((enum diag_id)id));
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static char errbuf[BUFSIZ];
	int rc;

	/* Diagnostics come in many small writes; buffer them. */
	setvbuf(stderr, errbuf, _IOFBF, sizeof(errbuf));
	/* SARIF carries each rule's help and weight. */
	diag_rule_help(lint_help, lint_weight);
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("jailc %s\n", JAILC_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "check") == 0)
		rc = cmd_check(argc - 1, argv + 1);
	else if (strcmp(argv[1], "compile") == 0)
		rc = cmd_compile(argc - 1, argv + 1);
	else if (strcmp(argv[1], "run") == 0)
		rc = cmd_run(argc - 1, argv + 1);
	else if (strcmp(argv[1], "state") == 0)
		rc = cmd_state(argc - 1, argv + 1);
	else if (strcmp(argv[1], "rules") == 0)
		rc = cmd_rules(argc - 1, argv + 1);
	else if (strcmp(argv[1], "score") == 0)
		rc = cmd_score(argc - 1, argv + 1);
	else if (strcmp(argv[1], "explain") == 0)
		rc = review_explain(argc - 1, argv + 1);
	else if (strcmp(argv[1], "diff") == 0)
		rc = review_diff(argc - 1, argv + 1);
	else if (strcmp(argv[1], "why") == 0)
		rc = review_why(argc - 1, argv + 1);
	else
		rc = opt_usage_error(
		    usage_main, "unknown command '%s'", argv[1]);
	arena_free_all();
	return rc;
}
