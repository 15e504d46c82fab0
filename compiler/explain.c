/*
 * explain.c - jailc explain: every mount, environment rule, namespace and
 * network setting a profile grants, each with the file:line of the entry
 * behind it; with --resolve, in this host's values.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "profile.h"
#include "plan.h"
#include "opt.h"
#include "review.h"

static const char usage_explain[] =
    "usage: jailc explain [--resolve] [--format text|json]\n"
    "                     [--input-format toml|yaml] FILE\n"
    "\n"
    "Show every mount, environment rule, namespace and network setting the\n"
    "profile grants, each with the file:line of the entry behind it.\n"
    "\n"
    "options:\n"
    "  --resolve                  show paths with this host's values (HOME,\n"
    "                             USER, UID, CWD, PROJECT_ROOT, XDG_*...)\n"
    "  --format text|json         one screen of text (default), or JSON\n"
    "  --input-format toml|yaml   read FILE as this syntax\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 shown, 1 the profile has errors, 2 usage or I/O "
    "error\n";

static const char *
mount_notes(const struct plan_op *o)
{
	struct buf b = { NULL, 0, 0 };

	buf_add(&b, "", 0);
	if (o->op == PLAN_PROTECT)
		return o->mount.kind == MOUNT_RW
		    ? "pinned in place where a writable mount holds it"
		    : o->dir ? "where a writable mount holds it; an empty "
		               "directory when missing"
		             : "where a writable mount holds it; a file when "
		               "missing";
	if (o->mount.optional)
		buf_printf(&b, "%soptional", b.len ? ", " : "");
	if (o->mount.create == CREATE_FILE)
		buf_printf(
		    &b, "%screated empty when missing", b.len ? ", " : "");
	else if (o->mount.create)
		buf_printf(&b, "%screated when missing", b.len ? ", " : "");
	if (o->mount.mode >= 0)
		buf_printf(&b, "%smode %04o", b.len ? ", " : "",
		    (unsigned)o->mount.mode);
	return b.s;
}

/* A setting's origin from its IR position alone. */
static const char *
pos_text(const struct pos *pos)
{
	return review_origin_text((struct origin){ pos, NULL, NULL });
}

/* What an allow entry reaches, for the table. */
static const char *
netentry_note(const struct netentry *e)
{
	const char *special;

	switch (e->rule.kind) {
	case NR_WILD:
		return "every name below it, not itself";
	case NR_IP4:
	case NR_IP6:
		special = netrule_special(e->rule.addr, e->rule.kind == NR_IP4);
		return special != NULL
		    ? arena_printf("a %s address: the host's own", special)
		    : "this address only";
	case NR_NAME:
		return strcmp(e->rule.host, "localhost") == 0
		    ? "the host's loopback"
		    : NULL;
	}
	return NULL;
}

/* [gui], when the profile turns any of it on: where each socket comes
 * from on the host and what the jail gets of it. */
static void
explain_gui(FILE *fp, struct table *t, const struct profile *p)
{
	static const char *const notes[GUI_MAX] = {
		"the display of $DISPLAY and a cookie for it alone; X lets "
		"clients read each other's keys and screen",
		"the compositor's socket, $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY",
		"$XDG_RUNTIME_DIR/pipewire-0: microphones, cameras, screen "
		"streams",
		"$XDG_RUNTIME_DIR/pulse/native: sound and the microphone",
	};
	size_t i, j;

	for (i = 0; i < GUI_MAX && !p->gui[i]; i++)
		;
	if (i == GUI_MAX && !p->dbus_on)
		return;
	fputs(
	    "\ndesktop (what the host has of it; the rest is left out)\n", fp);
	for (i = 0; i < GUI_MAX; i++)
		if (p->gui[i])
			review_row(t, gui_cap_name((enum gui_cap)i), "yes",
			    pos_text(&p->gui_pos[i]), notes[i], NULL);
	if (p->dbus_on)
		review_row(t, "dbus", "through xdg-dbus-proxy",
		    pos_text(&p->dbus_pos),
		    "the session bus filtered: the bus itself and the names "
		    "below",
		    NULL);
	for (i = 0; i < DBUS_MAX; i++)
		for (j = 0; j < p->dbus[i].n; j++)
			review_row(t,
			    arena_printf(
			        "dbus %s", dbus_rule_name((enum dbus_rule)i)),
			    p->dbus[i].v[j].s, pos_text(&p->dbus[i].v[j].pos),
			    NULL, NULL);
	review_table_print(fp, t);
}

