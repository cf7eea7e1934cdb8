# anon_space: the kernel series in patches/ and the UML/KUnit sandbox around it.
# 'make help' lists the targets. 'make' and 'make check' install what they need
# and prepare the tree; the other targets work on the tree 'make prepare' made.

SHELL := /bin/bash
S := scripts
SUITE ?= anon_*
BREAK ?=
MB ?=
STRESS ?=
TESTS ?=
SEEDS ?=
CALLS ?=
SECONDS ?=
STEPS ?=
SEED ?=
RUNS ?=
STRESS_RUNS ?=
SMP ?=

.DEFAULT_GOAL := all
.PHONY: help all deps prepare build run kunit kasan valgrind valgrind-uml valgrind-uml-proof \
	vma-test selfcheck pressure ksm selftests base checkpatch kernel-doc \
	gdb gdb-check refresh series-build series patches-check check bench bench-compare bench-instr bench-placement forktree bench-loops clean distclean sysdiff soak check-smp

help: ## list the targets
	@echo "usage: make [TARGET] [SUITE=glob] [BREAK=function] [LINUX_SRC=/path/to/6.12.y/git]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  \1\t/' | expand -t 18

all: ## the main job: install deps, prepare the tree, build, run the suites (kunit.py run)
	@$(S)/deps.sh
	@$(S)/prepare.sh
	@$(S)/kunit.sh

deps: ## install missing Debian packages (linux-source-6.12, ccache, gdb, valgrind, ...)
	@$(S)/deps.sh

prepare: ## build/linux = pristine 6.12 + patches/ (git am); FORCE=1 discards unexported work
	@$(S)/prepare.sh

build: ## configure (uml-config) and build the UML kernel incrementally
	@$(S)/build.sh --verbose

run: ## run every suite through kunit.py run (builds first)
	@$(S)/kunit.sh

kunit: ## fast path: build, start the UML binary on SUITE=glob, parse with kunit.py parse; a suite of KUNIT_MODULE_SUITES (scripts/common.sh) alone: built and loaded as a module, no relink (BUILTIN=1: never); killed after TIMEOUT=300 s
	@$(S)/kunit-fast.sh --timeout '$(or $(TIMEOUT),300)' '$(SUITE)'

kasan: ## build and run the suites in a second UML build with KASAN
	@$(S)/kunit.sh --kasan

valgrind: ## the anon_index suite as a host program under Valgrind memcheck
	@$(S)/valgrind-host.sh

valgrind-uml: ## SUITE=glob (default anon_*) on the UML kernel itself under Valgrind memcheck; fails on any error
	@$(S)/valgrind-uml.sh '$(SUITE)'

valgrind-uml-proof: ## memcheck must report the uml_valgrind suite's use-after-free, uninitialised and out-of-bounds reads
	@$(S)/valgrind-uml.sh --proof

vma-test: ## build and run the kernel's tools/testing/vma host harness: vma (upstream's build) and vma_anon_space (CONFIG_ANON_SPACE)
	@$(S)/vma-test.sh

checkpatch: ## scripts/checkpatch.pl --strict on patches/ and kunit/
	@$(S)/checkpatch.sh

kernel-doc: ## scripts/kernel-doc on the C files the series adds: no warning
	@$(S)/kernel-doc.sh

selfcheck: ## boot uml/selfcheck.c as init on hostfs: a program checks its own reverse map
	@$(S)/uml-selfcheck.sh

pressure: ## boot uml/pressure.c on hostfs, swap on ubd0: MB=96 of a forked family swapped out and in; STRESS=1: stress-ng
	@$(S)/uml-pressure.sh $(if $(STRESS),--stress,$(MB))

ksm: ## boot uml/ksm.c (swap on ubd0) on the patched and the baseline kernel: a KSM page a fork child maps back from swap after leaving KSM is found by the reverse map
	@$(S)/uml-ksm.sh

base: ## build the baseline kernel: the tree's pristine 6.12 (a worktree) without the series, base-config
	@$(S)/build-base.sh

selftests: ## tools/testing/selftests/mm (uml/selftests.list, or TESTS="cow mremap_test") on the patched and the baseline kernel, compared
	@$(S)/selftests.sh $(TESTS)

sysdiff: ## SEEDS=4 seeds of CALLS=800 random mmap/mremap/madvise/brk/fork calls on the patched and the baseline kernel; records must be equal
	@$(S)/uml-sysdiff.sh $(if $(SEEDS),--seeds $(SEEDS)) $(if $(CALLS),--calls $(CALLS))

soak: ## SECONDS=600 of rounds over seeds: the random family sequence (STEPS=25000, SEED=first) and make pressure, alternating; fails on any mismatch
	@$(S)/soak.sh $(if $(STEPS),--steps $(STEPS)) $(if $(SEED),--seed $(SEED)) $(SECONDS)

gdb: ## interactive GDB on the UML kernel running SUITE=glob, optional BREAK=function
	@$(S)/gdb.sh '$(SUITE)' '$(BREAK)'

gdb-check: ## scripted GDB: break in anon_index_alloc, check the backtrace reaches the test
	@$(S)/gdb-check.sh

