"""The mremap_bench suite's figure lines as the bench scripts read them:
one parser, one key and one name per timing, one paired ratio.

A timing line is "bench: OP pages=N [children=N] median_ns=N min_ns=N ...";
a reverse-map walk's also has visited= and mapped=; a workload's VMA count
is "vmas: WORKLOAD count=N ...". bench-uml-report.py, bench-compare.sh and
bench-placement-report.py read them through this module
(PYTHONPATH=scripts), so that the three name a case alike in their
"ratio" lines.
"""
import re
import statistics


def fields(line):
    """the NAME=VALUE pairs of a line, as a dict of strings"""
    return dict(re.findall(r'(\w+)=(\S+)', line))


def timing_key(op, f):
    """(op, pages, children) of a timing; children -1 when the line names none"""
    return (op, int(f['pages']), int(f.get('children', -1)))


def case_name(key):
    """a timing's name in ratio lines: OP:pages=N[:children=N]"""
    op, pages, children = key
    return f'{op}:pages={pages}' + (f':children={children}' if children >= 0 else '')


def children_cell(key):
    """a timing's children column: the number, or empty when it names none"""
    return key[2] if key[2] >= 0 else ''


def ratio(a, b):
    """a over b; 1 when both are 0, nan when only b is"""
    return a / b if b else 1.0 if a == b else float('nan')


def paired(on, off):
    """the median of each round's ratio: on[i] over off[i], boot i of each
    kernel run next to each other (robust to a machine whose boots fall
    into modes of different speed, results.md)"""
    return statistics.median(ratio(a, b) for a, b in zip(on, off))
