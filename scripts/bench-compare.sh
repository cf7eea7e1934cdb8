#!/usr/bin/env bash
# Time the same mremap_bench cases on several UML kernels side by side:
# the kernels a change is judged by (the bench kernel before and after a
# patch, an experiment, mainline's), booted in turn --boots times each,
# interleaved (a, b, c, then b, c, a, ...: bench_order) and pinned to one host CPU, as
# scripts/bench-uml.sh boots its two. Each NAME=KERNEL is a UML binary
# with the suite built in (CONFIG_MREMAP_KUNIT_BENCH, e.g. a copy of
# build/linux/.kunit-bench-on/linux kept before rebuilding it); the last
# is the reference. Prints per case the median of the boots' medians with
# the range of the boot medians, and each kernel's ratio to the reference:
# of the medians, of the lowest boot medians (best-boot), and paired:
# the median over the rounds of each round's ratio, whose two boots run
# next to each other (boots fall into modes up to two-fold apart, which
# the first two mix; results.md). Builds nothing.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--glob GLOB] [--boots N] [--rounds N] [--cpu N|none] [--param NAME=VALUE]... NAME=KERNEL NAME=KERNEL..."
	echo "  --glob GLOB  mremap_bench cases (kunit.filter_glob; default $BENCH_TIMING_GLOB:"
	echo "               every timing case but the reverse-map walks)"
	echo "  --boots N    boots per kernel, interleaved (default 11)"
	echo "  --rounds N   timed rounds per case (default 201)"
	echo "  --cpu N|none host CPU every boot runs on (default 1)"
	echo "  --param NAME=VALUE  a module parameter of the suite for every boot"
	echo "               (mremap_bench_kunit.NAME, e.g. stack_pages=36); repeatable"
	echo "  e.g. ${0##*/} before=build/kernels/before after=build/linux/.kunit-bench-on/linux off=build/linux/.kunit-bench-off/linux"
}
glob=$BENCH_TIMING_GLOB
boots=11
rounds=201
cpu=1
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--glob) glob=${2:?--glob needs a pattern}; shift 2 ;;
	--boots) positive_arg --boots "${2:-}"; boots=$2; shift 2 ;;
	--rounds) positive_arg --rounds "${2:-}"; rounds=$2; shift 2 ;;
	--cpu) bench_cpu_arg --cpu "${2:-}"; cpu=$2; shift 2 ;;
	--param)
		[[ ${2:-} =~ ^[a-z_]+=[0-9A-Za-z_]+$ ]] ||
			die "--param '${2:-}' is not NAME=VALUE (a parameter of mremap_bench_kunit)"
		BENCH_PARAMS+=("$2"); shift 2 ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || { usage >&2; die "give at least two NAME=KERNEL"; }
case "$glob" in mremap_bench*) ;; *) die "--glob '$glob' is not a mremap_bench case pattern" ;; esac
names=()
for arg in "$@"; do
	[[ $arg == ?*=?* ]] || { usage >&2; die "'$arg' is not NAME=KERNEL"; }
	name=${arg%%=*} kernel=${arg#*=}
	[[ $name =~ ^[A-Za-z0-9_.-]+$ ]] || die "name '$name': letters, digits, '_', '.', '-' only"
	[ -x "$kernel" ] || die "$name: no executable UML kernel at $kernel"
	for n in "${names[@]}"; do [ "$n" != "$name" ] || die "name '$name' given twice"; done
	names+=("$name")
done
mkdir -p "$BUILD"
echo "date: $(date '+%Y-%m-%d %H:%M:%S %Z'); cases: $glob; boots: $boots per kernel, interleaved, on CPU $cpu; rounds: $rounds${BENCH_PARAMS[*]:+; parameters: ${BENCH_PARAMS[*]}}"
lines=$BUILD/bench-compare.lines
bench_interleave "$lines" "$boots" "$cpu" "$glob" "$rounds" "$BUILD/bench-compare" "$@"
NAMES="${names[*]}" LINES="$lines" PYTHONPATH="$PROJECT/scripts" python3 - <<'EOF'
import os, statistics

from bench_lines import children_cell, fields, paired, timing_key

names = os.environ['NAMES'].split()
boots = {}
for line in open(os.environ['LINES']).read().splitlines():
    parts = line.split()
    if len(parts) < 3 or parts[1] != 'bench:':
        continue
    f = fields(line)
    boots.setdefault(timing_key(parts[2], f), {}).setdefault(parts[0], []).append(int(f['median_ns']))
ref = names[-1]
head = f"{'case':<22}{'pages':>6}{'children':>9}" + ''.join(f'{n:>22}' for n in names)
print("ns per call: median of the boots' medians [lowest-highest boot median]")
print("ratio to " + ref + ": of the medians / of the lowest boot medians / paired (the median")
print("  of each round's ratio, the two boots next to each other: robust to a machine whose")
print("  boots fall into modes of different speed, results.md)")
print(head + '   ratio: ' + ', '.join(names[:-1]))
for key in sorted(boots):
    row = boots[key]
    if any(n not in row for n in names):
        continue
    cells = ''.join(f"{statistics.median(row[n]):>8.0f} [{min(row[n])}-{max(row[n])}]".rjust(22)
                    for n in names)
    rm, rb = statistics.median(row[ref]), min(row[ref])
    ratios = ', '.join(f'{statistics.median(row[n]) / rm:.2f} / {min(row[n]) / rb:.2f} / '
                       f'{paired(row[n], row[ref]):.2f}'
                       for n in names[:-1])
    print(f'{key[0]:<22}{key[1]:>6}{children_cell(key):>9}{cells}   {ratios}')
EOF
