#!/usr/bin/env python3
"""bench-instr.sh's report: per mremap_bench case, what one timed call
executes on the ANON_SPACE=y and =n kernels under cachegrind, then one
"instr CASE RATIO" line per case (instructions per call, on over off).

usage: bench-instr-report.py [--functions N] DIR A B CASE...
  DIR   the runs: {on,off}.CASE.{A,B}.cg (cachegrind's counts) and .log
        (the kernel's console, with the suite's "bench:" lines)
  A, B  the two runs' timed rounds
  CASE  bench_mmap_munmap, ...: the case's timings are its "bench: OP"
        lines whose OP is CASE without "bench_" (bench_fork's fork lines:
        a fork and its exit; bench_brk's brk lines: a grow+shrink pair, and
        one growth and one shrink of the case's second part, which its
        count per call includes)

Cachegrind's output format is read directly (its "events:", "fn=" and
count lines): cg_annotate prints per-function totals of one run for
reading, not the difference of two runs of two kernels, which is what
the figures are.
"""
import collections, sys

from bench_lines import fields

# Columns: (title, events summed)
COLUMNS = (('instr', ('Ir',)),
           ('I1 miss', ('I1mr',)),
           ('D1 miss', ('D1mr', 'D1mw')))
# Not the last level's misses: in a guest, cachegrind may take a shared
# last-level cache for a direct-mapped one (a KVM guest here: 32 MiB,
# direct-mapped), whose conflicts then mean nothing.


def load(path):
    """(events, {function: [count per event]}, cache descriptions)"""
    events, per_fn, desc, fn = None, collections.defaultdict(list), [], None
    with open(path) as f:
        for line in f:
            if line.startswith('events:'):
                events = line.split()[1:]
            elif line.startswith('desc:'):
                desc.append(line[5:].strip())
            elif line.startswith('fn='):
                fn = line[3:].strip()
            elif line[:1].isdigit() and fn is not None:
                counts = [int(x) for x in line.split()[1:]]
                acc = per_fn[fn]
                if len(acc) < len(counts):
                    acc.extend([0] * (len(counts) - len(acc)))
                for i, x in enumerate(counts):
                    acc[i] += x
    if not events:
        sys.exit(f'bench-instr-report: {path} has no "events:" line (not cachegrind output)')
    return events, per_fn, desc


def calls(path, op):
    """calls a run timed: rounds x batch of its "bench: OP" lines"""
    n = 0
    with open(path, errors='replace') as f:
        for line in f:
            i = line.find('bench: ')
            if i < 0 or line[i:].split()[1] != op:
                continue
            fl = fields(line[i:])
            n += int(fl['rounds']) * int(fl['batch'])
    return n


def per_call(d, case, kernel, a, b):
    """{function: [count per event per call]} of the difference b - a, and the calls"""
    ev_a, fa, desc = load(f'{d}/{kernel}.{case}.{a}.cg')
    ev_b, fb, _ = load(f'{d}/{kernel}.{case}.{b}.cg')
    if ev_a != ev_b:
        sys.exit(f'bench-instr-report: {case} on {kernel}: the two runs counted different events')
    op = case[len('bench_'):]
    n = calls(f'{d}/{kernel}.{case}.{b}.log', op) - calls(f'{d}/{kernel}.{case}.{a}.log', op)
    if n <= 0:
        sys.exit(f'bench-instr-report: {case} on {kernel}: no more "bench: {op}" calls with {b} rounds than with {a}')
    out = {}
    for fn in set(fa) | set(fb):
        ca, cb = fa.get(fn, []), fb.get(fn, [])
        out[fn] = [((cb[i] if i < len(cb) else 0) - (ca[i] if i < len(ca) else 0)) / n
                   for i in range(len(ev_a))]
    return ev_a, out, n, desc


def column(events, fns, names):
    idx = [events.index(e) for e in names if e in events]
    if not idx:
        return None
    return sum(v[i] for v in fns.values() for i in idx)


def main(argv):
    functions = 8
    if argv[:1] == ['--functions']:
        functions = int(argv[1])
        argv = argv[2:]
    if len(argv) < 4:
        sys.exit(__doc__)
    d, a, b, cases = argv[0], argv[1], argv[2], argv[3:]
    rows, details, desc = [], [], None
    for case in cases:
        res = {k: per_call(d, case, k, a, b) for k in ('on', 'off')}
        if res['on'][2] != res['off'][2]:
            sys.exit(f'bench-instr-report: {case} timed {res["on"][2]} calls more on the on kernel, '
                     f'{res["off"][2]} on the off kernel: not the same case')
        desc = desc or res['on'][3]
        cells = []
        for title, names in COLUMNS:
            on = column(res['on'][0], res['on'][1], names)
            off = column(res['off'][0], res['off'][1], names)
            cells.append((on, off))
        rows.append((case, res['on'][2], res['off'][2], cells))
        if functions:
            ir = res['on'][0].index('Ir')
            diff = {fn: res['on'][1].get(fn, [0] * (ir + 1))[ir] - res['off'][1].get(fn, [0] * (ir + 1))[ir]
                    for fn in set(res['on'][1]) | set(res['off'][1])}
            top = sorted(diff.items(), key=lambda x: (-abs(x[1]), x[0]))[:functions]
            details.append((case, top))

    print(f'Per call (the difference of the runs of {b} and {a} rounds over the calls they timed);',
          'cachegrind\'s caches:', '; '.join(' '.join(x.split()) for x in desc[:2]) if desc else 'none')
    head = f"{'case':30} {'calls':>6}"
    for title, _ in COLUMNS:
        head += f" | {title + ' on':>11} {'off':>9} {'ratio':>6}"
    print(head)
    for case, n_on, n_off, cells in rows:
        line = f'{case:30} {n_on:6d}'
        for on, off in cells:
            if on is None:
                line += f" | {'-':>11} {'-':>9} {'-':>6}"
            else:
                r = f'{on / off:.3f}' if off > 0.5 else '-'
                line += f' | {on:11.1f} {off:9.1f} {r:>6}'
        print(line)
    if details:
        print()
        print(f'Functions whose instructions per call differ most (on minus off, per call):')
        for case, top in details:
            print(f'  {case}: ' + ', '.join(f'{fn} {v:+.0f}' for fn, v in top))
    print()
    for case, _, _, cells in rows:
        on, off = cells[0]
        print(f'instr {case} {on / off:.3f}')


if __name__ == '__main__':
    main(sys.argv[1:])
