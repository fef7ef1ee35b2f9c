# cx — one non-recursive Makefile.  Sources are found by wildcard so that a
# new lib module, tool, unit suite or fuzz target needs no edit here:
#   lib/*.c              -> $(BUILD)/libcx.a
#   cmd/<tool>/*.c       -> $(BUILD)/bin/<tool>
#   scripts/*.c          -> $(BUILD)/bin/<name>   (generator and helpers)
#   tests/unit/check_*.c -> $(BUILD)/tests/check_*  (Check suites)
#   tests/fuzz/fuzz_*.c  -> replayed over tests/fuzz/corpus/<name>/
# BUILD lets several builds (asan, coverage, a helper's) share one tree.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
MANPREFIX ?= $(PREFIX)/share/man
VERSION := 0.1.0

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter -Wformat=2 -Wvla
OPT     ?= -O3 -g
CFLAGS  ?= $(OPT)
CPPFLAGS += -D_GNU_SOURCE -DCX_VERSION='"$(VERSION)"' -Ilib
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -MMD -MP
LDLIBS  += -lcsv -lz -lm -lcrypto
# ISA-L's inflate (Debian libisal-dev) reads gzip input about 3x faster than
# zlib's; used when its header is present, `make ISAL=0` builds without it.
ISAL    ?= $(shell test -r /usr/include/isa-l/igzip_lib.h && echo 1 || echo 0)
ifeq ($(ISAL),1)
CPPFLAGS += -DCX_HAVE_ISAL
LDLIBS  += -lisal
endif
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lpthread -lm)

LIB_SRC   := $(sort $(wildcard lib/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBCX     := $(BUILD)/libcx.a
TOOLS     := $(sort $(notdir $(wildcard cmd/cx-*)))
TOOL_BINS := $(TOOLS:%=$(BUILD)/bin/%)
SCRIPT_SRC:= $(sort $(wildcard scripts/*.c))
SCRIPT_BINS := $(SCRIPT_SRC:scripts/%.c=$(BUILD)/bin/%)
UNIT_SRC  := $(sort $(wildcard tests/unit/check_*.c))
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)

.PHONY: all test check check-unit check-cli check-fuzz check-asan check-valgrind \
        demo bench fuzz coverage lint install uninstall clean deps

all: $(TOOL_BINS) $(SCRIPT_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCX): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# A tool is every .c file in its folder plus the library.
.SECONDARY:
.SECONDEXPANSION:
$(TOOL_BINS): $(BUILD)/bin/%: $$(addprefix $(BUILD)/,$$(addsuffix .o,$$(basename $$(wildcard cmd/$$*/*.c)))) $(LIBCX)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBCX) $(LDLIBS)

$(SCRIPT_BINS): $(BUILD)/bin/%: $(BUILD)/scripts/%.o $(LIBCX)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCX) $(LDLIBS)

$(BUILD)/tests/check_%.o: tests/unit/check_%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DCX_SRCDIR='"$(CURDIR)"' $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(BUILD)/tests/check_%: $(BUILD)/tests/check_%.o $(LIBCX)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCX) $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/tests/regression_driver.o: tests/fuzz/regression_driver.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/regression_driver.o $(LIBCX)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/tests/regression_driver.o $(LIBCX) $(LDLIBS)

# `make check` is the README's test command and what CI runs: install what is
# missing, then the suite, the suite again under the sanitizers, the unit
# suites, fuzz replay and a subset of the command-line cases under valgrind,
# and lint.
check:
	sh scripts/install-deps.sh
	$(MAKE) test
	$(MAKE) check-asan
	$(MAKE) check-valgrind
	$(MAKE) lint
	@echo "make check: all suites passed"

# The suite alone (unit, command-line golden tests, fuzz corpus replay).
test: check-unit check-cli check-fuzz

check-unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)

# I/O fault injection shim for the command-line tests (LD_PRELOAD).
$(BUILD)/tests/cx_faults.so: tests/faults/cx_faults.c
	@mkdir -p $(dir $@)
	gcc -std=c11 -O2 -Wall -Wextra -shared -fPIC -o $@ $< -ldl

check-cli: all $(BUILD)/tests/cx_faults.so
	@CX_BIN=$(CURDIR)/$(BUILD)/bin CX_FAULTS_SO=$(CURDIR)/$(BUILD)/tests/cx_faults.so \
	  sh tests/cli/run.sh

check-fuzz: $(FUZZ_REPLAY)
	@sh tests/run-replay.sh $(FUZZ_REPLAY)

# The whole suite again under AddressSanitizer and UBSan, in its own tree.
check-asan:
	$(MAKE) BUILD=build/asan CC=gcc \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	  LDFLAGS='-fsanitize=address,undefined' test

