# shellcheck shell=bash
# Shared settings for the anon_space scripts. Sourced, never run.
#
# Every path can be overridden from the environment:
#   BUILD      where the prepared tree and build products live (default: build/)
#   TREE       the prepared kernel tree, a git repository (default: $BUILD/linux)
#   LINUX_SRC  a Linux 6.12.y git checkout to use instead of Debian's
#              linux-source-6.12 (never modified: we clone it with --shared)
#   LINUX_REF  the commit of LINUX_SRC to use (default: HEAD)

PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$PROJECT/build}
TREE=${TREE:-$BUILD/linux}
PATCHES=$PROJECT/patches
KUNIT_SRC=$PROJECT/kunit
UML_CONFIG=$PROJECT/uml-config
# What a UML kernel run under Valgrind adds to its config (make valgrind-uml,
# make bench-instr).
UML_VALGRIND_CONFIG=$PROJECT/uml-valgrind-config
DEBIAN_TARBALL=${DEBIAN_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
BASE_TAG=anon-space-base
# The kunit.py build directories inside the tree. .kunit is kunit.py's own
# default, so a plain "./tools/testing/kunit/kunit.py run" in the tree reuses it.
UML_BUILD=$TREE/.kunit
KASAN_BUILD=$TREE/.kunit-kasan
# make valgrind-uml's kernel: uml-config and uml-valgrind-config.
VALGRIND_BUILD=$TREE/.kunit-valgrind
# The baseline: the same pristine 6.12 without the series (a git worktree of
# the tree at $BASE_TAG) and its debug-free UML build from base-config, for
# the differential tests (make selftests, make sysdiff).
BASE_TREE=${BASE_TREE:-$BUILD/linux-base}
BASE_BUILD=$BUILD/linux-base.kunit
BASE_CONFIG=$PROJECT/base-config
# Where the kunit/ sources appear in the tree (symlinks, excluded from git).
KUNIT_LINK_DIR=mm/tests
# The suites make kunit can build as a module of the kernel already built
# (kunit-fast.sh's module path). They call only exported functions
# (EXPORT_SYMBOL_IF_KUNIT included: the sandbox's patch "mm: export to KUnit
# test modules ..." gives the mm suites the internals they call); built
# against a kernel whose config has them built in, anon_mm_kunit.h's
# BUILTIN_TEST holds in the module too: each runs every case and check as
# built in.
KUNIT_MODULE_SUITES="anon_index anon_space anon_vma_index anon_space_rmap anon_mremap anon_space_concurrency"

# ccache's compiler wrappers come first, so every kernel and host build goes
# through ccache without changing CC (and so without changing .config).
# CCACHE_NOHASHDIR: with -g, ccache would hash the working directory (the
# build dir), so a fresh build dir (or the KASAN one) could never hit.
if [ -d /usr/lib/ccache ]; then
	PATH=/usr/lib/ccache:$PATH
	CCACHE_NOHASHDIR=1
	export PATH CCACHE_NOHASHDIR
fi

die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

log() {
	printf '==> %s\n' "$*" >&2
}

# replace_if_changed NEW FILE: move NEW over FILE unless they are the same
# (then remove NEW), so that FILE's time changes only with its contents
# (make and kunit.py's config step look at it).
replace_if_changed() {
	if cmp -s "$1" "$2"; then rm "$1"; else mv "$1" "$2"; fi
}

need_tree() {
	[ -d "$TREE/.git" ] || die "no prepared kernel tree at $TREE; run 'make prepare' first"
}

# need_uml_valgrind: die unless a UML kernel for Valgrind can be built and
# run here: the prepared tree with the series' CONFIG_UML_VALGRIND,
# uml-valgrind-config, valgrind on PATH and its client-request headers
# (the kernel includes them). scripts/valgrind-uml.sh and
# scripts/bench-instr.sh check this one way.
need_uml_valgrind() {
	need_tree
	command -v valgrind >/dev/null || die "valgrind is missing; run 'make deps'"
	[ -f /usr/include/valgrind/valgrind.h ] && [ -f /usr/include/valgrind/memcheck.h ] ||
		die "Valgrind's headers (/usr/include/valgrind/) are missing: the kernel's CONFIG_UML_VALGRIND needs them (Debian package valgrind; 'make deps')"
	[ -f "$UML_VALGRIND_CONFIG" ] || die "missing $UML_VALGRIND_CONFIG (restore it from git)"
	grep -q '^config UML_VALGRIND$' "$TREE/arch/um/Kconfig" ||
		die "the tree at $TREE has no CONFIG_UML_VALGRIND (the series' arch/um patches are missing); run 'make prepare'"
}

# guest_program NAME: build uml/NAME.c as a static program at $BUILD/NAME
# (printed), to boot as init with uml_boot on any UML kernel. Not built
# again while it is newer than uml/NAME.c and uml/guest.h.
guest_program() {
	local prog=$BUILD/$1 src=$PROJECT/uml/$1.c
	if [ "$prog" -nt "$src" ] && [ "$prog" -nt "$PROJECT/uml/guest.h" ]; then
		echo "$prog"
		return
	fi
	command -v "${CC:-cc}" >/dev/null || die "no C compiler (${CC:-cc}); run 'make deps'"
	mkdir -p "$BUILD"
	"${CC:-cc}" -static -O2 -Wall -Wextra -Werror -o "$prog" "$src" ||
		die "building uml/$1.c failed (static linking needs libc6-dev)"
	echo "$prog"
}

# uml_program NAME CONFIG...: build the UML kernel, check that its .config
# has every CONFIG=y, and build uml/NAME.c as a static program at
# $BUILD/NAME (printed, guest_program), to boot with uml_boot_init.
uml_program() {
	local name=$1 opt
	shift
	command -v "${CC:-cc}" >/dev/null || die "no C compiler (${CC:-cc}); run 'make deps'"
	"$PROJECT/scripts/build.sh" >&2
	for opt in "$@"; do
		grep -qx "$opt=y" "$UML_BUILD/.config" ||
			die "$UML_BUILD/.config lacks $opt=y; add it to uml-config (FULL=1 make build)"
	done
	guest_program "$name"
}

# pressure_program: build the UML kernel and uml/pressure.c (uml_program,
# with the options the program needs: hostfs, ubd, swap, the space's
# reverse map and its verifier in debugfs), check for mkswap; prints the
# program's path (run it in $(...): the PATH it finds mkswap with is
# set again by pressure_boot), to boot with pressure_boot.
pressure_program() {
	command -v mkswap >/dev/null || PATH=$PATH:/usr/sbin:/sbin
	command -v mkswap >/dev/null || die "no mkswap (util-linux); run 'make deps'"
	uml_program pressure CONFIG_HOSTFS CONFIG_BLK_DEV_UBD CONFIG_SWAP \
		CONFIG_ANON_SPACE_RMAP CONFIG_DEBUG_ANON_SPACE CONFIG_DEBUG_FS
}

# pressure_boot KERNEL LOG PROG [ARG...]: boot uml/pressure (PROG, from
# pressure_program) as init on the UML kernel KERNEL with mem=128M and a
# fresh 256 MB swap file (mkswap, LOG's name with -swap.img, removed
# after) as ubd0, console to LOG; ARGs are the program's (MB, or "run
# PROGRAM [ARG...]"). Fails only if mkswap does; the caller judges LOG
# ("pressure: PASS").
pressure_boot() {
	local kernel=$1 log=$2 prog=$3 swap=${2%.log}-swap.img
	shift 3
	command -v mkswap >/dev/null || PATH=$PATH:/usr/sbin:/sbin
	rm -f "$swap"
	truncate -s 256M "$swap"
	mkswap -q "$swap" >/dev/null || die "mkswap $swap failed"
	uml_boot "$kernel" "$log" 900 "$prog" mem=128M "ubd0=$swap" -- "$@"
	rm -f "$swap"
}

# kbuild_lock / kbuild_unlock: one kernel build at a time on the machine.
# kbuild_lock waits for the build that holds $BUILD/.kbuild.lock (saying
# so); the lock goes with kbuild_unlock or the shell's exit. Every script
# that builds a kernel takes it (uml_kbuild, and kunit.sh around kunit.py
# run, which builds itself).
kbuild_lock() {
	mkdir -p "$BUILD"
	exec {kbuild_lock_fd}>"$BUILD/.kbuild.lock"
	flock -n "$kbuild_lock_fd" || {
		log "another kernel build is running; waiting for it"
		flock "$kbuild_lock_fd"
	}
}
kbuild_unlock() {
	exec {kbuild_lock_fd}>&-
}

# kbuild_input KUNITCONFIG [KUNIT_PY_ARG...]: what kunit.py's config step
# makes .config from: the kunitconfig's lines and the arguments
# (--kconfig_add ...). uml_kbuild keeps the last one it configured with
# in DIR/.kbuild-input.
kbuild_input() {
	cat "$1"
	shift
	printf 'kunit.py %s\n' "$@"
}

# vmlinux_input SRC KUNITCONFIG [KUNIT_PY_ARG...]: a digest of what a UML
# build of tree SRC is made of, but for the suites of kunit/ (symlinks the
# tree's git ignores): its commit, its uncommitted changes, its untracked
# files (names and contents: a new header or source file not yet added)
# and kbuild_input. uml_kbuild keeps the one of the last build that passed
# in DIR/.vmlinux-input; while it is the tree's, that kernel is current
# for everything but the suites (make kunit's module path). About 0.5 s
# (the untracked files' part 0.25 s with the untracked cache that
# prepare.sh turns on).
vmlinux_input() {
	local src=$1
	shift
	{
		# Not a git tree: a digest that never matches.
		git -C "$src" rev-parse HEAD 2>/dev/null || date +%s.%N
		git -C "$src" diff --no-ext-diff --binary HEAD 2>/dev/null || true
		git -C "$src" ls-files -z --others --exclude-standard 2>/dev/null |
			(cd "$src" && xargs -0r sha1sum --) || true
		kbuild_input "$@"
	} | sha1sum | cut -d' ' -f1
}

# uml_kbuild SRC DIR KUNITCONFIG LOG [KUNIT_PY_ARG...]: build the UML kernel
# of source tree SRC in build dir DIR, output in LOG (also on stdout with
# KBUILD_TEE=1). kunit.py build, which writes .config from KUNITCONFIG and
# checks that every option took, when DIR has no .config yet, KUNITCONFIG
# or the arguments differ from the last kunit.py build's here (their
# content, kbuild_input: a checkout or a comment edit that only touches a
# file costs nothing), or FULL=1 (about 7 s of config work on 2 cores);
# otherwise a plain incremental make, the same build (Kbuild re-syncs
# .config itself when a Kconfig file changes). Dies with the log's
# errors. One build at a time on the machine: a second waits for the
# first (flock on $BUILD/.kbuild.lock).
uml_kbuild() {
	local src=$1 dir=$2 kconfig=$3 blog=$4 cmd rc=0 config=1 input
	shift 4
	kbuild_lock
	input=$(vmlinux_input "$src" "$kconfig" "$@")
	rm -f "$dir/.vmlinux-input"
	if [ -f "$dir/.config" ] && [ -z "${FULL:-}" ] &&
	   kbuild_input "$kconfig" "$@" | cmp -s - "$dir/.kbuild-input"; then
		config=0
		cmd=(make -s -C "$src" ARCH=um O="$dir" -j"$(nproc)")
	else
		cmd=(python3 "$src/tools/testing/kunit/kunit.py" build --build_dir "$dir"
		     --kunitconfig "$kconfig" --jobs "$(nproc)" "$@")
	fi
	mkdir -p "$(dirname "$blog")"
	if [ "${KBUILD_TEE:-0}" = 1 ]; then
		"${cmd[@]}" 2>&1 | tee "$blog" || rc=$?
	else
		"${cmd[@]}" >"$blog" 2>&1 || rc=$?
	fi
	if [ "$config" = 1 ]; then
		# Only a build that configured and passed records its input.
		rm -f "$dir/.kbuild-input"
		[ "$rc" != 0 ] || kbuild_input "$kconfig" "$@" >"$dir/.kbuild-input"
	fi
	[ "$rc" != 0 ] || echo "$input" >"$dir/.vmlinux-input"
	kbuild_unlock
	[ "$rc" = 0 ] && return 0
	grep -E 'error|Error|ERROR|not in the generated' "$blog" | head -30 >&2 || tail -30 "$blog" >&2
	die "building $dir failed (full log: $blog)"
}

# uml_boot KERNEL LOG SECONDS PROG [ARG...]: boot the UML kernel binary
# KERNEL with the host's root filesystem (hostfs; root=/dev/root, or UML
# appends root=98:0, which would reach PROG after "--") and PROG as init,
# no KUnit suite, console to LOG; ARGs are more kernel parameters (after
# "--": PROG's arguments). Never fails: the caller judges LOG (a timeout
# kills the guest).
UML_HOSTFS_ROOT=(root=/dev/root rootfstype=hostfs rootflags=/ rw)
uml_boot() {
	local kernel=$1 log=$2 secs=$3 prog=$4
	shift 4
	[ -x "$kernel" ] || die "no UML kernel at $kernel; build it first"
	timeout "$secs" "$kernel" "${UML_HOSTFS_ROOT[@]}" \
		init="$prog" kunit.enable=0 console=tty "$@" </dev/null >"$log" 2>&1 || true
}

# kunit_boot_args GLOB MEM [ARG...]: set the array KUNIT_BOOT_ARGS to the
# kernel parameters that boot a UML kernel straight into the KUnit suites
# matching GLOB (kunit.filter_glob: "suite" or "suite.case"), with MEM of
# memory (mem=MEM), the console on stdout, and a halt when they are done;
# ARGs are more kernel parameters (the suites' module parameters). The one
# KUnit command line of the scripts: run "$kernel" "${KUNIT_BOOT_ARGS[@]}",
# or the same after "gdb --args" or "valgrind".
kunit_boot_args() {
	local glob=$1 mem=$2
	shift 2
	KUNIT_BOOT_ARGS=("kunit.filter_glob=$glob" kunit.enable=1 "mem=$mem"
			 console=tty kunit_shutdown=halt "$@")
}

# uml_boot_init LOG SECONDS PROG [ARG...]: uml_boot on the patched kernel.
uml_boot_init() {
	uml_boot "$UML_BUILD/linux" "$@"
}

# base_kernel: build the baseline kernel (scripts/build-base.sh) and print
# the path of its binary.
base_kernel() {
	"$PROJECT/scripts/build-base.sh" >&2
	echo "$BASE_BUILD/linux"
}

# export_series DIR: write the tree's commits since the base as patch files
# into DIR. --zero-commit and --no-signature keep the output a function of
# the commits' content, so re-applying the series does not churn patches/.
export_series() {
	git -C "$TREE" format-patch -q --zero-commit --no-signature \
		--no-numbered -o "$1" "$BASE_TAG..HEAD" >/dev/null
}

# same_patch A B: do two patch files carry the same commit? The "From <sha>"
# line, the [PATCH n/m] numbering and the trailing git version signature
# differ between exports of one commit, so they are left out of the
# comparison.
same_patch() {
	[ -f "$1" ] && [ -f "$2" ] || return 1
	cmp -s <(normalize_patch "$1") <(normalize_patch "$2")
}
normalize_patch() {
	awk 'NR == 1 && /^From [0-9a-f]+ / { next }
	     !body && /^Subject: \[PATCH[^]]*\]/ { sub(/^Subject: \[PATCH[^]]*\]/, "Subject: [PATCH]") }
	     /^$/ { body = 1 }
	     { line[++n] = $0 }
	     END {
		# drop a trailing "-- " signature (format-patch: "-- ", version, "")
		for (i = n; i > n - 3 && i > 0; i--) if (line[i] == "-- ") { n = i - 1; break }
		for (i = 1; i <= n; i++) print line[i]
	     }' "$1"
}

