#!/usr/bin/env bash
# The series' cost on the mremap_bench hot paths with code placement
# averaged out. Two kernels that differ in a few functions time the same
# code differently: what follows the change moves against pages, cache
# sets and branch predictor entries (results.md, "Code placement"). So
# each bench kernel (ANON_SPACE on and off, bench/kunitconfig) is built
# with its text shifted by each of --pads 64-byte lines
# (CONFIG_BENCH_TEXT_PAD; pad 0 is make bench's own pair), every kernel
# is booted --boots times, interleaved, and per case
# scripts/bench-placement-report.py prints:
#  - each placement's ratio: the on kernel's median of boot medians over
#    the off kernel's with the same pad, and the paired ratio (the median
#    of each round's on/off ratio, two boots next to each other);
#  - the median of each over the placements, the series' cost;
#  - the off kernels' spread: each pad's median over pad 0's, what
#    placement alone moves in mainline.
# Ends with "ratio OPERATION:pages=N:placements VALUE" and
# "ratio ...:placements:paired VALUE" lines (the two medians).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--pads \"P P ...\"] [--boots N] [--rounds N] [--glob GLOB] [--cpu N|none]"
	echo "  --pads LIST  text shifts in 64-byte lines, one kernel pair each (default \"0 13 29 41 59\")"
	echo "  --boots N    boots per kernel, interleaved (default 11)"
	echo "  --rounds N   timed rounds per case (default 201)"
	echo "  --glob GLOB  mremap_bench cases (default $BENCH_TIMING_GLOB: all but the walks)"
	echo "  --cpu N|none host CPU every boot runs on (default 1)"
}
pads="0 13 29 41 59"
boots=11
rounds=201
glob=$BENCH_TIMING_GLOB
cpu=1
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--pads) pads=${2:?--pads needs a list}; shift 2 ;;
	--boots) positive_arg --boots "${2:-}"; boots=$2; shift 2 ;;
	--rounds) positive_arg --rounds "${2:-}"; rounds=$2; shift 2 ;;
	--glob) glob=${2:?--glob needs a pattern}; shift 2 ;;
	--cpu) bench_cpu_arg --cpu "${2:-}"; cpu=$2; shift 2 ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
done
case "$glob" in mremap_bench*) ;; *) die "--glob '$glob' is not a mremap_bench case pattern" ;; esac
seen=" "
for p in $pads; do
	case "$p" in ''|*[!0-9]*) die "--pads: '$p' is not a number of 64-byte lines" ;; esac
	[ "$p" -le 4095 ] || die "--pads: $p is above CONFIG_BENCH_TEXT_PAD's 4095"
	[[ $seen != *" $p "* ]] || die "--pads: $p given twice"
	seen+="$p "
done
[ "$(wc -w <<<"$pads")" -ge 2 ] || die "--pads needs two placements or more, e.g. \"0 13 29\""
need_tree
grep -q '^config BENCH_TEXT_PAD' "$TREE/init/Kconfig" ||
	die "$TREE lacks CONFIG_BENCH_TEXT_PAD (patches/*BENCH_TEXT_PAD*); run 'make prepare'"

for p in $pads; do
	for v in on off; do
		log "building the CONFIG_ANON_SPACE=$v bench kernel, text shifted by $p lines"
		bench_kbuild "$v" "$p"
	done
done
echo "date: $(date '+%Y-%m-%d %H:%M:%S %Z'); tree: $(git -C "$TREE" describe --always --tags 2>/dev/null || echo unknown); cases: $glob; pads: $pads; boots: $boots per kernel, interleaved, on CPU $cpu; rounds: $rounds"
lines=$BUILD/bench-placement.lines
pairs=()
for p in $pads; do
	for v in on off; do
		pairs+=("$v-p$p=$(bench_kdir "$v" "$p")/linux")
	done
done
bench_interleave "$lines" "$boots" "$cpu" "$glob" "$rounds" "$BUILD/bench-placement" "${pairs[@]}"
PYTHONPATH="$PROJECT/scripts" python3 "$PROJECT/scripts/bench-placement-report.py" "$lines" $pads
