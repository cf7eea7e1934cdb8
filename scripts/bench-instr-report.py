#!/usr/bin/env python3
"""bench-instr.sh's report: per mremap_bench case and parameter, what one
timed call executes on the ANON_SPACE=y and =n kernels under cachegrind,
then one "instr OP:pages=N[:children=N] RATIO" line each (instructions
per call, on over off; named as bench_lines.case_name() names timings).

usage: bench-instr-report.py [--functions N] [--max-noise PCT] DIR A B CASE:PARAM...
  DIR   the runs: {on,off}.CASE.pPARAM.{A,A-again,B}.cg (cachegrind's
        counts) and .log (the kernel's console, with the suite's "bench:"
        lines); A-again, a second run of A rounds, gives the noise: the
        two A runs' difference in instructions over the calls B adds
  A, B  the two runs' timed rounds
  CASE:PARAM  bench_mmap_munmap:2, ...: the case run with the suite's
        bench_param=PARAM (0: a case without parameters); its timings are
        its "bench: OP" lines whose OP is CASE without "bench_" (bench_fork's fork lines:
        a fork and its exit; bench_brk's brk lines: a grow+shrink pair, and
        one growth and one shrink of the case's second part, which its
        count per call includes), or, for a case that prints none of those,
        its lines of every OP it prints, each timed as often, one call of
        each counted as a call (bench_rmap_parent: one folio_referenced()
        and one counting rmap_walk(), "referenced_parent+walk_parent")

Cachegrind's output format is read directly (its "events:", "fn=" and
count lines): cg_annotate prints per-function totals of one run for
reading, not the difference of two runs of two kernels, which is what
the figures are.
"""
import collections, sys

from bench_lines import case_name, fields, timing_key

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
    missing = [e for _, names in COLUMNS for e in names if e not in events]
    if missing:
        sys.exit(f'bench-instr-report: {path} counted no {", ".join(missing)} (a run without --cache-sim=yes?)')
    return events, per_fn, desc


def calls(path, op):
    """calls a run timed (rounds x batch of its "bench: OP" lines), and the
    name of its timing (one parameter a run: one name).  A case that prints
    no line of its own OP but lines of several others, each as often
    (bench_rmap_parent: referenced_parent and walk_parent), counts one call
    of each as its call: its calls are those of one of them, its name
    OP1+OP2:pages=N..."""
    per_op, names = collections.Counter(), collections.defaultdict(set)
    with open(path, errors='replace') as f:
        for line in f:
            i = line.find('bench: ')
            if i < 0:
                continue
            o = line[i:].split()[1]
            fl = fields(line[i:])
            per_op[o] += int(fl['rounds']) * int(fl['batch'])
            names[o].add(case_name(timing_key(o, fl)))
    ops = [op] if op in per_op else sorted(per_op)
    if not ops:
        return 0, None
    if len({per_op[o] for o in ops}) > 1:
        sys.exit(f'bench-instr-report: {path} times {", ".join(ops)} unequally often: no call of the case to count')
    for o in ops:
        if len(names[o]) > 1:
            sys.exit(f'bench-instr-report: {path} times {", ".join(sorted(names[o]))}: one parameter a run')
    name = next(iter(names[ops[0]]))
    return per_op[ops[0]], '+'.join(ops) + name[len(ops[0]):]


def per_call(d, run, kernel, a, b):
    """{function: [count per event per call]} of the difference b - a, the
    calls and the timing's name"""
    case, param = run.rsplit(':', 1)
    base = f'{d}/{kernel}.{case}.p{param}'
    ev_a, fa, desc = load(f'{base}.{a}.cg')
    ev_b, fb, _ = load(f'{base}.{b}.cg')
    if ev_a != ev_b:
        sys.exit(f'bench-instr-report: {run} on {kernel}: the two runs counted different events')
    op = case[len('bench_'):]
    (na, name_a), (nb, name) = calls(f'{base}.{a}.log', op), calls(f'{base}.{b}.log', op)
    n = nb - na
    if n <= 0 or name_a != name:
        sys.exit(f'bench-instr-report: {run} on {kernel}: no more "bench: {op}" calls with {b} rounds than with {a}')
    ev_a2, fa2, _ = load(f'{base}.{a}-again.cg')
    if ev_a2 != ev_a:
        sys.exit(f'bench-instr-report: {run} on {kernel}: the two runs of {a} rounds counted different events')
    ir = ev_a.index('Ir')
    noise = abs(sum(x[ir] for x in fa.values() if len(x) > ir) -
                sum(x[ir] for x in fa2.values() if len(x) > ir)) / n
    out = {}
    for fn in set(fa) | set(fb):
        ca, cb = fa.get(fn, []), fb.get(fn, [])
        out[fn] = [((cb[i] if i < len(cb) else 0) - (ca[i] if i < len(ca) else 0)) / n
                   for i in range(len(ev_a))]
    return ev_a, out, n, desc, name, noise


