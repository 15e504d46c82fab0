/*
 * opt.c - the commands' option parser: each command gives a table of the
 * options it takes, and this one loop reads them all the same way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "opt.h"

const char *const opt_text_json[] = { "text", "json", NULL };

const char *
opt_input_format(void *dst, const char *v)
{
	enum doc_format *in = dst;

	if ((*in = doc_input_format(v)) == FORMAT_AUTO)
		return arena_printf("unknown input format '%s'", v);
	return NULL;
}

int
opt_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("jailc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(usage, stderr);
	return 2;
}

/* The option of opts that arg names, alone or (with a value) as
 * NAME=VALUE, or NULL. */
static const struct opt *
opt_find(const struct opt *opts, const char *arg)
{
	const struct opt *o;
	size_t n;

	for (o = opts; o->name != NULL; o++) {
		n = strlen(o->name);
		if (strncmp(arg, o->name, n) == 0 &&
		    (arg[n] == '\0' || (arg[n] == '=' && o->kind != OPT_FLAG)))
			return o;
	}
	return NULL;
}

/* Take the value v for option o; -1 when taken, else 2 after saying
 * why not. */
static int
opt_take(const struct opt *o, const char *v, const char *usage)
{
	const char *why;
	int k;

	switch (o->kind) {
	case OPT_FLAG:
		*(int *)o->dst = 1;
		break;
	case OPT_TEXT:
		*(const char **)o->dst = v;
		break;
	case OPT_WORD:
		for (k = 0; o->words[k] != NULL; k++)
			if (strcmp(v, o->words[k]) == 0)
				break;
		if (o->words[k] == NULL)
			return opt_usage_error(
			    usage, "unknown %s '%s'", o->noun, v);
		*(int *)o->dst = k;
		break;
	case OPT_CALL:
		if ((why = o->check(o->dst, v)) != NULL)
			return opt_usage_error(usage, "%s", why);
		break;
	default:
		fatal("option %s: kind %d", o->name, (int)o->kind);
	}
	return -1;
}

int
opt_parse(
    int argc, char **argv, const struct opt *opts, const char *usage, int *ip)
{
	const struct opt *o;
	const char *arg, *v = NULL;
	int i, rc;

	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break; /* the first operand; "-" is standard input */
		if ((o = opt_find(opts, arg)) == NULL)
			return opt_usage_error(
			    usage, "unknown option '%s'", arg);
		if (o->kind != OPT_FLAG) {
			v = arg + strlen(o->name);
			if (*v == '=') {
				v++;
			} else if (i + 1 < argc) {
				v = argv[++i];
			} else {
				fprintf(stderr,
				    "jailc: option %s needs a value\n",
				    o->name);
				return 2;
			}
		}
		if ((rc = opt_take(o, v, usage)) >= 0)
			return rc;
		if (o->last) {
			i++;
			break;
		}
	}
	*ip = i;
	return -1;
}
