#!/usr/bin/env bash
# make bench's pipeline as a test, on the patched debug kernel (uml-config
# builds the mremap_bench suite in): every mremap_bench case booted twice
# with a few short rounds through bench_suite_boot (every case must pass
# and the kernel must not warn); bench-uml-report.py on the two boots as
# if they were make bench's two kernels (every case must come out as its
# ratio lines); bench-placement-report.py on the two boots as two
# placements (two ratio lines a timing); bench-compare.sh of the kernel
# against itself (a row per timing). A debug kernel's timings mean
# nothing: this checks that make bench's suite and reports work, not what
# they measure, so that a new case or a changed line does not first fail
# in a 30-minute make bench.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (builds $UML_BUILD/linux incrementally; output in $BUILD/bench-check/)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
"$PROJECT/scripts/build.sh"
grep -qx 'CONFIG_MREMAP_KUNIT_BENCH=y' "$UML_BUILD/.config" ||
	die "$UML_BUILD/.config lacks CONFIG_MREMAP_KUNIT_BENCH=y; add it to uml-config (FULL=1 make build)"
dir=$BUILD/bench-check
rm -rf "$dir"
mkdir -p "$dir"
# A few short rounds, no warm-up: the cases' work, not their timing.
BENCH_PARAMS=(bench_batch=4 bench_warm=0)
rounds=3
for b in 1 2; do
	log "boot $b of 2: every mremap_bench case, $rounds rounds"
	bench_suite_boot "$UML_BUILD/linux" "$dir/boot$b.log" none mremap_bench "$rounds" \
		>"$dir/figures$b"
	die_on_kernel_trouble "$dir/boot$b.log" 'KTAP version'
done
: >"$dir/none"
python3 "$PROJECT/scripts/bench-uml-report.py" "$dir/figures1" "$dir/figures2" \
	"$dir/none" "$dir/none" "$dir/report.json" >"$dir/report" ||
	die "bench-uml-report.py failed on the suite's figures ($dir/figures1, $dir/figures2)"
# Every case the suite printed comes out as ratio lines.
awk '{ print $1, $2 }' "$dir/figures1" | sort -u >"$dir/cases"
missing=0
while read -r kind op; do
	case "$kind" in
	vmas:) pat="^ratio vmas:$op " ;;
	*) pat="^ratio $op:" ;;
	esac
	grep -q "$pat" "$dir/report" || { echo "no ratio line for $kind $op in $dir/report" >&2; missing=1; }
done <"$dir/cases"
[ "$missing" = 0 ] || die "bench-uml-report.py left cases out"
echo "bench-uml-report.py: $(grep -c '^ratio ' "$dir/report") ratio lines for $(wc -l <"$dir/cases") cases"
# bench-placement-report.py on the two boots as the on and off kernels of
# two placements (each boot once on, once off): both ratio lines for
# every timing.
{
	sed 's/^/on-p0 /' "$dir/figures1"
	sed 's/^/off-p0 /' "$dir/figures2"
	sed 's/^/on-p7 /' "$dir/figures2"
	sed 's/^/off-p7 /' "$dir/figures1"
} >"$dir/placement.lines"
PYTHONPATH="$PROJECT/scripts" python3 "$PROJECT/scripts/bench-placement-report.py" \
	"$dir/placement.lines" 0 7 >"$dir/placement" ||
	die "bench-placement-report.py failed on the suite's figures ($dir/placement.lines)"
timings=$(sed -n 's/^bench: \([a-z_]* pages=[0-9]*\)\( children=[0-9]*\)\?.*/\1\2/p' "$dir/figures1" | sort -u | wc -l)
for kind in placements placements:paired; do
	n=$(grep -cE "^ratio [a-z_]+:pages=[0-9]+(:children=[0-9]+)?:$kind [0-9.]+$" "$dir/placement" || true)
	[ "$timings" -gt 0 ] && [ "$n" = "$timings" ] ||
		die "bench-placement-report.py printed $n ':$kind' ratio lines for $timings timings (output: $dir/placement)"
done
echo "bench-placement-report.py: two ratio lines for each of $timings timings"
# bench-compare of the kernel against itself, one boot each: a row per
# timing case of its default glob.
"$PROJECT/scripts/bench-compare.sh" --boots 1 --rounds "$rounds" --cpu none \
	--param bench_batch=4 --param bench_warm=0 \
	bench_check1="$UML_BUILD/linux" bench_check2="$UML_BUILD/linux" \
	>"$dir/compare" || die "bench-compare.sh failed (output: $dir/compare)"
cases=$(grep -o 'bench: [a-z_]* pages=' "$BUILD/bench-compare-bench_check1.log" | wc -l)
rows=$(grep -cE '^[a-z_]+ +[0-9]+ .* / .* / ' "$dir/compare" || true)
[ "$cases" -gt 0 ] && [ "$rows" = "$cases" ] ||
	die "bench-compare.sh printed $rows rows for $cases timings (output: $dir/compare)"
echo "bench-compare.sh: $rows rows for $cases timings"
