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
#    ubd0), 3 runs per kernel interleaved (on, off, on, off, ...): MB/s of
#    filling, COW, MADV_PAGEOUT and reading back (swap-in), medians;
#  - uml/forktree booted as init on each (scripts/bench-forktree.sh:
#    mem=1G slab_nomerge, 3 runs per kernel interleaved): a fork tree of
#    10, 100 and 1000 children (and 100 x 9 grandchildren), server
#    workers and a realloc-heavy heap: fork and exit times, rmap metadata
#    bytes in slab, VMAs; its own table and ratio lines after this one's;
#  - will-it-scale-style loops (uml/loops: mmap1, brk1, page_fault1/2,
#    fork, mremap move and grow) and stress-ng's mmap, mremap, brk, fork
#    and vm stressors as programs on each (scripts/bench-loops.sh: 5 and
#    3 boots per kernel interleaved, pinned to one CPU, under the build
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
	echo "  --forktree-runs N  forktree boots per kernel, interleaved (default 3; 0: none)"
	echo "  --cpu N|none   host CPU every boot runs on (taskset; default 1; none: unpinned)"
	echo "  --loops-runs N     uml/loops boots per kernel, interleaved (default 5; 0: none)"
	echo "  --stress-runs N    stress-ng boots per kernel, interleaved (default 3; 0: none)"
}
json=$BUILD/bench-uml.json
rounds=201
boots=21
swap_runs=3
swap_mb=64
forktree_runs=3
cpu=1
loops_runs=5
stress_runs=3
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

# run VARIANT: the suite's "bench:" lines, or die with the log's name.
run() {
	bench_suite_boot "$(bench_kdir "$1")/linux" "$BUILD/bench-$1.log" \
		"$cpu" mremap_bench "$rounds"
}