def column(events, fns, names):
    idx = [events.index(e) for e in names]
    return sum(v[i] for v in fns.values() for i in idx if i < len(v))


def main(argv):
    functions, max_noise = 8, 1.0
    while argv[:1] in (['--functions'], ['--max-noise']):
        if argv[0] == '--functions':
            functions = int(argv[1])
        else:
            max_noise = float(argv[1])
        argv = argv[2:]
    if len(argv) < 4:
        sys.exit(__doc__)
    d, a, b, runs = argv[0], argv[1], argv[2], argv[3:]
    rows, details, desc = [], [], None
    for run in runs:
        res = {k: per_call(d, run, k, a, b) for k in ('on', 'off')}
        if res['on'][2] != res['off'][2] or res['on'][4] != res['off'][4]:
            sys.exit(f'bench-instr-report: {run} timed {res["on"][2]} calls more of {res["on"][4]} on the on kernel, '
                     f'{res["off"][2]} of {res["off"][4]} on the off kernel: not the same case')
        case = res['on'][4]
        desc = desc or res['on'][3]
        cells = []
        for title, names in COLUMNS:
            on = column(res['on'][0], res['on'][1], names)
            off = column(res['off'][0], res['off'][1], names)
            cells.append((on, off))
        noise = max(res['on'][5], res['off'][5])
        rows.append((case, res['on'][2], noise, cells))
        if functions:
            ir = res['on'][0].index('Ir')
            diff = {fn: res['on'][1].get(fn, [0] * (ir + 1))[ir] - res['off'][1].get(fn, [0] * (ir + 1))[ir]
                    for fn in set(res['on'][1]) | set(res['off'][1])}
            top = sorted(diff.items(), key=lambda x: (-abs(x[1]), x[0]))[:functions]
            details.append((case, top))

    print(f'Per call (the difference of the runs of {b} and {a} rounds over the calls they timed;',
          f'noise: instructions a call between two runs of {a} rounds, the larger kernel\'s);',
          'cachegrind\'s caches:', '; '.join(' '.join(x.split()) for x in desc[:2]) if desc else 'none')
    head = f"{'timing':34} {'calls':>6} {'noise':>7}"
    for title, _ in COLUMNS:
        head += f" | {title + ' on':>11} {'off':>9} {'ratio':>6}"
    print(head)
    for case, n_on, noise, cells in rows:
        line = f'{case:34} {n_on:6d} {noise:7.1f}'
        for on, off in cells:
            r = f'{on / off:.3f}' if off > 0.5 else '-'
            line += f' | {on:11.1f} {off:9.1f} {r:>6}'
        print(line)
    if details:
        print()
        print(f'Functions whose instructions per call differ most (on minus off, per call):')
        for case, top in details:
            print(f'  {case}: ' + ', '.join(f'{fn} {v:+.0f}' for fn, v in top))
    print()
    unsure = []
    for case, _, noise, cells in rows:
        on, off = cells[0]
        # A ratio only where the counts stand clear of their noise.
        if min(on, off) > 0 and noise < max_noise / 100 * min(on, off):
            print(f'instr {case} {on / off:.3f}')
        else:
            print(f'instr {case} -')
            unsure.append(case)
    if unsure:
        print(f'(no ratio where the noise is {max_noise:g}% of a count or more: {", ".join(unsure)}; more --rounds)')


if __name__ == '__main__':
    main(sys.argv[1:])
