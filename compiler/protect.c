/*
 * protect.c - the protected-path list, the one place it is written.
 *
 * Each entry is pinned read-only at launch wherever a writable bind
 * covers it (plan.c makes the ops, the launchers do the pinning), the
 * directories above it bound onto themselves; a missing one is pinned as
 * an empty file or directory in .git, and elsewhere moved aside when the
 * jail exits if the jail made it.  Why each is here: it is something the
 * user's own tools run or obey later, outside the jail.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "protect.h"

const struct protect_entry protect_list[] = {
	/* A missing path is pinned as an empty directory where git would
	 * otherwise list and commit an empty file; inside .git, where git
	 * reads it, as a file (a directory there stops git).
	 *
	 * .git onto itself first: a mount point cannot be renamed, so the
	 * git directory cannot be moved aside and rebuilt without hooks. */
	{ ".git", PROTECT_PROJECT, 1, NULL },
	/* the hooks directory git uses instead of .git/hooks (husky's
	 * .husky/_, .githooks): in the worktree, outside .git, so none of
	 * the .git entries covers it.  Early, so that it is pinned before
	 * anything an entry below may pin inside it. */
	{ "core.hooksPath", PROTECT_GIT, 0, NULL },
	/* what git runs, and the configuration that says what it runs */
	{ ".git/hooks/", PROTECT_PROJECT, 0, NULL },
	{ ".git/config", PROTECT_PROJECT, 0, "" },
	/* read only with extensions.worktreeConfig, which lives in config;
	 * pinned anyway, so that turning it on cannot be staged */
	{ ".git/config.worktree", PROTECT_PROJECT, 0, "" },
	/* git follows commondir to another repository's config and hooks;
	 * a missing one is pinned as ".", which git reads as "here" (an
	 * empty commondir stops git altogether) */
	{ ".git/commondir", PROTECT_PROJECT, 0, ".\n" },
	/* linked worktrees and submodules that exist at launch */
	{ ".git/worktrees/*/commondir", PROTECT_PROJECT, 0, "" },
	{ ".git/worktrees/*/gitdir", PROTECT_PROJECT, 0, "" },
	{ ".git/worktrees/*/config.worktree", PROTECT_PROJECT, 0, "" },
	{ ".git/modules/*/hooks/", PROTECT_PROJECT, 0, NULL },
	{ ".git/modules/*/config", PROTECT_PROJECT, 0, "" },
	{ ".gitmodules", PROTECT_PROJECT, 0, NULL },
	/* jail profiles at the top, existing at launch */
	{ "*.jail", PROTECT_PROJECT, 0, NULL },
	/* run by direnv, editors and agents when the user opens the
	 * project */
	{ ".envrc", PROTECT_PROJECT, 0, NULL },
	{ ".vscode/", PROTECT_PROJECT, 0, NULL },
	{ ".idea/", PROTECT_PROJECT, 0, NULL },
	{ ".mcp.json", PROTECT_PROJECT, 0, NULL },
	{ ".claude/commands/", PROTECT_PROJECT, 0, NULL },
	{ ".claude/agents/", PROTECT_PROJECT, 0, NULL },
	/*
	 * Agent and editor configuration that names commands the tool runs
	 * on the host the next time the user starts it in the project.
	 * Not here, on purpose: files the agent must edit to do its work,
	 * whose commands run only when the user runs the project's own
	 * (package.json scripts, Makefile, .npmrc, CI workflows); .env,
	 * which is the application's; .crush/ and anything in it, since a
	 * missing path is pinned at its first missing component and crush
	 * must make .crush/ for its database and logs (jail(5), BUGS).
	 */
	/* Claude Code: hooks, apiKeyHelper, statusLine and an env block
	 * that sets proxies and CAs; the scripts hooks conventionally live
	 * in; skills run their !`cmd` lines when invoked */
	{ ".claude/settings.json", PROTECT_PROJECT, 0, NULL },
	{ ".claude/settings.local.json", PROTECT_PROJECT, 0, NULL },
	{ ".claude/hooks/", PROTECT_PROJECT, 0, NULL },
	{ ".claude/skills/", PROTECT_PROJECT, 0, NULL },
	/* Gemini CLI: settings.json (hooks, mcpServers, tool discovery
	 * and call commands), commands with !{...}, extensions, .env */
	{ ".gemini/", PROTECT_PROJECT, 0, NULL },
	/*
	 * OpenCode: mcp, formatter and lsp commands, npm plugins; plugins
	 * and tools in .opencode/ run in its own process.  Crush: $(...)
	 * in its configuration runs at load, with hooks, MCP and LSP
	 * commands; crushrc is a bash script it runs at start.
	 *
	 * .opencode/ is a one-character glob, which pins it only where it
	 * exists at launch: opencode makes it in a project that has none
	 * (its .gitignore, package.json and node_modules for plugins), and
	 * moving it aside after every run would take that from the user.
	 * The parts of it that run code are plain names, so that the ones
	 * the jail makes are moved aside at exit (jail(5), BUGS).
	 */
	{ "opencode.json", PROTECT_PROJECT, 0, NULL },
	{ "opencode.jsonc", PROTECT_PROJECT, 0, NULL },
	{ ".opencod?/", PROTECT_PROJECT, 0, NULL },
	{ ".opencode/plugin/", PROTECT_PROJECT, 0, NULL },
	{ ".opencode/plugins/", PROTECT_PROJECT, 0, NULL },
	{ ".opencode/tool/", PROTECT_PROJECT, 0, NULL },
	{ ".opencode/tools/", PROTECT_PROJECT, 0, NULL },
	{ ".opencode/opencode.json", PROTECT_PROJECT, 0, NULL },
	{ ".opencode/opencode.jsonc", PROTECT_PROJECT, 0, NULL },
	{ "crush.json", PROTECT_PROJECT, 0, NULL },
	{ ".crush.json", PROTECT_PROJECT, 0, NULL },
	{ "crushrc", PROTECT_PROJECT, 0, NULL },
	{ ".crushrc", PROTECT_PROJECT, 0, NULL },
	/* Codex: .codex/config.toml (hooks, mcp_servers) of a trusted
	 * project; skills in .agents/, which Codex, Crush and OpenCode read */
	{ ".codex/", PROTECT_PROJECT, 0, NULL },
	{ ".agents/", PROTECT_PROJECT, 0, NULL },
	/* Cursor: mcp.json, hooks.json, environment.json's commands */
	{ ".cursor/", PROTECT_PROJECT, 0, NULL },
	/* dev containers: initializeCommand runs on the host, the others
	 * in a container with the project mounted */
	{ ".devcontainer/", PROTECT_PROJECT, 0, NULL },
	{ ".devcontainer.json", PROTECT_PROJECT, 0, NULL },
	/* direnv's own directory: nix-direnv's cached environment, and
	 * layouts put .direnv/bin on the host's PATH */
	{ ".direnv/", PROTECT_PROJECT, 0, NULL },
	/* Zed: language server and context server commands, tasks;
	 * Helix: language server commands in languages.toml */
	{ ".zed/", PROTECT_PROJECT, 0, NULL },
	{ ".helix/", PROTECT_PROJECT, 0, NULL },
	/* Vim and Neovim's 'exrc': Vim script or Lua run on opening */
	{ ".nvim.lua", PROTECT_PROJECT, 0, NULL },
	{ ".nvimrc", PROTECT_PROJECT, 0, NULL },
	{ ".exrc", PROTECT_PROJECT, 0, NULL },
	/* run by the user's next git commit: pre-commit's commands, and
	 * the scripts husky's .husky/_ shims run (with no core.hooksPath
	 * set at launch, git:core.hooksPath does not cover them) */
	{ ".pre-commit-config.yaml", PROTECT_PROJECT, 0, NULL },
	{ ".husky/", PROTECT_PROJECT, 0, NULL },
	/* run by the user's shells and git; writable only where a profile
	 * binds one of them writable */
	{ ".bashrc", PROTECT_HOME, 0, NULL },
	{ ".zshrc", PROTECT_HOME, 0, NULL },
	{ ".profile", PROTECT_HOME, 0, NULL },
	{ ".bash_profile", PROTECT_HOME, 0, NULL },
	{ ".gitconfig", PROTECT_HOME, 0, NULL },
};

