/*
 * lint.h - risk rules over the profile IR.
 *
 * Included by: lint.c, main.c.  Lint never parses: it runs on a profile
 * that already validated, and only adds findings.
 */
#ifndef JAILC_LINT_H
#define JAILC_LINT_H

#include "profile.h"

/* Report every finding of every rule on p; findings named in p's
 * risk.accept are suppressed with the author's reason. */
void lint_profile(struct profile *p);

/* Whether id is a lint rule (and so may be named in risk.accept). */
int lint_is_rule(enum diag_id id);

#endif