static void
explain_text(FILE *fp, const struct profile *p, const struct plan *pl,
    const struct host *h)
{
	struct table t = { NULL, 0, 0 };
	const struct plan_op *o;
	const char *said = NULL;
	size_t i;
	int k;

	fprintf(fp, "profile %s (%s)\n", pl->name, p->file);
	if (p->extends.n > 0) {
		fputs("extends", fp);
		for (i = 0; i < p->extends.n; i++)
			fprintf(fp, "%s %s (%s)", i > 0 ? "," : "",
			    p->extends.v[i].s,
			    plan_where(&p->extends.v[i].pos));
		fputc('\n', fp);
	}
	if (h != NULL) {
		fputs("\nvariables, as this host would set them\n", fp);
		for (i = 0; i < pl->nops; i++) {
			o = &pl->ops[i];
			if (o->op == PLAN_VAR)
				review_row(&t, var_name(o->var),
				    h->v[o->var] != NULL ? h->v[o->var]
				                         : "(unknown)",
				    NULL, NULL, NULL);
			else if (o->op == PLAN_WORKDIR)
				review_row(&t, "WORKDIR", "(made for each run)",
				    NULL, NULL, NULL);
		}
		review_table_print(fp, &t);
		if ((said = h->problem) != NULL)
			fprintf(fp, "  note: a launch here would stop: %s\n",
			    h->problem);
	}

	fputs("\nmounts, in launch order (a later one covers what lies "
	      "under it)\n",
	    fp);
	review_row(&t, "KIND", "JAIL PATH", "HOST PATH", "FROM", "NOTES");
	for (i = 0; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (review_is_mount(o))
			review_row(&t, review_kind_word(o),
			    review_expand(review_mount_dest(o), h),
			    review_mount_source(o, h),
			    review_origin_text(review_op_origin(o, p)),
			    mount_notes(o));
		else if (o->op == PLAN_GITPATH)
			review_row(&t, "ro", review_gitpath_text(o, h),
			    "(itself)",
			    review_origin_text(review_op_origin(o, p)),
			    "read with git at launch, where a .git is; pinned "
			    "where a writable mount holds it; an empty "
			    "directory when missing");
	}
	review_table_print(fp, &t);
	/* git, asked for the rows above, may have been refused */
	if (h != NULL && h->problem != NULL && said == NULL)
		fprintf(
		    fp, "  note: a launch here would stop: %s\n", h->problem);

	fputs("\nenvironment (deny wins over allow; a set value replaces the "
	      "host's)\n",
	    fp);
	for (i = 0; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op == PLAN_ENV_ALLOW)
			review_row(&t, "allow", o->s,
			    review_origin_text(review_op_origin(o, p)), NULL,
			    NULL);
		else if (o->op == PLAN_ENV_DENY)
			review_row(&t, "deny", o->s,
			    review_origin_text(review_op_origin(o, p)), NULL,
			    NULL);
		else if (o->op == PLAN_ENV_EXTRA)
			review_row(&t, "extra", o->s,
			    review_origin_text(review_op_origin(o, p)),
			    arena_printf("the names listed in $%s pass too, "
			                 "under the same denials",
			        o->s),
			    NULL);
		else if (o->op == PLAN_ENV_SET)
			review_row(&t, "set",
			    arena_printf(
			        "%s=%s", o->s, review_expand(&o->src, h)),
			    review_origin_text(review_op_origin(o, p)), NULL,
			    NULL);
	}
	review_table_print(fp, &t);

	fputs("\nnamespaces and process\n", fp);
	review_row(&t, "network", network_mode_name(p->network),
	    pos_text(&p->network_pos),
	    p->network == NET_HOST        ? "the host's network"
	        : p->network == NET_PROXY ? "only the hosts allowed below, "
	                                    "through the launcher's proxy"
	                                  : "loopback only",
	    NULL);
	for (i = 0; p->network == NET_PROXY && i < p->nnet_allow; i++)
		review_row(&t, "allow host", p->net_allow[i].text,
		    pos_text(&p->net_allow[i].pos),
		    netentry_note(&p->net_allow[i]), NULL);
	for (i = 0; p->network == NET_PROXY && i < p->nnet_deny; i++)
		review_row(&t, "deny host", p->net_deny[i].text,
		    pos_text(&p->net_deny[i].pos), "refused even when allowed",
		    NULL);
	if (p->network == NET_PROXY && p->nnet_allow == 0)
		review_row(&t, "allow host", "(none)", NULL,
		    "the proxy refuses every host", NULL);
	review_row(&t, "abstract-sockets",
	    p->abstract_host ? "host" : "isolate", pos_text(&p->abstract_pos),
	    p->network != NET_HOST ? "the jail's own network namespace has none"
	        : p->abstract_host
	        ? "the host's are reachable (X11, D-Bus)"
	        : "the host's are kept out by a Landlock scope",
	    NULL);
	for (k = 0; k < NS_MAX; k++)
		review_row(&t, review_nsnames[k],
		    p->share[k] ? "shared" : "unshared",
		    pos_text(&p->share_pos[k]), NULL, NULL);
	review_row(&t, "die-with-parent", p->die_with_parent ? "yes" : "no",
	    NULL, NULL, NULL);
	review_row(&t, "hostname",
	    p->hostname != NULL ? p->hostname : "(the host's)",
	    pos_text(&p->hostname_pos), NULL, NULL);
	review_row(&t, "nested-sandbox", p->nested_sandbox ? "yes" : "no",
	    pos_text(&p->nested_pos),
	    p->nested_sandbox ? "the jailed program may make user namespaces"
	                      : NULL,
	    NULL);
	review_row(&t, "seccomp", p->seccomp_off ? "off" : "default filter",
	    pos_text(&p->seccomp_pos), NULL, NULL);
	for (i = 0; i < p->sc_allow.n; i++)
		review_row(&t, "seccomp allow", p->sc_allow.v[i].s,
		    pos_text(&p->sc_allow.v[i].pos), NULL, NULL);
	for (i = 0; i < p->sc_deny.n; i++)
		review_row(&t, "seccomp deny", p->sc_deny.v[i].s,
		    pos_text(&p->sc_deny.v[i].pos), NULL, NULL);
	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == PLAN_LIMIT)
			review_row(&t, arena_printf("limit %s", pl->ops[i].s),
			    review_limit_text(pl->ops[i].limit),
			    pos_text(&pl->ops[i].pos),
			    pl->ops[i].optional
			        ? "only where the host can give it "
			          "(process.limits-optional)"
			        : NULL,
			    NULL);
	review_row(&t, "protect-hooks", p->protect_hooks ? "yes" : "no",
	    pos_text(&p->hooks_pos),
	    p->protect_hooks ? ".git, .git/hooks, .git/config and "
	                       "core.hooksPath under PROJECT_ROOT (see "
	                       "mounts)"
	                     : NULL,
	    NULL);
	review_row(&t, "git-identity",
	    p->identity == IDENTITY_HOST ? "host" : "none",
	    pos_text(&p->identity_pos), NULL, NULL);
	review_table_print(fp, &t);

	explain_gui(fp, &t, p);

	fputs("\nchoices at launch (narrowing the network needs none)\n", fp);
	for (i = 0; i <= NET_PROXY; i++)
		if (p->launch_net[i])
			review_row(&t, "network",
			    network_mode_name((enum network_mode)i),
			    pos_text(&p->launch_net_pos[i]),
			    network_mode_rank((enum network_mode)i) >
			            network_mode_rank(p->network)
			        ? "--jail-network: wider than network.mode"
			        : "--jail-network: no wider than network.mode",
			    NULL);
	if (p->launch_shell)
		review_row(&t, "shell", "yes", pos_text(&p->launch_shell_pos),
		    "--jail-shell: a shell instead of the command", NULL);
	for (i = 0; i < p->nlaunch_mounts; i++)
		review_row(&t, p->launch_mounts[i].rw ? "rw" : "ro",
		    review_expand(&p->launch_mounts[i].path, h),
		    pos_text(&p->launch_mounts[i].pos),
		    p->launch_mounts[i].rw
		        ? "--jail-rw or --jail-ro: it or a directory beneath"
		        : "--jail-ro: it or a directory beneath",
		    NULL);
	if (t.n == 0)
		review_row(&t, "(none)", "", NULL,
		    "the launch can only narrow the network", NULL);
	review_table_print(fp, &t);

	if (p->exec.canon != NULL) {
		fputs("\ncommand\n", fp);
		review_row(&t, "exec", review_expand(&p->exec, h),
		    pos_text(&p->exec.pos), NULL, NULL);
		for (i = 0; i < p->nargs; i++)
			review_row(&t, "arg", review_expand(&p->args[i], h),
			    pos_text(&p->args[i].pos), NULL, NULL);
		review_table_print(fp, &t);
	}
}

