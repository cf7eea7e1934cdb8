#!/usr/bin/env bash
# The kernel's scripts/kernel-doc on the C files the series adds to the
# tree (mm/anon_*.c, include/linux/anon_*.h, ...): no warning, as 0day's
# W=1 build would report them. Files the series only changes are left
# out: mainline's own comments there are not the series' to fix.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (kernel-doc -none on the .c and .h files the series adds; exit 1 on any warning)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
mapfile -t files < <(git -C "$TREE" diff --name-only --diff-filter=A \
	"$BASE_TAG" HEAD -- '*.c' '*.h' ':!tools/*' ':!mm/tests/*')
[ "${#files[@]}" -gt 0 ] || die "the tree adds no C file to $BASE_TAG; run 'make prepare'"
out=$(cd "$TREE" && scripts/kernel-doc -none "${files[@]}" 2>&1) || true
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	die "kernel-doc: warnings in the series' files (above); fix the comments in $TREE and 'make refresh'"
fi
echo "kernel-doc: ${#files[@]} files clean (${files[*]})"
