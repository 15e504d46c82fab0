/*
 * opt.h - the commands' options: a table for each command, read by one
 * parser.
 *
 * Included by: main.c, explain.c, diff.c, why.c.
 *
 * An option is NAME, or with a value NAME VALUE or NAME=VALUE; options
 * come before the operands, "--" ends them and "-" is an operand (standard
 * input).  -h and --help print the command's usage.  A value is checked
 * when it is read, so the first bad word on the command line is the one
 * reported.  Usage errors exit 2.
 */
#ifndef JAILC_OPT_H
#define JAILC_OPT_H

/* What an option does with what it is given. */
enum opt_kind {
	OPT_FLAG, /* no value: *(int *)dst = 1 */
	OPT_TEXT, /* *(const char **)dst = the value */
	OPT_WORD, /* *(int *)dst = the value's index in words */
	OPT_CALL  /* check(dst, value) */
};

/* One option of a command; a table of them ends with a NULL name. */
struct opt {
	const char *name; /* "--format", "-t" */
	enum opt_kind kind;
	void *dst;
	const char *const *words; /* OPT_WORD: the values, NULL-ended */
	const char *noun;         /* OPT_WORD: "unknown NOUN 'VALUE'" */
	/* OPT_CALL: NULL when v is taken, else why not */
	const char *(*check)(void *dst, const char *v);
	int last; /* no options after this one (check --explain) */
};

/* --format text|json into an int, 1 for json. */
#define OPT_FORMAT_TEXT_JSON(dst)                                              \
	{                                                                      \
		"--format", OPT_WORD, (dst), opt_text_json, "output format",   \
		    NULL, 0                                                    \
	}
/* --input-format toml|yaml into an enum doc_format. */
#define OPT_INPUT_FORMAT(dst)                                                  \
	{                                                                      \
		"--input-format", OPT_CALL, (dst), NULL, NULL,                 \
		    opt_input_format, 0                                        \
	}
#define OPT_END                                                                \
	{                                                                      \
		NULL, OPT_FLAG, NULL, NULL, NULL, NULL, 0                      \
	}

/* "text", "json": the values of most commands' --format. */
extern const char *const opt_text_json[];

/* An --input-format value into *(enum doc_format *)dst; NULL, or why
 * it is refused. */
const char *opt_input_format(void *dst, const char *v);

/* Read the options in argv[1..argc) that opts names; *ip is left on the
 * first operand.  Returns -1 to go on, else the exit status: 0 after -h
 * or --help printed usage on stdout, 2 after a usage error. */
int opt_parse(
    int argc, char **argv, const struct opt *opts, const char *usage, int *ip);

/* "jailc: MESSAGE" and usage on stderr; returns 2. */
int opt_usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
