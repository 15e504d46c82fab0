/*
 * fuzz_frontend.c - libFuzzer target for the front ends.
 *
 * Built once per front end with -DFUZZ_TOML, -DFUZZ_YAML or -DFUZZ_JSON.
 * Each input is parsed from scratch; the arena and the diagnostics are
 * dropped between inputs so memory stays flat over millions of runs.
 */
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "diag.h"
#include "frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = arena_strndup((const char *)data, size);

#if defined(FUZZ_TOML)
	/* the length's low bit picks TOML 1.0 or 1.1, so both get fuzzed */
	toml_parse_version("fuzz.toml", text, size, (int)(size & 1));
#elif defined(FUZZ_YAML)
	yamlfe_parse("fuzz.yaml", text, size);
#elif defined(FUZZ_JSON)
	json_parse("fuzz.json", text, size);
#else
#error "define FUZZ_TOML, FUZZ_YAML or FUZZ_JSON"
#endif
	diag_reset();
	arena_free_all();
	return 0;
}
