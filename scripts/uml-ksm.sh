#!/usr/bin/env bash
# KSM and the reverse map, on the patched and on the baseline kernel: boot
# uml/ksm as init (hostfs, a swap file on ubd0, pressure_boot) on each. A
# fork child that has left KSM maps a KSM page back from the swap cache in
# a VMA split off after it left; with the parent's mapping dropped, the
# child's MADV_PAGEOUT must swap it out: rmap_walk_ksm() must find the
# child's mapping through the parent's rmap_item (the anon_vma trees the
# series keeps for such an mm, MMF_KSM_ENTERED). Mainline is the
# reference: a run that does not reach the case (no merge, a copy at
# swap-in) fails on both. Exit status: 0 only if both printed "ksm: PASS".
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (needs CONFIG_KSM, CONFIG_SWAP, CONFIG_BLK_DEV_UBD, CONFIG_HOSTFS; builds the baseline kernel if needed)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
command -v mkswap >/dev/null || PATH=$PATH:/usr/sbin:/sbin
command -v mkswap >/dev/null || die "no mkswap (util-linux); run 'make deps'"
prog=$(uml_program ksm CONFIG_HOSTFS CONFIG_BLK_DEV_UBD CONFIG_SWAP CONFIG_KSM)
base=$(base_kernel)
failed=0
for k in patched:"$UML_BUILD/linux" baseline:"$base"; do
	name=${k%%:*} log=$BUILD/uml-ksm-${k%%:*}.log
	pressure_boot "${k#*:}" "$log" "$prog"
	echo "== $name kernel"
	tr -d '\r' <"$log" | grep -E '^ksm: ' || true
	grep -q '^ksm: PASS' "$log" || {
		echo "ksm did not pass on the $name kernel (full console log: $log)"
		failed=1
	}
done
[ "$failed" = 0 ] || die "uml/ksm failed (logs above)"
