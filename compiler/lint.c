/*
 * lint.c - risk rules over the profile IR.
 *
 * Every rule is a diag_id in diag.h's catalogue; its band is its level.
 * Rules look only at the merged IR, so a finding in an inherited setting
 * points into the parent profile that wrote it.
 */
#include <fnmatch.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util.h"
#include "diag.h"
#include "profile.h"
#include "lint.h"

/* The rules, and so what risk.accept may name. */
static const enum diag_id rules[] = {
	N_ENV_ALLOW_SECRET,
	W_ENV_ALLOW_SECRET_GLOB,
	W_ENV_SSH_AGENT,
	W_LITERAL_HOME,
	E_MOUNT_SECRET,
	E_MOUNT_HOME_RW,
	E_MOUNT_ROOT_RW,
	E_ENV_SET_SECRET,
};

/*
 * Host paths that hold credentials.  A mount of one of them, of something
 * inside one, or of a directory containing one hands the agent the keys.
 */
static const char *const secret_paths[] = {
	"~/.ssh",
	"~/.gnupg",
	"~/.aws",
	"~/.azure",
	"~/.kube",
	"~/.docker/config.json",
	"~/.netrc",
	"~/.git-credentials",
	"~/.password-store",
	"~/.config/gh",
	"~/.config/gcloud",
	"~/.local/share/keyrings",
	"${XDG_CONFIG_HOME}/gh",
	"${XDG_RUNTIME_DIR}/docker.sock",
	"${XDG_RUNTIME_DIR}/keyring",
	"${XDG_RUNTIME_DIR}/gnupg",
	"/run/docker.sock",
	"/var/run/docker.sock",
	"/run/podman/podman.sock",
};

/*
 * Names a careless allow pattern could let through.  A glob that matches
 * one of them (and that no deny pattern takes back) is reported.
 */
static const char *const secret_names[] = {
	"GITHUB_TOKEN",
	"GH_TOKEN",
	"GITLAB_TOKEN",
	"NPM_TOKEN",
	"HF_TOKEN",
	"VAULT_TOKEN",
	"AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN",
	"ANTHROPIC_API_KEY",
	"OPENAI_API_KEY",
	"GEMINI_API_KEY",
	"GOOGLE_API_KEY",
	"DOCKER_PASSWORD",
	"PGPASSWORD",
	"DATABASE_URL",
	"SSH_AUTH_SOCK",
	"GPG_AGENT_INFO",
	"CLIENT_SECRET",
};

/* A variable name that says it holds a credential. */
static const char secret_name_re[] =
    "(?i)(token|secret|passw(or)?d|passphrase|credential|api_?key|"
    "private_?key|access_?key|_key$|^aws_|auth_sock$|^pgpassword$)";

/* A literal value shaped like a well-known credential format, or a long
 * run of key-like characters. */
static const char secret_value_re[] =
    "^(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{"
    "20,}"
    "|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,}"
    "|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"
    "|AIza[0-9A-Za-z_-]{30,}|npm_[A-Za-z0-9]{30,}|hf_[A-Za-z0-9]{30,}"
    "|-----BEGIN [A-Z ]*PRIVATE KEY-----.*"
    "|(?=[A-Za-z0-9+/=_-]*[0-9])(?=[A-Za-z0-9+/=_-]*[A-Z])"
    "(?=[A-Za-z0-9+/=_-]*[a-z])[A-Za-z0-9+/=_-]{32,})$";

int
lint_is_rule(enum diag_id id)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i] == id)
			return 1;
	return 0;
}

static pcre2_code *
regex(const char *re)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_DOTALL, &err, &off, NULL);
	if (code == NULL)
		fatal("internal regex does not compile at offset %zu",
		    (size_t)off);
	return code;
}

static int
regex_match(pcre2_code *code, const char *s, size_t len)
{
	pcre2_match_data *md;
	int rc;

	md = pcre2_match_data_create_from_pattern(code, NULL);
	if (md == NULL)
		fatal("out of memory");
	rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

/* Whether some deny pattern of p removes name. */
static int
denied(const struct profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->env_deny.n; i++)
		if (fnmatch(p->env_deny.v[i].s, name, 0) == 0)
			return 1;
	return 0;
}