const size_t protect_count = sizeof(protect_list) / sizeof(protect_list[0]);

/* Characters a launcher can put in a glob without a meaning of their
 * own, besides "*" and "?": no brackets, braces, parentheses, quotes,
 * backslashes or blanks. */
static int
protect_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("._-+@,=:%*?", c) != NULL;
}

int
protect_path_ok(const char *s, const char **why)
{
	const char *p, *comp;
	size_t len;

	if (strncmp(s, "git:", 4) == 0) {
		*why = "git: entries are jailc's own (git:core.hooksPath), "
		       "not paths to add";
		return 0;
	}
	if (strncmp(s, "~/", 2) == 0)
		s += 2;
	if (*s == '\0' || *s == '/') {
		*why = "give a path relative to the project, or ~/...";
		return 0;
	}
	for (p = s; *p != '\0'; p++)
		if (*p != '/' && !protect_char_ok(*p)) {
			*why = "only letters, digits, ._-+@,=:% and the "
			       "globs * and ? are allowed";
			return 0;
		}
	for (comp = s; *comp != '\0'; comp += len + (comp[len] == '/')) {
		len = strcspn(comp, "/");
		if (len == 0) {
			*why = "empty path component";
			return 0;
		}
		if ((len == 1 && comp[0] == '.') ||
		    (len == 2 && strncmp(comp, "..", 2) == 0)) {
			*why = "'.' and '..' components are not allowed";
			return 0;
		}
	}
	return 1;
}

