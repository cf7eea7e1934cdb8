#!/usr/bin/env bash
# Build and run the kernel's own VMA host harness, tools/testing/vma (mm/vma.c
# compiled into a host program, under ASan and UBSan), in the prepared tree,
# twice: vma as upstream builds it (the anon_space hooks stubbed out), and
# vma_anon_space with CONFIG_ANON_SPACE on the kernel's mm/anon_index.c and
# the anon_space cases. Its objects are ignored by the tree's .gitignore, so
# the tree stays clean.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (build and run tools/testing/vma in the prepared tree)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
dir=$TREE/tools/testing/vma
log=$BUILD/vma-build.log
make -C "$dir" -j"$(nproc)" >"$log" 2>&1 || {
	grep -E 'error|undefined reference' "$log" | head -20 >&2
	die "tools/testing/vma does not build (log: $log)"
}
for prog in vma vma_anon_space; do
	[ -x "$dir/$prog" ] || die "$dir/$prog was not built (log: $log)"
	echo "$prog:"
	(cd "$dir" && "./$prog") || die "$prog failed (above)"
done