# Valgrind (memcheck, leak check; any error or definite leak fails): every
# unit suite, every fuzz corpus replay, and the command-line cases below —
# one or more per tool plus the fault, signal and out-of-memory cases that
# exercise cleanup (the OOM loops get VALGRIND_OOM_BUDGET seconds each).
# VALGRIND_CLI=all runs every command-line case (slow).
VALGRIND_CLI ?= cx-ingest/001-unterminated-quote.sh cx-ingest/032-duplicate-key.sh \
  cx-ingest/038-truncated-gzip.sh cx-ingest/104-events-with-accounts.sh \
  cx-gen/004-raw-roundtrip.sh cx-score/003-score-canonical.sh cx-score/007-errors.sh \
  cx-segment/003-default-sample.sh cx-segment/005-rule-errors.sh cx-plan/002-canonical.sh \
  cx-plan/005-policy-errors.sh cx-plan/011-messages.sh cx-report/020-full-tsv.sh \
  cx-report/030-partial-merge.sh cx-report/040-csv-injection.sh \
  cx-shard/001-split-and-filter.sh nightly/003-plan-violation-not-published.sh faults hardening
VALGRIND_OOM_BUDGET ?= 10
VALGRIND_JOBS ?= 2
check-valgrind: $(UNIT_BINS) $(FUZZ_REPLAY) all $(BUILD)/tests/cx_faults.so
	@CX_VALGRIND=1 CX_JOBS=$(VALGRIND_JOBS) sh tests/run-unit.sh $(UNIT_BINS)
	@CX_VALGRIND=1 sh tests/run-replay.sh $(FUZZ_REPLAY)
	@CX_VALGRIND=1 CX_OOM_BUDGET=$(VALGRIND_OOM_BUDGET) CX_BIN=$(CURDIR)/$(BUILD)/bin \
	  CX_FAULTS_SO=$(CURDIR)/$(BUILD)/tests/cx_faults.so \
	  sh tests/cli/run.sh $(addprefix tests/cli/,$(filter-out all,$(VALGRIND_CLI)))

deps:
	sh scripts/install-deps.sh

# Coverage of lib/ (lines and branches) over the whole suite: gcov + gcovr.
# Report: $(COV_BUILD)/coverage.html (per file) and coverage.txt; prints the
# lib/ branch total and fails when it is under COVERAGE_MIN percent.
COV_BUILD    ?= build/cov
COVERAGE_MIN ?= 85
coverage:
	find $(COV_BUILD) -name '*.gcda' -delete 2>/dev/null || true
	$(MAKE) BUILD=$(COV_BUILD) CC=gcc OPT='-O0 -g --coverage' LDFLAGS='--coverage' test
	gcovr -r . --object-directory $(COV_BUILD) --filter 'lib/' --branches \
	  --txt $(COV_BUILD)/coverage.txt --html-details $(COV_BUILD)/coverage.html
	@cat $(COV_BUILD)/coverage.txt
	@awk -v min=$(COVERAGE_MIN) '$$1 == "TOTAL" { pct = $$2 ? 100 * $$3 / $$2 : 0; \
	  printf "coverage: lib/ branches %.1f%% (%d of %d; minimum %s%%), report $(COV_BUILD)/coverage.html\n", \
	    pct, $$3, $$2, min; \
	  if (pct < min + 0) { print "coverage: below COVERAGE_MIN" > "/dev/stderr"; bad = 1 } } \
	  END { exit bad }' $(COV_BUILD)/coverage.txt

# libFuzzer exploration of every fuzz target for FUZZ_SECONDS each (clang-14).
# Its own tree (clang objects): FUZZ_BUILD, not BUILD.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build/fuzz
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=$(FUZZ_BUILD) sh tests/fuzz/run-libfuzzer.sh

demo:
	sh scripts/install-deps.sh
	$(MAKE) all
	sh scripts/demo.sh $(BUILD)/bin

bench: all
	sh scripts/bench.sh $(BUILD)/bin

lint:
	mandoc -Tlint -W warning man/*.[157]
	shellcheck -S warning scripts/*.sh scripts/cx-nightly tests/*.sh tests/cli/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5 $(DESTDIR)$(MANPREFIX)/man7
	install -m 755 $(TOOL_BINS) $(BUILD)/bin/cx-shard scripts/cx-nightly $(DESTDIR)$(PREFIX)/bin/
	for f in man/*.1; do install -m 644 $$f $(DESTDIR)$(MANPREFIX)/man1/; done
	for f in man/*.5; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(MANPREFIX)/man5/ || true; done
	for f in man/*.7; do install -m 644 $$f $(DESTDIR)$(MANPREFIX)/man7/; done

uninstall:
	for t in $(TOOLS) cx-shard cx-nightly; do rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(MANPREFIX)/man1/$$t.1; done
	rm -f $(DESTDIR)$(MANPREFIX)/man7/cx.7

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(wildcard $(BUILD)/cmd/*/*.d $(BUILD)/tests/*.d $(BUILD)/scripts/*.d $(BUILD)/tests/fuzz/*.d)
