#!/usr/bin/env bash
# Allocator benchmarks: build bench/ (mm/anon_index.c and lib/maple_tree.c
# from the prepared tree with host/'s shims, -O2, no sanitizers) into
# build/bench and run it once: a table on stdout, the same figures as JSON in
# build/bench.json (or --json FILE). Arguments after the options go to the
# program (reps=N warmup=N batch=N churn_ops=N seed=N seeds=N).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} [--json FILE] [BENCH_ARG...]   e.g. seed=7 churn_ops=400000"; }
json=$BUILD/bench.json
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--json) json=${2:?--json needs a file}; shift 2 ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) break ;;
	esac
done
need_tree
[ -f "$TREE/mm/anon_index.c" ] ||
	die "$TREE has no mm/anon_index.c (patch 0003 missing); run 'make prepare'"
command -v "${CC:-cc}" >/dev/null || die "no C compiler (${CC:-cc}); run 'make deps'"
echo '#include <urcu.h>' | "${CC:-cc}" -E -x c - >/dev/null 2>&1 ||
	die "liburcu's headers are missing (liburcu-dev); run 'make deps'"
out=$BUILD/bench
blog=$BUILD/bench-build.log
make -C "$PROJECT/bench" KDIR="$TREE" O="$out" >"$blog" 2>&1 || {
	tail -20 "$blog" >&2
	die "the bench build failed (make -C bench KDIR=$TREE O=$out; log: $blog)"
}
echo "date: $(date '+%Y-%m-%d %H:%M:%S %Z'); host: $(uname -srm); tree: $(git -C "$TREE" describe --always --tags 2>/dev/null || echo unknown)"
start=$SECONDS
"$out/anon_index_bench" "json=$(realpath -m "$json")" "$@" ||
	die "the benchmark failed (exit $?); rerun $out/anon_index_bench $* to see why"
echo "bench: done in $((SECONDS - start)) s"
