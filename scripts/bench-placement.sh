#!/usr/bin/env bash
# The series' cost on the mremap_bench hot paths with code placement
# averaged out. Two kernels that differ in a few functions time the same
# code differently: what follows the change moves against pages, cache
# sets and branch predictor entries (results.md, "Code placement"). So
# each bench kernel (ANON_SPACE on and off, bench/kunitconfig) is built
# with its text shifted by each of --pads 64-byte lines
# (CONFIG_BENCH_TEXT_PAD; pad 0 is make bench's own pair), every kernel
# is booted --boots times, interleaved, and per case this prints:
#  - each placement's ratio: the on kernel's median of boot medians over
#    the off kernel's with the same pad;
#  - the median of those ratios, the series' cost;
#  - the off kernels' spread: each pad's median over pad 0's, what
#    placement alone moves in mainline.
# Ends with "ratio OPERATION:pages=N:placements VALUE" lines (the median
# of the placements' ratios).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--pads \"P P ...\"] [--boots N] [--rounds N] [--glob GLOB] [--cpu N|none]"
	echo "  --pads LIST  text shifts in 64-byte lines, one kernel pair each (default \"0 13 29\")"
	echo "  --boots N    boots per kernel, interleaved (default 11)"
	echo "  --rounds N   timed rounds per case (default 201)"
	echo "  --glob GLOB  mremap_bench cases (default $BENCH_TIMING_GLOB: all but the walks)"
	echo "  --cpu N|none host CPU every boot runs on (default 1)"
}
pads="0 13 29"
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
PADS="$pads" LINES="$lines" PYTHONPATH="$PROJECT/scripts" python3 - <<'EOF'
import os, statistics

from bench_lines import case_name, children_cell, fields, paired, timing_key

pads = os.environ['PADS'].split()
med = {}
for line in open(os.environ['LINES']).read().splitlines():
    parts = line.split()
    if len(parts) < 3 or parts[1] != 'bench:':
        continue
    f = fields(line)
    key = timing_key(parts[2], f)
    variant, pad = parts[0].split('-p')
    med.setdefault(key, {}).setdefault((variant, pad), []).append(int(f['median_ns']))
print("ns per call, median of the boots' medians, per placement (pad in 64-byte lines);")
print("ratio: ANON_SPACE=y over =n at the same pad; paired: the median of each round's")
print("on/off ratio (two boots next to each other), per pad; off spread: each pad's =n")
print("over pad " + pads[0] + "'s")
print(f"{'case':<22}{'pages':>6}{'children':>9}  " + ''.join(f"{'on/off p' + p:>16}" for p in pads)
      + f"  {'ratio per pad':<{6 * len(pads)}}  {'median':>6}  {'paired':<{6 * len(pads)}}  off spread")
out = []
for key in sorted(med):
    row = med[key]
    if any((v, p) not in row for p in pads for v in ('on', 'off')):
        continue
    m = {vp: statistics.median(b) for vp, b in row.items()}
    ratios = [m[('on', p)] / m[('off', p)] for p in pads]
    pr = [paired(row[('on', p)], row[('off', p)]) for p in pads]
    spread = [m[('off', p)] / m[('off', pads[0])] for p in pads[1:]]
    r = statistics.median(ratios)
    cells = ''.join(f"{m[('on', p)]:>7.0f}/{m[('off', p)]:<7.0f}".rjust(16) for p in pads)
    print(f"{key[0]:<22}{key[1]:>6}{children_cell(key):>9}  {cells}  "
          + ' '.join(f'{x:.2f}' for x in ratios).ljust(6 * len(pads))
          + f"  {r:>6.2f}  " + ' '.join(f'{x:.2f}' for x in pr).ljust(6 * len(pads))
          + "  " + ' '.join(f'{x:.2f}' for x in spread))
    out.append(f'ratio {case_name(key)}:placements {r:.2f}')
print('\n'.join(out))
EOF
