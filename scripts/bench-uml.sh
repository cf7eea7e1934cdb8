#!/usr/bin/env bash
# mremap() and mmap() timings, and the VMAs that a few workloads leave,
# with and without the series: build two UML
# kernels from bench/kunitconfig (no debugging options), one with
# CONFIG_ANON_SPACE=y and one without, run the mremap_bench suite on each
# (directly, as 'make kunit' does), and print its figures side by side; the
# same as JSON in build/bench-uml.json (or --json FILE).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} [--json FILE] [--rounds N]   (N timed rounds per case, default 201)"; }
json=$BUILD/bench-uml.json
rounds=201
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--json) json=${2:?--json needs a file}; shift 2 ;;
	--rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
done
case "$rounds" in ''|*[!0-9]*|0) die "--rounds wants a positive number, not '$rounds'" ;; esac
need_tree
bench_config=$PROJECT/bench/kunitconfig
grep -q '^config MREMAP_KUNIT_BENCH' "$TREE/mm/Kconfig" ||
	die "$TREE lacks the mremap_bench suite (patches/*mremap_bench*); run 'make prepare'"
[ -e "$TREE/mm/tests/mremap_bench_kunit.c" ] ||
	die "$TREE/mm/tests/mremap_bench_kunit.c is missing; run 'make prepare'"

# build VARIANT: the bench kernel with CONFIG_ANON_SPACE on or off.
build() {
	local dir=$TREE/.kunit-bench-$1 add=()
	[ "$1" = on ] && add=(--kconfig_add CONFIG_ANON_SPACE=y)
	uml_kbuild "$TREE" "$dir" "$bench_config" "$BUILD/bench-$1-build.log" "${add[@]}"
	if [ "$1" = on ]; then
		grep -qx 'CONFIG_ANON_SPACE=y' "$dir/.config"
	else
		! grep -qx 'CONFIG_ANON_SPACE=y' "$dir/.config"
	fi || die "$dir/.config has the wrong CONFIG_ANON_SPACE; delete $dir and rerun"
}

# run VARIANT: the suite's "bench:" lines, or die with the log's name.
run() {
	local log=$BUILD/bench-$1.log
	"$TREE/.kunit-bench-$1/linux" kunit.filter_glob=mremap_bench kunit.enable=1 \
		mem=1G console=tty kunit_shutdown=halt \
		"mremap_bench_kunit.bench_rounds=$rounds" </dev/null >"$log" 2>&1 || true
	grep -q '^# mremap_bench: pass:[1-9]' "$log" && ! grep -q 'not ok' "$log" ||
		die "mremap_bench failed on the $1 kernel (log: $log)"
	grep -o -e 'bench: [a-z_]* pages=.*' -e 'vmas: [a-z_]* count=.*' "$log"
}

for v in on off; do
	log "building the CONFIG_ANON_SPACE=$v bench kernel"
	build "$v"
done
echo "date: $(date '+%Y-%m-%d %H:%M:%S %Z'); host: $(uname -srm); tree: $(git -C "$TREE" describe --always --tags 2>/dev/null || echo unknown); rounds: $rounds"
on=$(run on)
off=$(run off)
ON="$on" OFF="$off" JSON="$json" python3 - <<'EOF'
import json, os, re

def parse(text):
    rows, vmas = {}, {}
    for line in text.splitlines():
        f = dict(re.findall(r'(\w+)=(\S+)', line))
        op = line.split()[1]
        if line.startswith('vmas:'):
            vmas[op] = int(f['count'])
        else:
            rows[(op, int(f['pages']))] = (int(f['median_ns']), int(f['min_ns']))
    return rows, vmas

(on, von), (off, voff) = parse(os.environ['ON']), parse(os.environ['OFF'])
print('UML kernels from bench/kunitconfig; median (min) ns per call')
print(f"{'operation':<14}{'pages':>6}  {'ANON_SPACE=y':>20}  {'ANON_SPACE=n':>20}  {'median ratio':>12}")
out = []
for key in sorted(on, key=lambda k: (k[0] != 'mremap_move', k[1])):
    (m1, n1), (m0, n0) = on[key], off[key]
    ratio = m1 / m0 if m0 else float('nan')
    print(f"{key[0]:<14}{key[1]:>6}  {m1:>10} ({n1:>7})  {m0:>10} ({n0:>7})  {ratio:>12.2f}")
    out.append({'op': key[0], 'pages': key[1], 'on_median_ns': m1, 'on_min_ns': n1,
                'off_median_ns': m0, 'off_min_ns': n0})
print()
print('VMAs left by the same workload (mremap_bench vmas_* cases)')
print(f"{'workload':<22}{'ANON_SPACE=y':>14}{'ANON_SPACE=n':>14}")
for w in sorted(von):
    print(f"{w:<22}{von[w]:>14}{voff.get(w, -1):>14}")
    out.append({'workload': w, 'on_vmas': von[w], 'off_vmas': voff.get(w)})
with open(os.environ['JSON'], 'w') as f:
    json.dump(out, f, indent=1)
EOF
echo "bench-uml: figures also in $json"
