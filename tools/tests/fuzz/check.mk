# SPDX-License-Identifier: GPL-2.0
#
# Included by tools/Makefile: static analysis and fuzzing of the CLI.
#   check-cppcheck    cppcheck (warning, portability, performance) on every
#                     source; any finding fails                  (make check)
#   check-fuzz-smoke  the --explain libFuzzer target builds and runs its
#                     seed corpus plus FUZZ_SMOKE_RUNS inputs     (make check)
#   check-hostile     odd, unreadable, blocking sysfs trees       (make check)
#   fuzz              the libFuzzer target for FUZZ_SECONDS (make check-long)
# Each prints "ok N name" / "not ok N name" lines.

FUZZ_DIR := $(O)/fuzz
FUZZ_BIN := $(FUZZ_DIR)/explain_fuzz
FUZZ_SECONDS ?= 120
FUZZ_SMOKE_RUNS ?= 5000
FUZZ_CC ?= clang
FUZZ_SRCS := $(filter-out main.c,$(SRCS))

$(FUZZ_BIN): tests/fuzz/explain_fuzz.c $(FUZZ_SRCS) $(wildcard *.h) ../uapi/dom0gpu_nvpat.h
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(FUZZ_DIR)
	$(Q)$(FUZZ_CC) $(STD) $(WARN) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(CPPFLAGS) -I. $(PKG_CFLAGS) -o $@ tests/fuzz/explain_fuzz.c $(FUZZ_SRCS) \
		$(shell $(PKG_CONFIG) --libs $(PKGS)) -ldl -lpthread -lm

# libFuzzer's own options: a slow or huge input is a finding too.
FUZZ_OPTS := -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

check-cppcheck:
	$(Q)if cppcheck --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --quiet --std=c11 -D_GNU_SOURCE -I. -I../uapi -I../kmod \
		$(SRCS) static/dynload_none.c tests/fuzz/explain_fuzz.c >$(O)/cppcheck.log 2>&1; then \
		echo "ok 1 cppcheck: $(words $(SRCS)) CLI sources, no finding"; \
	else sed 's/^/# /' $(O)/cppcheck.log; echo "not ok 1 cppcheck"; exit 1; fi

check-fuzz-smoke: $(FUZZ_BIN)
	$(Q)rm -rf $(FUZZ_DIR)/smoke && mkdir -p $(FUZZ_DIR)/smoke
	$(Q)if $(FUZZ_BIN) $(FUZZ_OPTS) -seed=1 -runs=$(FUZZ_SMOKE_RUNS) \
		$(FUZZ_DIR)/smoke tests/fuzz/seeds >$(FUZZ_DIR)/smoke.log 2>&1; then \
		echo "ok 1 explain_fuzz: seeds + $(FUZZ_SMOKE_RUNS) inputs, no crash, leak or UB"; \
	else tail -n 40 $(FUZZ_DIR)/smoke.log | sed 's/^/# /'; \
		echo "not ok 1 explain_fuzz smoke"; exit 1; fi

fuzz: $(FUZZ_BIN)
	$(Q)mkdir -p $(FUZZ_DIR)/corpus
	$(Q)if $(FUZZ_BIN) $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) \
		$(FUZZ_DIR)/corpus tests/fuzz/seeds >$(FUZZ_DIR)/fuzz.log 2>&1; then \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(FUZZ_DIR)/fuzz.log | sed 's/^/# /'; \
		echo "# corpus: $$(ls $(FUZZ_DIR)/corpus | wc -l) inputs"; \
		echo "ok 1 explain_fuzz: $(FUZZ_SECONDS) s, no crash, leak, UB or timeout"; \
	else tail -n 60 $(FUZZ_DIR)/fuzz.log | sed 's/^/# /'; \
		echo "not ok 1 explain_fuzz ($(FUZZ_DIR)/fuzz.log; crash-* holds the input)"; exit 1; fi

check-hostile: $(BIN) $(ASAN_BIN)
	$(Q)sh tests/fuzz/hostile.sh $(abspath $(BIN)) $(abspath $(ASAN_BIN))

CHECK_SUITES += check-cppcheck check-fuzz-smoke check-hostile
.PHONY: check-cppcheck check-fuzz-smoke check-hostile fuzz