# worktree_at DIR REV: make DIR a git worktree of the tree, created at REV
# when missing. One left from an earlier tree (make prepare recreates the
# tree, and with it the worktrees' git metadata) is made anew; an existing
# one stays at its commit.
worktree_at() {
	if [ -e "$1" ] && ! git -C "$1" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		log "$1 belongs to an earlier tree; making it anew"
		rm -rf "$1"
	fi
	git -C "$TREE" worktree prune
	if [ ! -e "$1" ]; then
		log "creating the worktree $1 at $(git -C "$TREE" log -1 --format='%h %s' "$2")"
		git -C "$TREE" worktree add -q -f --detach "$1" "$2"
	fi
}

# A kernel warning, BUG, oops or lockdep report in LOG from its first line
# matching START on (UML's virt-pci warns at every boot, before the suites
# start): true if there is one. kernel_trouble_show prints the first few;
# die_on_kernel_trouble LOG START shows them and dies.
KERNEL_TROUBLE='WARNING:|BUG:|Oops|Kernel panic|Call Trace|general protection|lockdep|possible circular|possible recursive|inconsistent lock state|suspicious RCU usage'
kernel_trouble() {
	tr -d '\r' <"$1" | sed -nE "/$2/,\$p" | grep -Eq "$KERNEL_TROUBLE"
}
kernel_trouble_show() {
	tr -d '\r' <"$1" | sed -nE "/$2/,\$p" | grep -E -A8 "$KERNEL_TROUBLE" | head -30 >&2 || true
}
die_on_kernel_trouble() {
	kernel_trouble "$1" "$2" || return 0
	kernel_trouble_show "$1" "$2"
	die "the kernel printed a warning, BUG, oops or lockdep report while the suites ran (log: $1)"
}

