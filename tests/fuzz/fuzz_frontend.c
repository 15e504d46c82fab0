/*
 * fuzz_frontend.c - libFuzzer target for the front ends.
 *
 * Built once per front end with -DFUZZ_TOML, -DFUZZ_YAML or -DFUZZ_JSON;
 * the TOML target also runs the schema validator on what parses.
 * Each input is parsed from scratch; the arena and the diagnostics are
 * dropped between inputs so memory stays flat over millions of runs.
 */
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "diag.h"
#include "frontend.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = arena_strndup((const char *)data, size);

#if defined(FUZZ_TOML)
	/* The length's low bit picks TOML 1.0 or 1.1, so both get fuzzed;
	 * what parses also goes through the schema validator. */
	struct doc_node *root =
	    toml_parse_version("fuzz.toml", text, size, (int)(size & 1));

	if (root != NULL)
		schema_check(root);
#elif defined(FUZZ_YAML)
	yamlfe_parse("fuzz.yaml", text, size);
#elif defined(FUZZ_JSON)
	json_parse("fuzz.json", text, size);
#else
#error "define FUZZ_TOML, FUZZ_YAML or FUZZ_JSON"
#endif
	diag_reset();
#if defined(FUZZ_TOML)
	schema_reset();
#endif
	arena_free_all();
	return 0;
}
