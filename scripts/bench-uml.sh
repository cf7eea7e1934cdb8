#!/usr/bin/env bash
# The series against mainline, measured: build two UML kernels from
# bench/kunitconfig (no debugging options), one with CONFIG_ANON_SPACE=y and
# CONFIG_ANON_SPACE_RMAP=y (the feature as it is used) and one without
# (mainline's anon_vma reverse map), and print side by side:
#  - the mremap_bench suite on each (directly, as 'make kunit' does):
#    mremap(), mmap(), page fault (page_fault1) and brk (brk1) timings,
#    reverse map walks of the same folios in
#    a forked family (ns per folio_referenced() and per whole rmap_walk(),
#    VMAs visited and mapping per walk), and the VMAs a few workloads leave;
#  - uml/swapbench booted as init on each (mem=128M, swap on a host file as
#    ubd0), 3 runs per kernel interleaved (on, off, then off, on, ...): MB/s of
#    filling, COW, MADV_PAGEOUT and reading back (swap-in), medians;
#  - uml/forktree booted as init on each (scripts/bench-forktree.sh:
#    mem=1G slab_nomerge, 5 runs per kernel interleaved): a fork tree of
#    10, 100 and 1000 children (and 100 x 9 grandchildren), server
#    workers and a realloc-heavy heap: fork and exit times, rmap metadata
#    bytes in slab, VMAs; its own table and ratio lines after this one's;
#  - will-it-scale-style loops (uml/loops: mmap1, brk1, page_fault1/2,
#    fork, mremap move and grow) and stress-ng's mmap, mremap, brk, fork
#    and vm stressors as programs on each (scripts/bench-loops.sh: 7 and
#    5 boots per kernel interleaved, pinned to one CPU, under the build
#    lock); its own tables and "ratio loop_*" / "ratio stress_*_bogo_ops"
#    lines last (stress-ng's off/on of bogo ops/s: above 1 is slower too).
# Ends with one line per compared operation, "ratio OPERATION VALUE": the
# feature's median over mainline's (times, so above 1 is slower; VMA counts);
# for the mremap_bench timings also "ratio OPERATION:pages=N:best_boot VALUE",
# the lowest boot median over the lowest, which the boots' two modes move
# less than the medians, and "ratio OPERATION:pages=N:paired VALUE", the
# median of each round's ratio (the on and off boots next to each other),
# as make bench-compare and bench-placement print it.
# The figures also go to build/bench-uml.json (or --json FILE).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--json FILE] [--rounds N] [--boots N] [--swap-runs N] [--swap-mb MB] [--forktree-runs N] [--loops-runs N] [--stress-runs N] [--cpu N|none]"
	echo "  --rounds N     timed rounds per KUnit case (default 201)"
	echo "  --boots N      boots of the mremap_bench suite per kernel, interleaved (default 21):"
	echo "                 medians of the boots' medians, with their range"
	echo "  --swap-runs N  swapbench boots per kernel, interleaved (default 3; 0: none)"
	echo "  --swap-mb MB   swapbench's mapping (default 64, under mem=128M)"
	echo "  --forktree-runs N  forktree boots per kernel, interleaved (default 5; 0: none)"
	echo "  --cpu N|none   host CPU every boot runs on (taskset; default 1; none: unpinned)"
	echo "  --loops-runs N     uml/loops boots per kernel, interleaved (default 7; 0: none)"
	echo "  --stress-runs N    stress-ng boots per kernel, interleaved (default 5; 0: none)"
}
json=$BUILD/bench-uml.json
rounds=201
boots=21
swap_runs=3
swap_mb=64
forktree_runs=5
cpu=1
loops_runs=7
stress_runs=5
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--json) json=${2:?--json needs a file}; shift 2 ;;
	--rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
	--boots) boots=${2:?--boots needs a number}; shift 2 ;;
	--swap-runs) swap_runs=${2:?--swap-runs needs a number}; shift 2 ;;
	--swap-mb) swap_mb=${2:?--swap-mb needs a number}; shift 2 ;;
	--forktree-runs) forktree_runs=${2:?--forktree-runs needs a number}; shift 2 ;;
	--cpu) bench_cpu_arg --cpu "${2:-}"; cpu=$2; shift 2 ;;
	--loops-runs) loops_runs=${2:?--loops-runs needs a number}; shift 2 ;;
	--stress-runs) stress_runs=${2:?--stress-runs needs a number}; shift 2 ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