static int
has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void
lint_env(const struct profile *p, pcre2_code *name_re, pcre2_code *value_re)
{
	size_t i, j;

	for (i = 0; i < p->env_allow.n; i++) {
		const struct item *a = &p->env_allow.v[i];

		if (!has_glob(a->s)) {
			if (denied(p, a->s))
				continue;
			if (strcmp(a->s, "SSH_AUTH_SOCK") == 0)
				diag(&a->pos, W_ENV_SSH_AGENT, NULL);
			else if (regex_match(name_re, a->s, strlen(a->s)))
				diag(&a->pos, N_ENV_ALLOW_SECRET, "%s", a->s);
			continue;
		}
		for (j = 0; j < sizeof(secret_names) / sizeof(*secret_names);
		     j++) {
			const char *name = secret_names[j];

			if (fnmatch(a->s, name, 0) != 0 || denied(p, name))
				continue;
			if (strcmp(name, "SSH_AUTH_SOCK") == 0)
				diag(&a->pos, W_ENV_SSH_AGENT,
				    "'%s' matches it", a->s);
			else
				diag(&a->pos, W_ENV_ALLOW_SECRET_GLOB,
				    "'%s' matches %s; name the variables the "
				    "agent needs, or deny this one",
				    a->s, name);
			break;
		}
	}

	for (i = 0; i < p->nenv_set; i++) {
		const struct envset *e = &p->env_set[i];
		const struct tmpl *t = &e->value;
		int literal = t->nparts == 1 && t->parts[0].var == VAR_NONE;

		if (!literal || t->parts[0].len == 0)
			continue;
		if (regex_match(name_re, e->name, strlen(e->name)) ||
		    regex_match(value_re, t->parts[0].text, t->parts[0].len))
			diag(&e->pos, E_ENV_SET_SECRET,
			    "%s; allow the variable from the host environment "
			    "instead",
			    e->name);
	}
}

static int
is_bind(enum mount_kind k)
{
	switch (k) {
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
		return 1;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
	case MOUNT_PROC:
	case MOUNT_DEV:
	case MOUNT_SYMLINK:
	case MOUNT_DATA:
		return 0;
	}
	return 0;
}

/* The literal prefix of a path template, if it starts with one. */
static int
literal_prefix(const struct tmpl *t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t->nparts > 0 && t->parts[0].var == VAR_NONE &&
	    t->parts[0].len >= n && memcmp(t->parts[0].text, prefix, n) == 0;
}

/* Whether t is a directory that holds every user's home (or is $HOME). */
static int
is_home_or_above(const struct tmpl *t)
{
	const char *c = t->canon;

	return strcmp(c, "${HOME}") == 0 || strcmp(c, "/") == 0 ||
	    strcmp(c, "/home") == 0 || strcmp(c, "/root") == 0;
}

static void
lint_mounts(const struct profile *p)
{
	static struct tmpl
	    secrets[sizeof(secret_paths) / sizeof(*secret_paths)];
	static int parsed;
	size_t i, j;

	if (!parsed) {
		for (j = 0; j < sizeof(secret_paths) / sizeof(*secret_paths);
		     j++)
			if (tmpl_parse(&secrets[j], secret_paths[j],
			        strlen(secret_paths[j]), NULL, 1) != 0)
				fatal("internal path %s does not parse",
				    secret_paths[j]);
		parsed = 1;
	}

	for (i = 0; i < p->nmounts; i++) {
		const struct mount *m = &p->mounts[i];
		int writable = m->kind == MOUNT_RW || m->kind == MOUNT_DEV_BIND;

		if (!is_bind(m->kind))
			continue;
		if (writable && strcmp(m->src.canon, "/") == 0)
			diag(&m->pos, E_MOUNT_ROOT_RW, NULL);
		else if (writable && is_home_or_above(&m->src))
			diag(&m->pos, E_MOUNT_HOME_RW, "%s", m->src.canon);

		for (j = 0; j < sizeof(secret_paths) / sizeof(*secret_paths);
		     j++) {
			const struct tmpl *s = &secrets[j];

			if (path_within(&m->src, s)) {
				diag(&m->pos, E_MOUNT_SECRET, "%s",
				    m->src.canon);
				break;
			}
			if (path_within(s, &m->src) ||
			    (is_home_or_above(&m->src) &&
			        s->parts[0].var == VAR_HOME)) {
				diag(&m->pos, E_MOUNT_SECRET, "%s contains %s",
				    m->src.canon, s->canon);
				break;
			}
		}

		if (literal_prefix(&m->src, "/home/") ||
		    literal_prefix(&m->src, "/root/"))
			diag(&m->src.pos, W_LITERAL_HOME, "%s", m->src.canon);
	}
}

/*
 * Apply risk.accept: every finding of an accepted rule reported since
 * `first` is suppressed with the author's reason.
 */
static void
apply_accepts(struct profile *p, size_t first)
{
	size_t i, j, n;
	struct diag *d = diag_list(&n);

	for (i = 0; i < p->naccepts; i++) {
		struct accept *a = &p->accepts[i];
		enum diag_id id = diag_lookup(a->rule);

		for (j = first; j < n; j++)
			if (d[j].id == id) {
				diag_suppress(&d[j], a->reason);
				a->used = 1;
			}
		if (!a->used)
			diag(&a->pos, W_ACCEPT_UNUSED, "%s", a->rule);
	}
}

void
lint_profile(struct profile *p)
{
	pcre2_code *name_re = regex(secret_name_re);
	pcre2_code *value_re = regex(secret_value_re);
	size_t first;

	diag_list(&first);
	lint_mounts(p);
	lint_env(p, name_re, value_re);
	apply_accepts(p, first);
	pcre2_code_free(name_re);
	pcre2_code_free(value_re);
}
