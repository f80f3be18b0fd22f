# motcua: the front door. Meson + Ninja do the building underneath.
#
#   make run     install what is missing, build, and start motcua
#   make test    build and run every test; ends with "N passed, N failed"
#   make test-pg the database tests again, on a throwaway PostgreSQL server
#   make asan    unit and CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz    build the libFuzzer targets with clang and run each for FUZZ_SECONDS
#   make bench   build and run the benchmarks
#   make format  format the C sources with .clang-format
#   make lint    banned functions, clang-format check, layer rules, shell syntax
#   make clean   remove every build directory

BUILD        ?= build
ASAN_BUILD   ?= build-asan
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 30
CONFIG       ?=
MESON        ?= meson
NINJA        ?= ninja

C_SOURCES = $(shell find src tests bench -name '*.[ch]' 2>/dev/null)

.PHONY: all build run test test-pg asan fuzz bench format lint clean deps-run deps-test

all: build

deps-run:
	@scripts/install-deps run

deps-test:
	@scripts/install-deps test

$(BUILD)/build.ninja:
	@$(MESON) setup $(BUILD) >/dev/null

build: deps-run $(BUILD)/build.ninja
	@$(NINJA) -C $(BUILD) >/dev/null || $(NINJA) -C $(BUILD)

run: build
	@scripts/run $(BUILD)

# The test tools (cmocka) may have just been installed: reconfigure so that a
# build directory made by `make run` picks them up.
test: deps-test $(BUILD)/build.ninja
	@$(MESON) setup --reconfigure $(BUILD) >/dev/null
	@$(NINJA) -C $(BUILD) >/dev/null || $(NINJA) -C $(BUILD)
	@scripts/run-tests $(BUILD)

# The tests that run a second time on PostgreSQL, by name (scripts/run-tests NAME: the
# unit program BUILD/tests/NAME and the scenario tests/cli/NAME.sh). Each reads
# MOTCUA_TEST_DATABASE and uses SQLite when it is not set.
PG_TESTS ?= test_db_engines test_multinode test_api_sessions test_api_catalog test_api_dossiers test_api_clock \
            test_api_lookup test_api_bad_input test_forms test_web_admin test_web_dossier \
            test_web_desk test_web_inbox test_web_leader test_web_citizen test_web_public \
            test_reports test_files test_indicators

# Starts a throwaway server (scripts/pg-start: a temporary cluster on a loopback port,
# run as the postgres user), runs PG_TESTS against it, and stops it whatever happens.
# One test at a time: test_db_engines restarts the server (MOTCUA_TEST_PG_RESTART).
test-pg: deps-test $(BUILD)/build.ninja
	@$(NINJA) -C $(BUILD) >/dev/null || $(NINJA) -C $(BUILD)
	@st=$$(mktemp -d /tmp/motcua-pg.XXXXXX) && \
	trap 'scripts/pg-stop "$$st"' EXIT INT TERM && \
	url=$$(scripts/pg-start "$$st") && \
	MOTCUA_TEST_DATABASE="$$url" MOTCUA_DATABASE="$$url" \
	MOTCUA_TEST_PG_RESTART="$$(pwd)/scripts/pg-start --restart $$st" \
	TEST_JOBS=1 scripts/run-tests $(BUILD) all $(PG_TESTS)

$(ASAN_BUILD)/build.ninja:
	@$(MESON) setup $(ASAN_BUILD) -Dbuildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false >/dev/null

asan: deps-test $(ASAN_BUILD)/build.ninja
	@$(NINJA) -C $(ASAN_BUILD) >/dev/null || $(NINJA) -C $(ASAN_BUILD)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	 scripts/run-tests $(ASAN_BUILD)

$(FUZZ_BUILD)/build.ninja:
	@CC=clang $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Dbuildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null

fuzz: deps-test $(FUZZ_BUILD)/build.ninja
	@$(NINJA) -C $(FUZZ_BUILD) >/dev/null || $(NINJA) -C $(FUZZ_BUILD)
	@scripts/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	@scripts/install-deps bench
	@scripts/run-bench $(BUILD)
	@bench/api.sh $(BUILD)
	@bench/indicators.sh $(BUILD)

format:
	@clang-format -i $(C_SOURCES)

lint:
	@scripts/lint

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-clang