static void
explain_json(struct buf *b, const struct profile *p, const struct plan *pl,
    const struct host *h)
{
	const struct plan_op *o;
	const char *sep = "";
	size_t i, j;
	int k;

	buf_puts(b, "{\n  \"profile\": ");
	review_jstr(b, pl->name);
	buf_puts(b, ",\n  \"file\": ");
	review_jstr(b, p->file);
	buf_puts(b, ",\n  \"extends\": [");
	for (i = 0; i < p->extends.n; i++) {
		buf_printf(b, "%s{\"name\": ", i > 0 ? ", " : "");
		review_jstr(b, p->extends.v[i].s);
		buf_puts(b, ", ");
		review_jpos(b, &p->extends.v[i].pos);
		buf_puts(b, "}");
	}
	buf_puts(b, "],\n  \"variables\": {");
	for (i = 0; h != NULL && i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op != PLAN_VAR && o->op != PLAN_WORKDIR)
			continue;
		buf_printf(b, "%s\"%s\": ", sep, var_name(o->var));
		review_jstr(b, h->v[o->var]);
		sep = ", ";
	}
	buf_puts(b, "},\n  \"mounts\": [");
	for (i = 0, sep = "\n"; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op == PLAN_GITPATH) {
			/* the path is git's at launch: the key instead */
			buf_printf(
			    b, "%s    {\"kind\": \"ro\", \"dest\": ", sep);
			review_jstr(b, review_gitpath_text(o, h));
			buf_puts(b,
			    ", \"src\": null, \"optional\": false, "
			    "\"create\": false, \"protect\": true, "
			    "\"git_key\": ");
			review_jstr(b, o->s);
			buf_puts(b, ", ");
			review_jorigin(b, review_op_origin(o, p));
			buf_puts(b, "}");
			sep = ",\n";
			continue;
		}
		if (!review_is_mount(o))
			continue;
		buf_printf(b, "%s    {\"kind\": \"%s\", \"dest\": ", sep,
		    review_kind_word(o));
		review_jstr(b, review_expand(review_mount_dest(o), h));
		buf_puts(b, ", \"src\": ");
		review_jstr(b,
		    review_rank(o) > 0 && o->op != PLAN_GITCONFIG
		        ? review_expand(&o->src, h)
		        : NULL);
		buf_printf(b,
		    ", \"optional\": %s, \"create\": %s, \"protect\": %s, ",
		    o->mount.optional ? "true" : "false",
		    o->mount.create ? "true" : "false",
		    o->op == PLAN_PROTECT ? "true" : "false");
		review_jorigin(b, review_op_origin(o, p));
		buf_puts(b, "}");
		sep = ",\n";
	}
	buf_puts(b, "],\n  \"env\": [");
	for (i = 0, sep = "\n"; i < pl->nops; i++) {
		static const char *const words[] = { [PLAN_ENV_ALLOW] = "allow",
			[PLAN_ENV_DENY] = "deny",
			[PLAN_ENV_EXTRA] = "extra-from",
			[PLAN_ENV_SET] = "set" };

		o = &pl->ops[i];
		if (o->op != PLAN_ENV_ALLOW && o->op != PLAN_ENV_DENY &&
		    o->op != PLAN_ENV_EXTRA && o->op != PLAN_ENV_SET)
			continue;
		buf_printf(b, "%s    {\"rule\": \"%s\", \"name\": ", sep,
		    words[o->op]);
		review_jstr(b, o->s);
		buf_puts(b, ", \"value\": ");
		review_jstr(b,
		    o->op == PLAN_ENV_SET ? review_expand(&o->src, h) : NULL);
		buf_puts(b, ", ");
		review_jorigin(b, review_op_origin(o, p));
		buf_puts(b, "}");
		sep = ",\n";
	}
	buf_puts(b, "],\n  \"network\": {\"mode\": ");
	review_jstr(b, network_mode_name(p->network));
	buf_puts(b, ", ");
	review_jpos(b, &p->network_pos);
	for (k = 0; k < 2; k++) {
		const struct netentry *v = k == 0 ? p->net_allow : p->net_deny;
		size_t n = k == 0 ? p->nnet_allow : p->nnet_deny;

		buf_printf(b, ", \"%s\": [", k == 0 ? "allow" : "deny");
		for (i = 0; i < n; i++) {
			buf_printf(b, "%s{\"entry\": ", i > 0 ? ", " : "");
			review_jstr(b, v[i].text);
			buf_printf(b, ", \"port\": %u, \"wildcard\": %s, ",
			    v[i].rule.port,
			    v[i].rule.kind == NR_WILD ? "true" : "false");
			review_jpos(b, &v[i].pos);
			buf_puts(b, "}");
		}
		buf_puts(b, "]");
	}
	buf_puts(b, ", \"abstract_sockets\": {\"mode\": ");
	review_jstr(b, p->abstract_host ? "host" : "isolate");
	buf_printf(b, ", \"host_reachable\": %s, ",
	    p->network == NET_HOST && p->abstract_host ? "true" : "false");
	review_jpos(b, &p->abstract_pos);
	buf_puts(b, "}},\n  \"namespaces\": {");
	for (k = 0; k < NS_MAX; k++) {
		buf_printf(b, "%s\"%s\": {\"shared\": %s, ", k > 0 ? ", " : "",
		    review_nsnames[k], p->share[k] ? "true" : "false");
		review_jpos(b, &p->share_pos[k]);
		buf_puts(b, "}");
	}
	buf_printf(b, "},\n  \"die_with_parent\": %s",
	    p->die_with_parent ? "true" : "false");
	buf_puts(b, ",\n  \"hostname\": ");
	review_jstr(b, p->hostname);
	buf_printf(b, ",\n  \"nested_sandbox\": %s",
	    p->nested_sandbox ? "true" : "false");
	buf_printf(b, ",\n  \"seccomp\": {\"filter\": %s, ",
	    p->seccomp_off ? "false" : "true");
	review_jpos(b, &p->seccomp_pos);
	buf_puts(b, ", \"allow\": [");
	for (i = 0; i < p->sc_allow.n; i++) {
		buf_puts(b, i > 0 ? ", " : "");
		review_jstr(b, p->sc_allow.v[i].s);
	}
	buf_puts(b, "], \"deny\": [");
	for (i = 0; i < p->sc_deny.n; i++) {
		buf_puts(b, i > 0 ? ", " : "");
		review_jstr(b, p->sc_deny.v[i].s);
	}
	buf_puts(b, "]},\n  \"limits\": {");
	for (i = 0, sep = ""; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op != PLAN_LIMIT)
			continue;
		buf_printf(b, "%s\"%s\": ", sep, o->s);
		if (o->limit == LIMIT_UNLIMITED)
			buf_puts(b, "\"unlimited\"");
		else
			buf_printf(b, "%llu", o->limit);
		sep = ", ";
	}
	buf_puts(b, "},\n  \"limits_optional\": [");
	for (i = 0, sep = ""; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op != PLAN_LIMIT || !o->optional)
			continue;
		buf_printf(b, "%s\"%s\"", sep, o->s);
		sep = ", ";
	}
	buf_printf(b, "],\n  \"protect_hooks\": {\"on\": %s, ",
	    p->protect_hooks ? "true" : "false");
	review_jpos(b, &p->hooks_pos);
	buf_printf(b, "},\n  \"git_identity\": {\"host\": %s, ",
	    p->identity == IDENTITY_HOST ? "true" : "false");
	review_jpos(b, &p->identity_pos);
	buf_puts(b, "},\n  \"gui\": {");
	for (i = 0; i < GUI_MAX; i++) {
		buf_printf(b, "\"%s\": {\"on\": %s, ",
		    gui_cap_name((enum gui_cap)i),
		    p->gui[i] ? "true" : "false");
		review_jpos(b, &p->gui_pos[i]);
		buf_puts(b, "}, ");
	}
	buf_printf(b, "\"dbus\": {\"on\": %s, ", p->dbus_on ? "true" : "false");
	review_jpos(b, &p->dbus_pos);
	for (i = 0; i < DBUS_MAX; i++) {
		buf_printf(b, ", \"%s\": [", dbus_rule_name((enum dbus_rule)i));
		for (j = 0, sep = ""; j < p->dbus[i].n; j++) {
			buf_printf(b, "%s{\"name\": ", sep);
			review_jstr(b, p->dbus[i].v[j].s);
			buf_puts(b, ", ");
			review_jpos(b, &p->dbus[i].v[j].pos);
			buf_puts(b, "}");
			sep = ", ";
		}
		buf_puts(b, "]");
	}
	buf_puts(b, "}");
	buf_puts(b, "},\n  \"launch\": {\"network\": [");
	for (i = 0, sep = ""; i <= NET_PROXY; i++) {
		if (!p->launch_net[i])
			continue;
		buf_printf(b, "%s{\"mode\": ", sep);
		review_jstr(b, network_mode_name((enum network_mode)i));
		buf_puts(b, ", ");
		review_jpos(b, &p->launch_net_pos[i]);
		buf_puts(b, "}");
		sep = ", ";
	}
	buf_printf(b, "], \"shell\": {\"on\": %s, ",
	    p->launch_shell ? "true" : "false");
	review_jpos(b, &p->launch_shell_pos);
	buf_puts(b, "}, \"mounts\": [");
	for (i = 0, sep = ""; i < p->nlaunch_mounts; i++) {
		buf_printf(b, "%s{\"mode\": \"%s\", \"path\": ", sep,
		    p->launch_mounts[i].rw ? "rw" : "ro");
		review_jstr(b, review_expand(&p->launch_mounts[i].path, h));
		buf_puts(b, ", ");
		review_jpos(b, &p->launch_mounts[i].pos);
		buf_puts(b, "}");
		sep = ", ";
	}
	buf_puts(b, "]},\n  \"command\": ");
	review_jstr(
	    b, p->exec.canon != NULL ? review_expand(&p->exec, h) : NULL);
	buf_puts(b, "\n}\n");
}

