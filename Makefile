# motcua: the front door. Meson + Ninja do the building underneath.
#
#   make run     install what is missing, build, and start motcua
#   make test    build and run every test; ends with "N passed, N failed"
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

.PHONY: all build run test asan fuzz bench format lint clean deps-run deps-test

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

test: deps-test $(BUILD)/build.ninja
	@$(NINJA) -C $(BUILD) >/dev/null || $(NINJA) -C $(BUILD)
	@scripts/run-tests $(BUILD)

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
	@scripts/run-bench $(BUILD)

format:
	@clang-format -i $(C_SOURCES)

lint:
	@scripts/lint

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-clang