const char *
protect_added_content(const char *rel)
{
	size_t len = strlen(rel);

	return strncmp(rel, ".git/", 5) == 0 && rel[len - 1] != '/' ? "" : NULL;
}

const char *
protect_split(const char *s, enum protect_base *base)
{
	if (strncmp(s, "~/", 2) == 0) {
		*base = PROTECT_HOME;
		return s + 2;
	}
	if (strncmp(s, "git:", 4) == 0) {
		*base = PROTECT_GIT;
		return s + 4;
	}
	*base = PROTECT_PROJECT;
	return s;
}

const char *
protect_written(const struct protect_entry *e)
{
	switch (e->base) {
	case PROTECT_PROJECT:
		return e->path;
	case PROTECT_HOME:
		return arena_printf("~/%s", e->path);
	case PROTECT_GIT:
		return arena_printf("git:%s", e->path);
	}
	abort();
}

const struct protect_entry *
protect_find(const char *s)
{
	enum protect_base base;
	const char *rel = protect_split(s, &base);
	size_t i;

	for (i = 0; i < protect_count; i++)
		if (protect_list[i].base == base &&
		    strcmp(protect_list[i].path, rel) == 0)
			return &protect_list[i];
	return NULL;
}

int
protect_is_git(const char *s)
{
	return strcmp(s, ".git") == 0 || strncmp(s, ".git/", 5) == 0 ||
	    strncmp(s, "git:", 4) == 0;
}

int
protect_is_glob(const char *rel)
{
	return strpbrk(rel, "*?") != NULL;
}

/*
 * Component by component, as glob(3) in jailrun and bash's pathname
 * expansion in the launcher read the pattern: "*" and "?" never match a
 * "/", nor a leading "." (no GLOB_PERIOD, no dotglob).  The pattern holds
 * no other special character (protect_path_ok), so fnmatch agrees with
 * both on everything else.
 */
size_t
protect_match(const char *pat, const char *rel)
{
	const char *p = pat, *r = rel;
	size_t pn, rn;

	for (;;) {
		pn = strcspn(p, "/");
		rn = strcspn(r, "/");
		if (pn == 0 || rn == 0 ||
		    fnmatch(arena_strndup(p, pn), arena_strndup(r, rn),
		        FNM_PERIOD) != 0)
			return 0;
		p += pn;
		r += rn;
		if (*p == '/')
			p++;
		if (*p == '\0')
			return (size_t)(r - rel);
		if (*r != '/')
			return 0;
		r++;
	}
}
