/*
 * lint.h - risk rules over the profile IR.
 *
 * Included by: lint.c, main.c, review.c (the stages above the IR) and the
 * unit tests.  Lint never parses: it runs on a profile that already
 * validated, and only adds findings.  Which messages are rules is diag.h's
 * to say (DIAG_RULES), so that the IR stage can check risk.accept without
 * asking lint.
 */
#ifndef JAILC_LINT_H
#define JAILC_LINT_H

#include "profile.h"

/* Report every finding of every rule on p; findings named in p's
 * risk.accept are suppressed with the author's reason. */
void lint_profile(struct profile *p);

/* A lint rule: its weight in the exposure score (the weights of all
 * rules add up to 10000) and the help text `check --explain` shows. */
struct lint_rule {
	enum diag_id id;
	int weight;
	const char *help;
};

/* Name the launcher file being written (jailc compile -o), so that
 * profile-writable also reports a writable mount that holds it. */
void lint_launcher(const char *path);

/* The rule id, or NULL when id is no lint rule (diag_is_rule() tells
 * which messages are rules). */
const struct lint_rule *lint_rule(enum diag_id id);
/* The help text of rule id, or NULL when id is no lint rule. */
const char *lint_help(enum diag_id id);
/* The weight of rule id in the exposure score, or 0. */
int lint_weight(enum diag_id id);

/* One rule that adds to a profile's exposure. */
struct lint_contrib {
	enum diag_id id;
	int weight;
	const char *detail;   /* of its first finding */
	const char *accepted; /* risk.accept's reason, or NULL */
};

/* A profile's exposure, in the manner of systemd-analyze security:
 * sum(badness * weight) / sum(weight), scaled to 0.0 - 10.0, where a
 * rule's badness is 1 when it has a finding (accepted or not) and 0
 * otherwise. */
struct lint_score {
	int tenths; /* the exposure times ten, rounded: 0 - 100 */
	const char *band;
	struct lint_contrib *v; /* heaviest first */
	size_t n;
};

/* Score the findings d[0..n) of one profile. */
void lint_score(const struct diag *d, size_t n, struct lint_score *s);
/* The band of an exposure given in tenths ("PERFECT" ... "DANGEROUS"). */
const char *lint_band(int tenths);

#endif
