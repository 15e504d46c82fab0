/*
 * review.h - the review commands: jailc explain, jailc diff, jailc why.
 *
 * Included by: review.c, main.c.  They read the IR and the plan (never
 * the document tree) and print what a profile grants, with the file and
 * line of the entry that grants it.
 */
#ifndef JAILC_REVIEW_H
#define JAILC_REVIEW_H

/* jailc explain [--resolve] [--format text|json] FILE; returns the exit
 * status: 0 shown, 1 the profile has errors, 2 usage or I/O error. */
int review_explain(int argc, char **argv);

/* jailc diff [--format text|json] OLD NEW; returns 0 when NEW grants no
 * more than OLD, 1 when it widens access, 2 on any error. */
int review_diff(int argc, char **argv);

/* jailc why [--format text|json] PATH|ENVVAR FILE; returns 0 answered,
 * 1 the profile has errors, 2 usage or I/O error. */
int review_why(int argc, char **argv);

#endif