# positive_arg OPTION VALUE: die (after the caller's usage) unless VALUE
# is a positive integer.
positive_arg() {
	[[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] ||
		{ usage >&2; die "$1 needs a positive number"; }
}

# bench_cpu_arg OPTION VALUE [pair]: check a benchmark's host CPU argument
# (a CPU number of this machine, or "none"; with a third argument "pair"
# too: both kernels at once, bench_round), or die with a usage line.
bench_cpu_arg() {
	if [ "${3:-}" = pair ] && [ "${2:-}" = pair ]; then
		[ "$(nproc)" -ge 2 ] || die "$1 pair needs two CPUs; this machine has $(nproc)"
		command -v taskset >/dev/null || die "no taskset (util-linux); run 'make deps'"
		return
	fi
	[[ ${2:-} =~ ^([0-9]+|none)$ ]] ||
		{ usage >&2; die "$1 needs a CPU number or 'none'${3:+ or 'pair'}"; }
	[ "$2" = none ] && return
	command -v taskset >/dev/null || die "no taskset (util-linux); run 'make deps', or $1 none"
	[ "$2" -lt "$(nproc)" ] || die "$1 $2: this machine has CPUs 0-$(($(nproc) - 1))"
}

# bench_pin CPU: pin this (sub)shell, and so the UML kernel it starts, to
# host CPU CPU ("none": leave it unpinned). Unpinned, the bench kernels'
# boots fall into modes up to two-fold apart, either kernel (results.md);
# pinned to one CPU, their spread is a few percent. Every benchmark boot
# of the scripts goes through this.
bench_pin() {
	[ "$1" = none ] || taskset -p -c "$1" "$BASHPID" >/dev/null ||
		die "taskset -p -c $1 failed"
}

# The mremap_bench cases the comparisons time by default: every timing
# case (brk, fork, faults, mmap, mremap, the families' munmap and stack
# growth) but the reverse-map walks (bench_rmap_*).
BENCH_TIMING_GLOB='mremap_bench.bench_[bfmps]*'
# make bench-instr's: those and the walks, whose counts are one
# folio_referenced() and one rmap_walk() of the same folio a call.
BENCH_INSTR_GLOB='mremap_bench.bench_[bfmprs]*'

# bench_suite_boot KERNEL LOG CPU GLOB ROUNDS: boot the UML kernel KERNEL
# (one built from bench/kunitconfig, or any with CONFIG_MREMAP_KUNIT_BENCH)
# into the mremap_bench cases that match GLOB ("mremap_bench" for all),
# ROUNDS timed rounds each, pinned to host CPU CPU (bench_pin), console to
# LOG; print the suite's "bench:" and "vmas:" lines, or die naming LOG.
# Every NAME=VALUE of the array BENCH_PARAMS (a caller's, empty unless
# set) becomes the suite's module parameter mremap_bench_kunit.NAME=VALUE.
# The one boot of the timing suite that the bench scripts share.
BENCH_PARAMS=()
bench_suite_boot() {
	local kernel=$1 log=$2 cpu=$3 glob=$4 rounds=$5
	[ -x "$kernel" ] || die "no UML kernel at $kernel"
	(
		bench_pin "$cpu"
		kunit_boot_args "$glob" 1G "mremap_bench_kunit.bench_rounds=$rounds" \
			"${BENCH_PARAMS[@]/#/mremap_bench_kunit.}"
		"$kernel" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$log" 2>&1 || true
	)
	# The suite's own result line (a suite of one case prints no
	# "# mremap_bench: pass:" line), no failure, and some figures.
	grep -Eq '^ok [0-9]+ mremap_bench$' "$log" && ! grep -q 'not ok' "$log" &&
		grep -o -e 'bench: [a-z_]* pages=.*' -e 'vmas: [a-z_]* count=.*' "$log" ||
		die "mremap_bench failed or printed no figures on $kernel (log: $log)"
}

# bench_order ROUND ITEM...: the ITEMs in the order round ROUND (from 1)
# boots them, one per line: rotated by one each round (a b c, b c a, c a
# b, ...; for two kernels on off, off on, ...), so that no kernel always
# boots first after a round's start, when the host's speed may differ
# (it drifts in stretches of seconds: results.md, "2026-12-06 evening").
# The one order of the benchmark scripts' rounds.
bench_order() {
	local r=$1 i
	shift
	local items=("$@")
	for ((i = 0; i < ${#items[@]}; i++)); do
		echo "${items[(r - 1 + i) % ${#items[@]}]}"
	done
}

# bench_round ROUND CPU FUNC ARG...: the two boots of a program benchmark's
# round ROUND (from 1), "FUNC HOSTCPU on ARG..." and "FUNC HOSTCPU off
# ARG...", each in a subshell that FUNC pins to HOSTCPU (bench_pin) and
# whose figures it prints. With CPU a host CPU or "none", one after the
# other in bench_order ROUND, both on CPU. With CPU "pair", both at once,
# one on each of host CPUs 0 and 1, which CPU runs which kernel swapped
# each round (bench_order): the host's speed, which drifts in stretches
# of seconds (results.md, "2026-12-06 evening"), is then the same for the
# two figures of a round, as Laaber et al. found for benchmarks in cloud
# VMs ("Software microbenchmarking in the cloud. How bad is it really?",
# EMSE 2019: both versions at once on one instance), for a workload that
# runs for fixed times, in step on both kernels (uml/loops), not for one
# of fixed counts (results.md, "2026-12-06 night"). Sets the
# associative array BENCH_ROUND_OUT (on, off) to their output; dies if
# either boot failed (FUNC's own error above). The one way the program
# benchmarks pair their kernels.
declare -gA BENCH_ROUND_OUT=()
bench_round() {
	# Locals prefixed: FUNC runs in their scope (bash's dynamic scoping)
	# and must see its script's own variables.
	local _br_round=$1 _br_cpu=$2 _br_fn=$3 _br_dir _br_v _br_ok=1 _br_c _br_on _br_off
	shift 3
	_br_dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-round.XXXXXX")
	if [ "$_br_cpu" = pair ]; then
		mapfile -t _br_c < <(bench_order "$_br_round" 0 1)
		( "$_br_fn" "${_br_c[0]}" on "$@" ) >"$_br_dir/on" &
		_br_on=$!
		( "$_br_fn" "${_br_c[1]}" off "$@" ) >"$_br_dir/off" &
		_br_off=$!
		wait "$_br_on" || _br_ok=0
		wait "$_br_off" || _br_ok=0
	else
		for _br_v in $(bench_order "$_br_round" on off); do
			( "$_br_fn" "$_br_cpu" "$_br_v" "$@" ) >"$_br_dir/$_br_v" || { _br_ok=0; break; }
		done
	fi
	if [ "$_br_ok" = 1 ]; then
		BENCH_ROUND_OUT[on]=$(<"$_br_dir/on")
		BENCH_ROUND_OUT[off]=$(<"$_br_dir/off")
	fi
	rm -rf "$_br_dir"
	[ "$_br_ok" = 1 ] || die "a boot of round $_br_round failed (its error above)"
}

# bench_round_how ROUND CPU: how bench_round runs round ROUND, for a log line.
bench_round_how() {
	local c
	if [ "$2" = pair ]; then
		mapfile -t c < <(bench_order "$1" 0 1)
		echo "on (CPU ${c[0]}) and off (CPU ${c[1]}) at once"
	else
		echo "$(bench_order "$1" on off | paste -sd ' '), CPU $2"
	fi
}

# bench_interleave LINES BOOTS CPU GLOB ROUNDS LOGPREFIX NAME=KERNEL...:
# BOOTS rounds, each booting every KERNEL in turn (bench_order) into the mremap_bench
# cases GLOB (bench_suite_boot, console to LOGPREFIX-NAME.log) under the
# build lock, so that no kernel build of the scripts runs beside a round;
# LINES gets each boot's figures after its NAME. LINES is a file, not a
# variable: many boots' lines exceed what one environment variable may
# hold (128 KiB). The one interleaving of the comparing scripts.
bench_interleave() {
	local lines=$1 boots=$2 cpu=$3 glob=$4 rounds=$5 logp=$6 i nk out order
	shift 6
	: >"$lines"
	for ((i = 1; i <= boots; i++)); do
		kbuild_lock
		mapfile -t order < <(bench_order "$i" "$@")
		for nk in "${order[@]}"; do
			out=$(bench_suite_boot "${nk#*=}" "$logp-${nk%%=*}.log" \
				"$cpu" "$glob" "$rounds")
			sed "s/^/${nk%%=*} /" <<<"$out" >>"$lines"
		done
		kbuild_unlock
	done
}

# bench_kdir on|off [PAD|vg]: the build directory of a bench kernel
# (below).
bench_kdir() {
	case "${2:-0}" in
	0) echo "$TREE/.kunit-bench-$1" ;;
	vg) echo "$TREE/.kunit-bench-$1-vg" ;;
	*) echo "$TREE/.kunit-bench-$1-p$2" ;;
	esac
}

# bench_kbuild on|off [PAD|vg]: build a bench kernel from bench/kunitconfig
# (no debugging options) into bench_kdir: "on" with CONFIG_ANON_SPACE=y
# and CONFIG_ANON_SPACE_RMAP=y (the feature as it is used), "off" without
# (mainline's anon_vma reverse map), its text shifted by PAD 64-byte lines
# (CONFIG_BENCH_TEXT_PAD, default 0: make bench's own two kernels), or
# with vg the options of uml-valgrind-config added, to run under Valgrind
# (scripts/bench-instr.sh). Dies if the .config does not say so. The one
# way the bench scripts build.
bench_kbuild() {
	local v=$1 var=${2:-0} dir add=() log kconfig=$PROJECT/bench/kunitconfig
	dir=$(bench_kdir "$v" "$var")
	case "$v" in
	on) add=(--kconfig_add CONFIG_ANON_SPACE=y --kconfig_add CONFIG_ANON_SPACE_RMAP=y) ;;
	off) ;;
	*) die "bench_kbuild: '$v' is neither on nor off" ;;
	esac
	case "$var" in
	0) log=$BUILD/bench-$v-build.log ;;
	vg)
		log=$BUILD/bench-$v-vg-build.log
		kconfig=$BUILD/bench-vg.kunitconfig
		mkdir -p "$BUILD"
		cat "$PROJECT/bench/kunitconfig" "$UML_VALGRIND_CONFIG" >"$kconfig.new"
		replace_if_changed "$kconfig.new" "$kconfig"
		;;
	*)
		log=$BUILD/bench-$v-p$var-build.log
		add+=(--kconfig_add "CONFIG_BENCH_TEXT_PAD=$var")
		;;
	esac
	uml_kbuild "$TREE" "$dir" "$kconfig" "$log" "${add[@]}"
	case "$var" in
	0) bench_kcheck "$v" ;;
	vg) bench_kcheck "$v" vg CONFIG_UML_VALGRIND ;;
	*)
		bench_kcheck "$v" "$var"
		grep -qx "CONFIG_BENCH_TEXT_PAD=$var" "$dir/.config" ||
			die "$dir/.config lacks CONFIG_BENCH_TEXT_PAD=$var (patches/*BENCH_TEXT_PAD*); run 'make prepare'"
		;;
	esac
}

