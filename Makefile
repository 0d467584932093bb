# proxysim: the two commands of README.md.
#   make report   install missing Debian packages, build (Release), run the main job
#   make test     same set-up, then the whole ctest suite, then all of it again under ASan+UBSan,
#                 the replication runner under TSan, a 2-rank MPI sweep against the threaded one
#                 and a 60 s fuzz run of the config loader, each in its own build directory.
BUILD      ?= build
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
PKGS_PC    := gsl yaml-0.1 cairo cmocka zlib
DEB_PKGS   := libgsl-dev libyaml-dev libcairo2-dev cmake libcmocka-dev pkg-config fonts-dejavu-core zlib1g-dev

.PHONY: all deps build report test test-asan test-tsan bench pgo clean deps-mpi test-mpi fuzz fuzz-ci deps-fuzz

all: build

# apt-get only when something is really missing, so a prepared machine is not touched.
deps:
	@missing=0; \
	command -v cmake >/dev/null 2>&1 || missing=1; \
	command -v pkg-config >/dev/null 2>&1 || missing=1; \
	dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing=1; \
	if [ $$missing = 0 ]; then for p in $(PKGS_PC); do pkg-config --exists $$p || missing=1; done; fi; \
	if [ $$missing = 1 ]; then \
	  echo "make: installing Debian packages: $(DEB_PKGS)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS) >/dev/null || exit 1; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

report: build
	./$(BUILD)/proxysim report --out out/report

test: CMAKE_ARGS += -DSIM_WERROR=ON
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan test-tsan test-mpi fuzz-ci

test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSIM_WERROR=ON -DSIM_ASAN=ON -DSIM_UBSAN=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIM_WERROR=ON -DSIM_TSAN=ON >/dev/null
	cmake --build build-tsan -j $(JOBS) --target test_replicate
	cd build-tsan && ctest --output-on-failure -R '^replicate$$'

# MPI (issue 7, docs/SCALING.md): Open MPI is installed for this target only.  test-mpi builds
# with -DPROXYSIM_MPI=ON in build-mpi, runs a small sweep threaded and on 2 local ranks, and
# compares the two CSVs byte for byte.
MPI_DEB_PKGS := libopenmpi-dev openmpi-bin
MPI_SWEEP    := sweep medium --vary upstream.max_conns=2:8:2 --reps 4 --seed 7 --set profile.duration=20s --quiet

deps-mpi: deps
	@if ! command -v mpicc >/dev/null 2>&1 || ! command -v mpirun >/dev/null 2>&1; then \
	  echo "make: installing Debian packages: $(MPI_DEB_PKGS)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(MPI_DEB_PKGS) >/dev/null || exit 1; \
	fi

test-mpi: deps-mpi
	cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DSIM_WERROR=ON -DPROXYSIM_MPI=ON >/dev/null
	cmake --build build-mpi -j $(JOBS) --target proxysim
	rm -rf build-mpi/mpi-check
	./build-mpi/proxysim $(MPI_SWEEP) --threads 2 --out build-mpi/mpi-check/threads >/dev/null
	mpirun --oversubscribe --allow-run-as-root -np 2 ./build-mpi/proxysim $(MPI_SWEEP) --out build-mpi/mpi-check/mpi >/dev/null
	cmp build-mpi/mpi-check/threads/sweep.csv build-mpi/mpi-check/mpi/sweep.csv
	@echo "test-mpi: the 2-rank sweep equals the threaded run byte for byte"

bench: build
	bench/run.sh $(BUILD)/proxysim

# A profile-guided build of proxysim for benchmarks (bench/README.md): an instrumented
# build runs the training workloads below, then the same directory is rebuilt with the
# profiles they wrote.  Same results as build/proxysim, 10-20% faster on the high profile.
PGO_BUILD ?= build-pgo
pgo: deps
	cmake -S . -B $(PGO_BUILD) -DCMAKE_BUILD_TYPE=Release -DPROXYSIM_PGO=generate >/dev/null
	find $(PGO_BUILD) -name '*.gcda' -delete
	cmake --build $(PGO_BUILD) -j $(JOBS) --target proxysim
	for p in sse burst sustained; do \
	  ./$(PGO_BUILD)/proxysim run $$p --reps 1 --threads 1 >/dev/null || exit 1; done
	./$(PGO_BUILD)/proxysim run high --reps 1 --threads 1 --set duration=100s >/dev/null
	./$(PGO_BUILD)/proxysim bench sse --duration 10 >/dev/null
	./$(PGO_BUILD)/proxysim bench mm1 --customers 1000000 >/dev/null
	./$(PGO_BUILD)/proxysim bench hold --pending 7000 --events 2000000 >/dev/null
	cmake -S . -B $(PGO_BUILD) -DPROXYSIM_PGO=use >/dev/null
	cmake --build $(PGO_BUILD) -j $(JOBS) --target proxysim
	@echo "make pgo: $(PGO_BUILD)/proxysim is built with the training runs' profiles"

clean:
	rm -rf $(BUILD) build-asan build-tsan build-mpi build-fuzz $(PGO_BUILD)

# Config loader fuzzing (issue 3): libFuzzer with ASan+UBSan, seeded with configs/.
# fuzz-ci is the bounded CI run: FUZZ_SECONDS (60), fails on a crash, leak or hang.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang-14
# clang and its sanitizer runtimes come from Debian too, installed only when missing.
deps-fuzz: deps
	@command -v $(FUZZ_CC) >/dev/null 2>&1 && [ -n "$$(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || { \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq clang-14 libclang-rt-14-dev >/dev/null; }

fuzz: deps-fuzz
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=$(FUZZ_CC) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPROXYSIM_FUZZ=ON -DSIM_ASAN=ON -DSIM_UBSAN=ON -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
	cmake --build build-fuzz -j $(JOBS) --target fuzz_config

fuzz-ci: fuzz
	mkdir -p build-fuzz/corpus
	build-fuzz/tests/fuzz_config -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -max_len=16384 -print_final_stats=1 build-fuzz/corpus configs/profiles configs/designs configs/scenarios
