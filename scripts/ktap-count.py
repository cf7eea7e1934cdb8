#!/usr/bin/env python3
"""Count test cases in kunit.py JSON results (kunit.py run/parse --json).

usage: ktap-count.py FILE.json [SUITE_GLOB]
Prints "passed failed skipped" for the cases of the suites matching the glob
(default: all). kunit.py prints the same counts for a whole run, but not per
suite, which check.sh needs to compare the UML and host runs of one suite.
"""
import fnmatch
import json
import sys


def walk(group, glob, in_suite, counts):
    match = in_suite or fnmatch.fnmatch(group.get("name", ""), glob)
    for case in group.get("test_cases", []):
        if match:
            status = case.get("status", "")
            key = {"PASS": 0, "FAIL": 1, "SKIP": 2}.get(status, 1)
            counts[key] += 1
    for sub in group.get("sub_groups", []):
        walk(sub, glob, match, counts)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    glob = sys.argv[2] if len(sys.argv) == 3 else "*"
    with open(sys.argv[1]) as f:
        data = json.load(f)
    counts = [0, 0, 0]
    walk(data, glob, False, counts)
    print(*counts)


if __name__ == "__main__":
    main()