int
review_explain(int argc, char **argv)
{
	struct profile *p = NULL;
	const struct plan *pl;
	struct host host;
	enum doc_format in = FORMAT_AUTO;
	int json = 0, resolve = 0, i, rc;
	const struct opt opts[] = {
		{ "--resolve", OPT_FLAG, &resolve, NULL, NULL, NULL, 0 },
		OPT_FORMAT_TEXT_JSON(&json),
		OPT_INPUT_FORMAT(&in),
		OPT_END,
	};

	if ((rc = opt_parse(argc, argv, opts, usage_explain, &i)) >= 0)
		return rc;
	if (i >= argc)
		return opt_usage_error(usage_explain, "no profile given");
	if (i + 1 < argc)
		return opt_usage_error(usage_explain,
		    "one profile at a time; extra '%s'", argv[i + 1]);
	pl = review_load(argv[i], in, &p);
	rc = review_flush_diags(1);
	if (pl == NULL)
		return rc;
	if (resolve)
		review_host_values(&host, pl);
	if (json) {
		struct buf b = { NULL, 0, 0 };

		explain_json(&b, p, pl, resolve ? &host : NULL);
		fwrite(b.s, 1, b.len, stdout);
	} else {
		explain_text(stdout, p, pl, resolve ? &host : NULL);
	}
	return review_finish(0);
}