# swap VARIANT N: boot uml/swapbench on the VARIANT kernel (run N), with a
# fresh swap file of twice the mapping; its "swapbench:" lines, or die.
swap() {
	local log=$BUILD/bench-swap-$1-$2.log img=$BUILD/bench-swap.img
	bench_pin "$cpu"
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
# times, interleaved, and the medians of the boots' medians compared.
on= off=
for ((i = 1; i <= boots; i++)); do
	on+=$(run on)$'\n'
	off+=$(run off)$'\n'
done
swap_on= swap_off=
for ((i = 1; i <= swap_runs; i++)); do
	log "swapbench run $i of $swap_runs on each kernel"
	swap_on+=$(swap on "$i")$'\n'
	swap_off+=$(swap off "$i")$'\n'
done
ON="$on" OFF="$off" SWAP_ON="$swap_on" SWAP_OFF="$swap_off" JSON="$json" python3 - <<'EOF'
import json, os, re, statistics

def summary(boots):
    """median of the boots' medians, min of their mins, range of the medians"""
    meds = [b[0] for b in boots]
    return (statistics.median(meds), min(b[1] for b in boots), min(meds), max(meds), meds)

def parse(text):
    rows, walks, vmas = {}, {}, {}
    for line in text.splitlines():
        if not line.strip():
            continue
        f = dict(re.findall(r'(\w+)=(\S+)', line))
        op = line.split()[1]
        if line.startswith('vmas:'):
            vmas[op] = int(f['count'])
        elif 'visited' in f:
            walks.setdefault((op, int(f['children'])), []).append(
                (int(f['median_ns']), int(f['min_ns']), int(f['visited']), int(f['mapped'])))
        else:
            # Timings of a family (munmap_children, stack_children) name
            # their children too: a row each.
            rows.setdefault((op, int(f['pages']), int(f.get('children', 0))), []).append(
                (int(f['median_ns']), int(f['min_ns'])))
    return rows, walks, vmas

def parse_swap(text):
    runs = {}
    for line in text.splitlines():
        f = dict(re.findall(r'(\w+)=(\S+)', line))
        if line.startswith('swapbench:') and f:
            runs.setdefault(line.split()[1], []).append(f)
    return runs

def ratio(a, b):
    return a / b if b else 1.0 if a == b else float('nan')

(on, won, von), (off, woff, voff) = parse(os.environ['ON']), parse(os.environ['OFF'])
son, soff = parse_swap(os.environ['SWAP_ON']), parse_swap(os.environ['SWAP_OFF'])
ratios, out = [], []
nboots = len(next(iter(on.values())))
print(f'UML kernels from bench/kunitconfig, {nboots} boots each, interleaved: ns per call,')
print("median of the boots' medians [lowest-highest boot median]; best-boot ratio: lowest")
print("boot median over lowest (a boot runs in one of two modes, ~1.8x apart, either kernel);")
print("paired: the median of each round's ratio, the two boots next to each other")
print(f"{'operation':<22}{'pages':>6}{'children':>9}  {'ANON_SPACE=y':>20}  {'ANON_SPACE=n':>20}  {'median ratio':>12}  {'best-boot ratio':>15}  {'paired':>6}")
# each operation's rows together, mremap first, an operation's forked-family rows after it
order = ['mremap_move', 'mremap_move_forked', 'mmap_munmap', 'mmap_munmap_forked',
         'mmap_munmap_child', 'mmap_munmap_realloced', 'page_fault', 'brk', 'brk_forked',
         'brk_grow', 'brk_grow_forked', 'brk_shrink', 'brk_shrink_forked',
         'fork', 'fork_exit', 'munmap_children', 'stack_children']
for key in sorted(on, key=lambda k: (order.index(k[0]) if k[0] in order else len(order),
                                     k[0], k[1], k[2])):
    m1, n1, lo1, hi1, b1 = summary(on[key])
    m0, n0, lo0, hi0, b0 = summary(off[key])
    r = ratio(m1, m0)
    paired = statistics.median(ratio(a, b) for a, b in zip(b1, b0))
    name = f"{key[0]}:pages={key[1]}" + (f":children={key[2]}" if key[2] else "")
    print(f"{key[0]:<22}{key[1]:>6}{key[2] or '':>9}  {m1:>7.0f} [{lo1:.0f}-{hi1:.0f}]".ljust(51)
          + f"  {m0:>7.0f} [{lo0:.0f}-{hi0:.0f}]".ljust(22) + f"  {r:>12.2f}"
          + f"  {ratio(lo1, lo0):>15.2f}  {paired:>6.2f}")
    ratios.append((name, r))
    ratios.append((f"{name}:best_boot", ratio(lo1, lo0)))
    ratios.append((f"{name}:paired", paired))
    out.append({'op': key[0], 'pages': key[1], 'children': key[2],
                'on_median_ns': m1, 'on_min_ns': n1,
                'best_boot_ratio': ratio(lo1, lo0), 'paired_ratio': paired,
                'on_boot_medians': b1, 'off_median_ns': m0, 'off_min_ns': n0,
                'off_boot_medians': b0})
if won:
    print()
    print('Reverse map walks of the same folios (mremap_bench bench_rmap_*): a parent of 256')
    print('faulted pages, N dup_mm() children, every second child COWs every fourth page.')
    print('*_parent: parent folios no child copied; *_cow: folios child 0 copied.')
    print('referenced: folio_referenced(); walk: rmap_walk() counting VMAs visited and mapping.')
    print("ns per call, median of the boots' medians (lowest min); visited/mapped per walk")
    print(f"{'operation':<19}{'N':>4}  {'ANON_SPACE_RMAP=y':>19}  {'ANON_SPACE=n':>19}  {'ratio':>6}"
          f"  {'visited/mapped y':>16}  {'visited/mapped n':>16}")
    for key in sorted(won, key=lambda k: (k[0].endswith('cow'), k[0], k[1])):
        m1, n1, _, _, _ = summary(won[key])
        m0, n0, _, _, _ = summary(woff[key])
        v1, p1 = won[key][0][2:]
        v0, p0 = woff[key][0][2:]
        r = ratio(m1, m0)
        print(f"{key[0]:<19}{key[1]:>4}  {m1:>9.0f} ({n1:>7})  {m0:>9.0f} ({n0:>7})  {r:>6.2f}"
              f"  {f'{v1}/{p1}':>16}  {f'{v0}/{p0}':>16}")
        ratios.append((f"{key[0]}:children={key[1]}", r))
        out.append({'op': key[0], 'children': key[1], 'on_median_ns': m1, 'on_min_ns': n1,
                    'on_visited': v1, 'on_mapped': p1, 'off_median_ns': m0,
                    'off_min_ns': n0, 'off_visited': v0, 'off_mapped': p0})
if son:
    med = lambda runs, k: statistics.median(float(f[k]) for f in runs)
    nruns = len(son['fill'])
    print()
    print(f"uml/swapbench, mem=128M, swap on ubd0; median of {nruns} runs per kernel,"
          " interleaved; MB/s (ms); pswpout/pswpin: pages, medians")
    print(f"{'phase':<9}{'MB':>5}  {'ANON_SPACE_RMAP=y':>17}  {'ANON_SPACE=n':>17}  {'ms ratio':>8}"
          f"  {'out/in y':>13}  {'out/in n':>13}")
    for ph in ('fill', 'cow', 'pageout', 'readback'):
        if ph not in son or ph not in soff:
            continue
        a, b = son[ph], soff[ph]
        t1, t0 = med(a, 'ms'), med(b, 'ms')
        r = ratio(t1, t0)
        io1 = f"{med(a, 'pswpout'):.0f}/{med(a, 'pswpin'):.0f}"
        io0 = f"{med(b, 'pswpout'):.0f}/{med(b, 'pswpin'):.0f}"
        print(f"{ph:<9}{a[0]['mb']:>5}  {med(a, 'mbps'):>7.1f} ({t1:>7.0f})  {med(b, 'mbps'):>7.1f} ({t0:>7.0f})"
              f"  {r:>8.2f}  {io1:>13}  {io0:>13}")
        ratios.append((f"swap_{ph}_ms", r))
        out.append({'swap_phase': ph, 'mb': int(a[0]['mb']),
                    'on_ms': [float(f['ms']) for f in a], 'off_ms': [float(f['ms']) for f in b],
                    'on_mbps': [float(f['mbps']) for f in a], 'off_mbps': [float(f['mbps']) for f in b],
                    'on_pswpout': [int(f['pswpout']) for f in a], 'off_pswpout': [int(f['pswpout']) for f in b],
                    'on_pswpin': [int(f['pswpin']) for f in a], 'off_pswpin': [int(f['pswpin']) for f in b]})
print()
print('VMAs left by the same workload (mremap_bench vmas_* cases)')
print(f"{'workload':<22}{'ANON_SPACE=y':>14}{'ANON_SPACE=n':>14}")
for w in sorted(von):
    print(f"{w:<22}{von[w]:>14}{voff.get(w, -1):>14}")
    ratios.append((f"vmas:{w}", ratio(von[w], voff.get(w, 0))))
    out.append({'workload': w, 'on_vmas': von[w], 'off_vmas': voff.get(w)})
print()
for name, r in ratios:
    print(f"ratio {name} {r:.2f}")
with open(os.environ['JSON'], 'w') as f:
    json.dump(out, f, indent=1)
EOF
echo "bench-uml: figures also in $json"
if [ "$forktree_runs" -gt 0 ]; then
	echo
	"$PROJECT/scripts/bench-forktree.sh" --runs "$forktree_runs" --cpu "$cpu"
fi
if [ "$loops_runs" -gt 0 ] || [ "$stress_runs" -gt 0 ]; then
	echo
	"$PROJECT/scripts/bench-loops.sh" --runs "$loops_runs" --stress-runs "$stress_runs" --cpu "$cpu"
fi
