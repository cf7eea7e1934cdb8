#!/usr/bin/env python3
"""Compare two runs of uml/selftests.sh: the patched kernel's and the baseline's.

usage: selftests-compare.py [--regressions FILE] OURS.log BASE.log

Each log is a UML console: uml/selftests.sh's TAP (one "ok"/"not ok" line per
program, the program's own output as "# " comments, with its ksft
"# Totals: pass:N fail:N ..." line) and uml/run's "run: ..." lines. Prints one
row per program with both kernels' results and totals, and fails (exit 1) on
a regression: a program that passes on the baseline and not on ours, or that
counts fewer passed or more failed cases on ours; also when ours reports a
verifier mismatch or either run did not finish. --regressions FILE: the
regressed programs' lines of uml/selftests.list go to FILE (for a rerun).
"""
import re
import sys

RESULT = re.compile(r'^(not ok|ok) (\d+) (.*?)(?: # (SKIP|exit=\d+))?$')
TOTALS = re.compile(r'^# # Totals: pass:(\d+) fail:(\d+) xfail:\d+ xpass:\d+ skip:(\d+) error:(\d+)')
START = re.compile(r'^# ---- \[\S+\] (.*)$')


def parse(path):
    """{program: (result, totals or None)}, the plan, run: lines."""
    progs, plan, run, totals, current = {}, None, {}, None, None
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n')
            if m := START.match(line):
                current, totals = m.group(1), None
            elif m := TOTALS.match(line):
                totals = tuple(int(x) for x in m.groups())
            elif m := RESULT.match(line):
                status = ('fail' if m.group(1) == 'not ok' else
                          'skip' if m.group(4) == 'SKIP' else 'pass')
                progs[m.group(3)] = (status, totals if m.group(3) == current else None)
            elif line.startswith('1..'):
                plan = int(line[3:])
            elif m := re.match(r'^run: anon_space mismatches (-?\d+)', line):
                run['mismatches'] = int(m.group(1))
            elif m := re.match(r'^run: (exit|signal) (\d+)', line):
                run['end'] = line
    return progs, plan, run


def show(entry):
    if entry is None:
        return f"{'(not run)':<26}"
    status, t = entry
    tot = f"{t[0]}/{t[1]}/{t[2]}" if t else '-'
    return f"{status:<6}{tot:>20}"


def main():
    args = sys.argv[1:]
    regfile = None
    if args[:1] == ['--regressions'] and len(args) > 1:
        regfile, args = args[1], args[2:]
    if len(args) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    (ours, oplan, orun), (base, bplan, brun) = parse(args[0]), parse(args[1])
    problems, regressed = [], []
    for name, plan, run, progs in (('patched', oplan, orun, ours),
                                   ('baseline', bplan, brun, base)):
        if plan is None or 'end' not in run or len(progs) != plan:
            problems.append(f"the {name} kernel's run did not finish "
                            f"({len(progs)} of {plan} programs)")
    print(f"{'program':<28}{'anon_space':<26}  {'baseline':<26}  "
          "(result, ksft pass/fail/skip)")
    same = 0
    for prog in sorted(set(ours) | set(base), key=lambda p: (p not in base, p)):
        o, b = ours.get(prog), base.get(prog)
        note = ''
        if o and b and o[0] == 'pass' != b[0]:
            note = 'better'
        if b and b[0] == 'pass' and (not o or o[0] != 'pass'):
            note = 'REGRESSION'
        elif o and b and o[1] and b[1] and (o[1][0] < b[1][0] or o[1][1] > b[1][1]):
            note = 'REGRESSION (cases)'
        if note.startswith('REGRESSION'):
            regressed.append(prog)
            problems.append(f"{prog}: {show(b).split()[0]} on the baseline, "
                            f"{show(o).split()[0]} on anon_space"
                            + (f" (ksft pass/fail {b[1][0]}/{b[1][1]} there, "
                               f"{o[1][0]}/{o[1][1]} here)" if note.endswith('(cases)') else ''))
        same += o == b
        print(f"{prog:<28}{show(o)}  {show(b)}  {note}")
    mism = orun.get('mismatches')
    print(f"verifier after the run: {'no anon_space debugfs' if mism is None else f'{mism} mismatches'}")
    if mism is None or mism != 0:
        problems.append('the patched kernel did not report 0 verifier mismatches')
    n = len(set(ours) | set(base))
    print(f"selftests: {n} programs, {same} with the same result and totals on both kernels, "
          f"{len(problems)} problems")
    for p in problems:
        print(f"selftests: error: {p}")
    if regfile:
        with open(regfile, 'w') as f:
            f.writelines(f"rerun\t{p}\n" for p in regressed)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