# bench_kcheck on|off [PAD|vg [OPTION...]]: die unless bench_kdir holds a
# built kernel whose .config is what bench_kbuild makes of on or off
# (CONFIG_ANON_SPACE and _RMAP both =y, or ANON_SPACE not set) and has
# every OPTION=y (what a caller's guest program needs).
bench_kcheck() {
	local v=$1 pad=${2:-0} dir opt
	shift $(($# < 2 ? $# : 2))
	dir=$(bench_kdir "$v" "$pad")
	[ -x "$dir/linux" ] && [ -f "$dir/.config" ] ||
		die "no bench kernel at $dir/linux; 'make bench' (scripts/bench-uml.sh) builds it"
	if [ "$v" = on ]; then
		grep -qx 'CONFIG_ANON_SPACE=y' "$dir/.config" &&
			grep -qx 'CONFIG_ANON_SPACE_RMAP=y' "$dir/.config"
	else
		! grep -qx 'CONFIG_ANON_SPACE=y' "$dir/.config"
	fi || die "$dir/.config has the wrong CONFIG_ANON_SPACE(_RMAP); delete $dir and rerun make bench"
	for opt in "$@"; do
		grep -qx "$opt=y" "$dir/.config" ||
			die "$dir/.config lacks $opt=y; add it to bench/kunitconfig and rerun make bench"
	done
}

# tree_dirty: print the tree's uncommitted changes (ignored files excluded).
tree_dirty() {
	git -C "$TREE" status --porcelain --untracked-files=normal
}
