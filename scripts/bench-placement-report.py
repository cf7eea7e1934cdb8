#!/usr/bin/env python3
"""bench-placement.sh's report: per mremap_bench timing, the series' cost
over code placements, then two lines each, "ratio
OP:pages=N[:children=N]:placements VALUE" and "ratio ...:placements:paired
VALUE" (as bench-uml-report.py prints a ratio and its ":paired" one).

usage: bench-placement-report.py LINES PAD PAD...
  LINES  the boots' figure lines, each "on-pPAD bench: ..." or
         "off-pPAD bench: ..." (bench_interleave's file: boot i of every
         kernel ran next to boot i of the others)
  PAD    the placements (CONFIG_BENCH_TEXT_PAD, 64-byte lines), two or
         more; the first is the one the off kernels' spread is taken over

Per placement two ratios of the ANON_SPACE=y kernel over the =n one:
  - of the medians of the boots' medians;
  - paired: the median of each round's on/off ratio (two boots run next
    to each other), which a machine that changes speed between boots
    leaves alone: where the change falls between the two kernels' middle
    boots, the ratio of the medians compares a slow kernel's boots with
    the other's fast ones (results.md).
The ":placements" line's VALUE is the median over the placements of the
ratios of the medians, the ":placements:paired" line's the median of the
paired ratios.
"""
import statistics
import sys

from bench_lines import case_name, children_cell, fields, paired, timing_key


def read(path, pads):
    """{timing key: {(variant, pad): [boot medians]}}"""
    med = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or parts[1] != 'bench:':
                continue
            variant, sep, pad = parts[0].partition('-p')
            if variant not in ('on', 'off') or not sep or pad not in pads:
                sys.exit(f'bench-placement-report: {path}: "{parts[0]}" is not on-pPAD or off-pPAD of pads {" ".join(pads)}')
            f_ = fields(line)
            key = timing_key(parts[2], f_)
            med.setdefault(key, {}).setdefault((variant, pad), []).append(int(f_['median_ns']))
    return med


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    path, pads = argv[0], argv[1:]
    if len(set(pads)) != len(pads):
        sys.exit('bench-placement-report: a pad given twice')
    med = read(path, pads)
    if not med:
        sys.exit(f'bench-placement-report: {path} has no "bench:" lines')
    print("ns per call, median of the boots' medians, per placement (pad in 64-byte lines);")
    print("ratio: ANON_SPACE=y over =n at the same pad, and their median; paired: the")
    print("median of each round's on/off ratio (two boots next to each other) per pad, and")
    print(f"their median; off spread: each pad's =n over pad {pads[0]}'s")
    w = 6 * len(pads)
    print(f"{'case':<22}{'pages':>6}{'children':>9}  " + ''.join(f"{'on/off p' + p:>16}" for p in pads)
          + f"  {'ratio per pad':<{w}}  {'median':>6}  {'paired':<{w}}  {'median':>6}  off spread")
    out, partial = [], []
    for key in sorted(med):
        row = med[key]
        if any((v, p) not in row for p in pads for v in ('on', 'off')):
            partial.append(case_name(key))
            continue
        m = {vp: statistics.median(b) for vp, b in row.items()}
        ratios = [m[('on', p)] / m[('off', p)] for p in pads]
        pr = [paired(row[('on', p)], row[('off', p)]) for p in pads]
        spread = [m[('off', p)] / m[('off', pads[0])] for p in pads[1:]]
        cells = ''.join(f"{m[('on', p)]:>7.0f}/{m[('off', p)]:<7.0f}".rjust(16) for p in pads)
        print(f"{key[0]:<22}{key[1]:>6}{children_cell(key):>9}  {cells}  "
              + ' '.join(f'{x:.2f}' for x in ratios).ljust(w)
              + f"  {statistics.median(ratios):>6.2f}  " + ' '.join(f'{x:.2f}' for x in pr).ljust(w)
              + f"  {statistics.median(pr):>6.2f}  " + ' '.join(f'{x:.2f}' for x in spread))
        out.append(f'ratio {case_name(key)}:placements {statistics.median(ratios):.2f}')
        out.append(f'ratio {case_name(key)}:placements:paired {statistics.median(pr):.2f}')
    if partial:
        print(f'(not on every kernel, left out: {", ".join(partial)})')
    print('\n'.join(out))


if __name__ == '__main__':
    main(sys.argv[1:])