done
case "$rounds" in ''|*[!0-9]*|0) die "--rounds wants a positive number, not '$rounds'" ;; esac
case "$boots" in ''|*[!0-9]*|0) die "--boots wants a positive number, not '$boots'" ;; esac
case "$swap_runs" in ''|*[!0-9]*) die "--swap-runs wants a number, not '$swap_runs'" ;; esac
case "$swap_mb" in ''|*[!0-9]*|0) die "--swap-mb wants a positive number, not '$swap_mb'" ;; esac
case "$forktree_runs" in ''|*[!0-9]*) die "--forktree-runs wants a number, not '$forktree_runs'" ;; esac
case "$loops_runs" in ''|*[!0-9]*) die "--loops-runs wants a number, not '$loops_runs'" ;; esac
case "$stress_runs" in ''|*[!0-9]*) die "--stress-runs wants a number, not '$stress_runs'" ;; esac
need_tree
grep -q '^config MREMAP_KUNIT_BENCH' "$TREE/mm/Kconfig" ||
	die "$TREE lacks the mremap_bench suite (patches/*mremap_bench*); run 'make prepare'"
[ -e "$TREE/mm/tests/mremap_bench_kunit.c" ] ||
	die "$TREE/mm/tests/mremap_bench_kunit.c is missing; run 'make prepare'"

# swap CPU VARIANT N: boot uml/swapbench on the VARIANT kernel (run N) on
# host CPU CPU (bench_round), with a fresh swap file of twice the mapping;
# its "swapbench:" lines, or die.
swap() {
	local log=$BUILD/bench-swap-$2-$3.log img=$BUILD/bench-swap.img
	bench_pin "$1"
	shift
	rm -f "$img"
	truncate -s "$((swap_mb * 2 + 64))M" "$img"
	mkswap -q "$img" >/dev/null || die "mkswap $img failed"
	uml_boot "$(bench_kdir "$1")/linux" "$log" 900 "$BUILD/swapbench" \
		mem=128M "ubd0=$img" -- "$swap_mb"
	rm -f "$img"
	grep -q '^swapbench: PASS' "$log" ||
		die "swapbench failed on the $1 kernel (log: $log)"
	grep -o 'swapbench: [a-z]* mb=.*' "$log" | tr -d '\r' | sed "s/\$/ run=$2/"
}

for v in on off; do
	log "building the CONFIG_ANON_SPACE=$v bench kernel"
	bench_kbuild "$v"
done
if [ "$swap_runs" -gt 0 ]; then
	command -v mkswap >/dev/null || PATH=$PATH:/usr/sbin:/sbin
	command -v mkswap >/dev/null || die "no mkswap (util-linux); run 'make deps'"
	# The same program for both kernels; uml_program would check the
	# patched debug kernel's .config, not these.
	guest_program swapbench >/dev/null
fi
echo "date: $(date '+%Y-%m-%d %H:%M:%S %Z'); host: $(uname -srm), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); tree: $(git -C "$TREE" describe --always --tags 2>/dev/null || echo unknown); rounds: $rounds; boots: $boots per kernel; swap runs: $swap_runs x ${swap_mb} MB; boots on CPU $cpu"
# The suite's figures move between boots of the same kernel (on this
# machine by up to 2x, in two modes), so each kernel is booted $boots
# times, interleaved (bench_interleave: each round under the build lock,
# consoles in build/bench-on.log and bench-off.log), and the medians of
# the boots' medians compared.
figs=$BUILD/bench-uml-figures
mkdir -p "$figs"
bench_interleave "$figs/lines" "$boots" "$cpu" mremap_bench "$rounds" \
	"$BUILD/bench" on="$(bench_kdir on)/linux" off="$(bench_kdir off)/linux"
sed -n 's/^on //p' "$figs/lines" >"$figs/on"
sed -n 's/^off //p' "$figs/lines" >"$figs/off"
declare -A swap_out=([on]='' [off]='')
for ((i = 1; i <= swap_runs; i++)); do
	log "swapbench run $i of $swap_runs: $(bench_round_how "$i" "$cpu")"
	bench_round "$i" "$cpu" swap "$i"
	for v in on off; do
		swap_out[$v]+=${BENCH_ROUND_OUT[$v]}$'\n'
	done
done
# Lines to files: many boots' lines exceed what one environment variable
# may hold (128 KiB).
printf '%s' "${swap_out[on]}" >"$figs/swap-on"
printf '%s' "${swap_out[off]}" >"$figs/swap-off"
python3 "$PROJECT/scripts/bench-uml-report.py" "$figs/on" "$figs/off" \
	"$figs/swap-on" "$figs/swap-off" "$json"
echo "bench-uml: figures also in $json"
if [ "$forktree_runs" -gt 0 ]; then
	echo
	"$PROJECT/scripts/bench-forktree.sh" --runs "$forktree_runs" --cpu "$cpu"
fi
if [ "$loops_runs" -gt 0 ] || [ "$stress_runs" -gt 0 ]; then
	echo
	"$PROJECT/scripts/bench-loops.sh" --runs "$loops_runs" --stress-runs "$stress_runs" --cpu "$cpu"
fi
