#!/usr/bin/env python3
"""bench-uml.sh's report: the mremap_bench suite's figures of the two bench
kernels side by side (timings, reverse-map walks, VMA counts), swapbench's,
then one "ratio OPERATION VALUE" line per compared operation; the figures
also as JSON.

usage: bench-uml-report.py ON OFF SWAP_ON SWAP_OFF JSON
  ON, OFF            the suite's "bench:" and "vmas:" lines of every boot of
                     the ANON_SPACE=y and =n kernel (bench_suite_boot's output)
  SWAP_ON, SWAP_OFF  swapbench's "swapbench:" lines of each kernel (may be empty)
  JSON               where the figures go
"""
import json, statistics, sys

from bench_lines import case_name, children_cell, fields, paired, ratio, timing_key

def summary(boots):
    """median of the boots' medians, min of their mins, range of the medians"""
    meds = [b[0] for b in boots]
    return (statistics.median(meds), min(b[1] for b in boots), min(meds), max(meds), meds)

def parse(text):
    rows, walks, vmas = {}, {}, {}
    for line in text.splitlines():
        if not line.strip():
            continue
        f = fields(line)
        op = line.split()[1]
        if line.startswith('vmas:'):
            vmas[op] = int(f['count'])
        elif 'visited' in f:
            walks.setdefault((op, int(f['children'])), []).append(
                (int(f['median_ns']), int(f['min_ns']), int(f['visited']), int(f['mapped'])))
        else:
            # Timings of a family (munmap_children, stack_children) name
            # their children too: a row each.
            rows.setdefault(timing_key(op, f), []).append(
                (int(f['median_ns']), int(f['min_ns'])))
    return rows, walks, vmas

def parse_swap(text):
    runs = {}
    for line in text.splitlines():
        f = fields(line)
        if line.startswith('swapbench:') and f:
            runs.setdefault(line.split()[1], []).append(f)
    return runs

if len(sys.argv) != 6:
    sys.exit(__doc__.split('\n\n', 1)[1].rstrip())
def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        sys.exit(f"bench-uml-report: cannot read {path}: {e.strerror}")
(on, won, von), (off, woff, voff) = parse(read(sys.argv[1])), parse(read(sys.argv[2]))
son, soff = parse_swap(read(sys.argv[3])), parse_swap(read(sys.argv[4]))
if not on or set(on) != set(off):
    sys.exit(f"bench-uml-report: the two kernels' timings differ in cases (on: {len(on)}, off: {len(off)}): "
             f"{sorted(set(on) ^ set(off))[:5]}")
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
    pr = paired(b1, b0)
    name = case_name(key)
    print(f"{key[0]:<22}{key[1]:>6}{children_cell(key):>9}  {m1:>7.0f} [{lo1:.0f}-{hi1:.0f}]".ljust(51)
          + f"  {m0:>7.0f} [{lo0:.0f}-{hi0:.0f}]".ljust(22) + f"  {r:>12.2f}"
          + f"  {ratio(lo1, lo0):>15.2f}  {pr:>6.2f}")
    ratios.append((name, r))
    ratios.append((f"{name}:best_boot", ratio(lo1, lo0)))
    ratios.append((f"{name}:paired", pr))
    out.append({'op': key[0], 'pages': key[1], 'children': key[2] if key[2] >= 0 else None,
                'on_median_ns': m1, 'on_min_ns': n1,
                'best_boot_ratio': ratio(lo1, lo0), 'paired_ratio': pr,
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
with open(sys.argv[5], 'w') as f:
    json.dump(out, f, indent=1)