refresh: ## export the tree's commits to patches/ (only changed files are rewritten)
	@$(S)/refresh.sh

series-build: ## bisectability: build the kernel at every commit of the series (FROM=N to start at patch N)
	@$(S)/series-build.sh $(FROM)

series: ## outgoing/: each series a maintainer takes (series/map), suites folded, cover letters; checked (git am, build, checkpatch; BISECT=1: every patch builds)
	@$(S)/series.sh

patches-check: ## fail if the tree holds commits or changes that patches/ lacks
	@$(S)/patches-check.sh

bench: ## allocator ns/op at 10^3..10^5 ranges, span/footprint; with ANON_SPACE on/off: mremap/mmap ns, workload VMA counts, rmap walks, swapbench, forktree (fork/exit time, rmap slab bytes), loops and stress-ng; instructions per call (bench-instr); then bench-placement
	@$(S)/bench.sh
	@$(S)/bench-uml.sh
	@$(S)/bench-instr.sh
	@$(S)/bench-placement.sh

forktree: ## uml/forktree on the two bench kernels (built by make bench): fork tree of 10..1000 children, server, mremap heap; RUNS=5 per kernel
	@$(S)/bench-forktree.sh $(if $(RUNS),--runs $(RUNS))

bench-loops: ## uml/loops (mmap1, brk1, page_fault1/2, fork, mremap, mmap1/brk1 in a fork child) and stress-ng mm stressors on the two bench kernels (built by make bench); RUNS=7, STRESS_RUNS=5 per kernel
	@$(S)/bench-loops.sh $(if $(RUNS),--runs $(RUNS)) $(if $(STRESS_RUNS),--stress-runs $(STRESS_RUNS))

bench-compare: ## mremap_bench cases on KERNELS="name=binary ..." (kept bench kernels, experiments; the last is the reference), BOOTS=11 interleaved, GLOB=, PARAMS="stack_pages=36 ..." (the suite's module parameters); builds nothing
	@$(if $(KERNELS),,$(error KERNELS="name=path name=path ..." is needed, e.g. KERNELS="before=build/kernels/before after=build/linux/.kunit-bench-on/linux off=build/linux/.kunit-bench-off/linux"))
	@$(S)/bench-compare.sh $(if $(BOOTS),--boots $(BOOTS)) $(if $(GLOB),--glob '$(GLOB)') $(foreach p,$(PARAMS),--param $(p)) $(KERNELS)

bench-instr: ## instructions and cache misses per call of each mremap_bench timing and walk (GLOB=, BENCH_PARAM=N: one parameter of each case, ROUNDS=A,B), ANON_SPACE on/off under cachegrind on two bench kernels built for Valgrind, or KERNELS="ON OFF" (any two with CONFIG_UML_VALGRIND); ends with "instr TIMING RATIO" lines (also part of make bench)
	@$(S)/bench-instr.sh $(if $(GLOB),--glob '$(GLOB)') $(if $(BENCH_PARAM),--bench-param $(BENCH_PARAM)) $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(KERNELS),--kernels $(KERNELS))

bench-placement: ## mremap_bench on the two bench kernels built at PADS="0 13 29 41 59" text shifts (CONFIG_BENCH_TEXT_PAD), BOOTS=11 interleaved, GLOB=: ratios and paired ratios per placement and their medians (also the end of make bench)
	@$(S)/bench-placement.sh $(if $(PADS),--pads '$(PADS)') $(if $(BOOTS),--boots $(BOOTS)) $(if $(GLOB),--glob '$(GLOB)')

bench-check: ## make bench's suite and reports on the debug kernel (every mremap_bench case, 3 short rounds, twice): the cases pass, every case reaches the ratio lines; in make check
	@$(S)/bench-check.sh

check: ## every test: checkpatch, kernel-doc, UML suites, KASAN, Valgrind, tools/testing/vma, programs on UML, make bench's pipeline, mm selftests and sysdiff against the baseline, GDB
	@$(S)/check.sh

check-smp: ## SMP x86_64 under QEMU (TCG): build smp-config (THP, per-VMA locks, lockdep, the verifier), run SUITE=glob on SMP=2 CPUs (KERNEL_ARGS=...); RMAP=1: THP off and ANON_SPACE_RMAP on, the space's own walks raced; not in make check
	@$(S)/check-smp.sh $(if $(SMP),--smp $(SMP)) $(if $(RMAP),--rmap) '$(SUITE)' $(KERNEL_ARGS)

clean: ## remove build products (keeps the prepared tree and its git history)
	rm -rf build/host build/bench build/linux/.kunit build/linux/.kunit-kasan build/linux/.kunit-bench-* \
		build/linux/.kunit-valgrind build/linux/.kunit-x86_64 build/linux/.kunit-x86_64-rmap build/smp-rmap-config build/linux-base.kunit build/selftests build/soak build/sysdiff build/sysdiff-runs build/loops-tmp build/bench-stress.sh build/*.log build/*.json build/*.kunitconfig

distclean: patches-check ## remove build/ entirely (refuses while the tree has unexported work)
	rm -rf build
