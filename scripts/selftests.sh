#!/usr/bin/env bash
# The kernel's own mm selftests on the patched kernel, each compared with
# the same program on the baseline kernel (the same 6.12 without the
# series, scripts/build-base.sh): build tools/testing/selftests/mm from the
# baseline tree against its own uapi headers, boot both UML kernels (side
# by side, one core each) with uml/run as init running uml/selftests.sh over
# the programs of uml/selftests.list, and print both kernels' results and
# the ksft totals of each program. Fails when a program passes on the
# baseline and not on the patched kernel, when it counts fewer passed or
# more failed cases there, or when the patched kernel's verifier counted a
# mismatch.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [PROGRAM...]   (default: every program of uml/selftests.list; e.g. ${0##*/} cow mremap_test)"
}
case "${1:-}" in -h|--help) usage; exit 0 ;; -*) usage >&2; exit 2 ;; esac
need_tree
list=$PROJECT/uml/selftests.list
[ -f "$list" ] || die "missing $list"
for lib in /usr/include/sys/capability.h /usr/include/numa.h; do
	[ -f "$lib" ] || die "$lib is missing (mlock-random-test needs libcap-dev, ksm_tests libnuma-dev); run 'make deps'"
done

# The programs to run: the list's lines, or those naming the given programs.
sel=$BUILD/selftests.list
if [ $# -gt 0 ]; then
	pat=$(printf '%s|' "$@")
	grep -E "^[a-z_]+[[:space:]]+(${pat%|})([[:space:]]|\$)" "$list" >"$sel" ||
		die "no program of $list is named $*"
else
	grep -v '^[[:space:]]*\(#\|$\)' "$list" >"$sel"
fi
mapfile -t progs < <(awk '{ print $2 }' "$sel" | sort -u)

# Both kernels and the init program.
base=$(base_kernel)
run=$(uml_program run CONFIG_HOSTFS CONFIG_DEBUG_ANON_SPACE CONFIG_DEBUG_FS)

# The selftests, from the baseline tree (the series does not touch them),
# against that tree's uapi headers, built out of the tree.
out=$BUILD/selftests
blog=$BUILD/selftests-build.log
: >"$blog"
mkdir -p "$out/mm"
hdr=$out/hdr-build/usr/include
if [ ! -f "$hdr/linux/mman.h" ] || [ "$hdr/linux/mman.h" -ot "$BASE_TREE/Makefile" ]; then
	log "generating the baseline tree's uapi headers in $hdr"
	make -s -C "$BASE_TREE" O="$out/hdr-build" -j"$(nproc)" headers \
		>>"$blog" 2>&1 || { tail -20 "$blog" >&2; die "make headers failed (log: $blog)"; }
fi
log "building ${#progs[@]} programs of tools/testing/selftests/mm into $out/mm"
make -s -C "$BASE_TREE/tools/testing/selftests/mm" OUTPUT="$out/mm" \
	KHDR_INCLUDES="-isystem $hdr" -j"$(nproc)" "${progs[@]/#/$out/mm/}" \
	>>"$blog" 2>&1 || { grep -E 'error' "$blog" | head -20 >&2; die "building the selftests failed (log: $blog)"; }

# Both kernels at once: UML is uniprocessor, and this machine has 2 cores.
# mremap_test maps regions of up to 2 GB. Each guest swaps on a file of
# its own (cow's MADV_PAGEOUT cases).
command -v mkswap >/dev/null || PATH=$PATH:/usr/sbin:/sbin
command -v mkswap >/dev/null || die "no mkswap (util-linux); run 'make deps'"
# both SEL TAG: run the programs of list SEL on both kernels at once, logs
# $BUILD/selftests-{anon_space,base}TAG.log; compare them, writing the
# regressed programs' lines to $BUILD/selftests-regressionsTAG.
both() {
	local sel=$1 tag=$2 start ours theirs
	start=$(date +%s)
	ours=$BUILD/selftests-anon_space$tag.log theirs=$BUILD/selftests-base$tag.log
	boot "$UML_BUILD/linux" "$ours" "$sel" &
	boot "$base" "$theirs" "$sel"
	wait
	echo "selftests: both kernels done in $(($(date +%s) - start)) s; logs: $ours, $theirs"
	python3 "$PROJECT/scripts/selftests-compare.py" \
		--regressions "$BUILD/selftests-regressions$tag" "$ours" "$theirs"
}
boot() { # KERNEL LOG SEL
	local swap=${2%.log}-swap.img
	rm -f "$swap"
	truncate -s 512M "$swap"
	mkswap -q "$swap" >/dev/null || die "mkswap $swap failed"
	uml_boot "$1" "$2" 3600 "$run" mem=3G "ubd0=$swap" -- \
		"$PROJECT/uml/selftests.sh" --guest "$out/mm" "$3"
	rm -f "$swap"
}

log "running them on the patched and the baseline kernel"
rm -f "$BUILD"/selftests-regressions*
rc=0
both "$sel" "" || rc=$?
# Some programs do not give the same result every time on either kernel
# (ksm_functional_tests' test_prctl_fork merged nothing in one of two runs
# on the baseline too): a regression counts only if it repeats in two more
# runs of the program on both kernels.
prev=$BUILD/selftests-regressions
for again in 1 2; do
	[ -s "$prev" ] || break
	log "rerun $again of$(awk '{ $1 = ""; print }' "$prev" | paste -sd, -): a regression must repeat"
	rc=0
	both "$prev" ".rerun$again" || rc=$?
	prev=$BUILD/selftests-regressions.rerun$again
done
[ "$rc" = 0 ] || die "the patched kernel fails what the baseline passes, or a run did not finish (see above)"
echo "selftests: no regression against the baseline kernel"
