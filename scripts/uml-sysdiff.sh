#!/usr/bin/env bash
# Differential system-call test against mainline: uml/sysdiff replays a
# seeded random sequence of mmap, munmap, mremap, mprotect, madvise, brk,
# fork and page touches (valid and invalid arguments) on the patched UML
# kernel and on the baseline kernel without the series (base_kernel), both
# booted with norandmaps and the same arguments; its records (each call,
# its result and errno, and the mappings of its arena without the offset
# column) must be identical, but for where a run of private anonymous
# memory is split into VMAs (that follows vm_pgoff: counted, not compared). Prints per kernel the calls, errors (calls
# that returned -1), distinct errnos, faults and the time, the patched
# kernel's verifier totals (mismatches must be 0), and one summary line.
# Exit status: 0 only if every seed gave identical records, no mismatch.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--seeds N] [--calls N] [--first SEED] [--same-splits]   (default: 4 seeds of 800 calls from seed 1)"
	echo "  --same-splits  fail also where a snapshot splits a mapping into VMAs differently"
}
seeds=4 calls=800 first=1 same_splits=0
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--same-splits) same_splits=1; shift ;;
	--seeds|--calls|--first)
		positive_arg "$1" "${2:-}"
		declare "${1#--}=$2"; shift 2 ;;
	*) usage >&2; exit 2 ;;
	esac
done
need_tree
prog=$(uml_program sysdiff CONFIG_HOSTFS CONFIG_DEBUG_ANON_SPACE CONFIG_DEBUG_FS)
base=$(base_kernel)
patched=$UML_BUILD/linux
[ -x "$base" ] || die "no baseline kernel at $base; run scripts/build-base.sh"
out=$BUILD/sysdiff-runs
mkdir -p "$out"
rm -f "$out"/*.rec "$out"/*.cmp "$out"/*.log

declare -A calls_n touches_n errs_n faults_n secs errnos
ndiff=0 nbad=0
mism_total=0 walks_total=0 checked_total=0

# boot KIND KERNEL SEED: one run; its records in $out/KIND-SEED.rec.
boot() {
	local kind=$1 kernel=$2 seed=$3 log=$out/$1-$3.log rec=$out/$1-$3.rec t0 t1 ok=1 f
	t0=$(date +%s.%N)
	uml_boot "$kernel" "$log" 600 "$prog" mem=256M norandmaps \
		-- -o "$rec" "$seed" "$calls"
	t1=$(date +%s.%N)
	secs[$kind]=$(awk "BEGIN { print ${secs[$kind]:-0} + $t1 - $t0 }")
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	if ! grep -q '^sysdiff: worker exit 0' "$log" || ! grep -q '^w #end$' "$rec" 2>/dev/null; then
		echo "seed $seed, $kind kernel: the run did not finish (console: $log):" >&2
		grep '^sysdiff' "$log" >&2 || tail -5 "$log" >&2
		ok=0
	fi
	# From the program's start on (UML's virt-pci warns at every boot).
	if kernel_trouble "$log" '^sysdiff: seed '; then
		echo "seed $seed, $kind kernel: the kernel complained (console: $log):" >&2
		kernel_trouble_show "$log" '^sysdiff: seed '
		ok=0
	fi
	if [ "$kind" = patched ]; then
		# "sysdiff: anon_space walks N rmap_checked N collisions N mismatches N"
		read -r -a f < <(grep -m1 '^sysdiff: anon_space ' "$log" || true)
		if [ "${#f[@]}" != 10 ]; then
			echo "seed $seed: the patched kernel printed no verifier totals (console: $log)" >&2
			ok=0
		else
			walks_total=$((walks_total + f[3]))
			checked_total=$((checked_total + f[5]))
			mism_total=$((mism_total + f[9]))
			[ "${f[9]}" = 0 ] || { echo "seed $seed: the verifier counted ${f[9]} mismatches (console: $log)" >&2; ok=0; }
		fi
	fi
	[ -f "$rec" ] || return 1
	calls_n[$kind]=$((${calls_n[$kind]:-0} + $(grep -E '^[w.0-9]+ #[0-9]+ [a-z]+\(' "$rec" | grep -cv ' #[0-9]* touch(' || true)))
	touches_n[$kind]=$((${touches_n[$kind]:-0} + $(grep -c ' #[0-9]* touch(' "$rec" || true)))
	errs_n[$kind]=$((${errs_n[$kind]:-0} + $(grep -cE '^[w.0-9]+ #[0-9]+ [a-z]+\(.*= -1 E[A-Z0-9]+$' "$rec" || true)))
	faults_n[$kind]=$((${faults_n[$kind]:-0} + $(grep -cE 'SIG(SEGV|BUS) at page [0-9]+$' "$rec" || true)))
	errnos[$kind]="${errnos[$kind]:-} $(grep -oE '= -1 E[A-Z0-9]+$' "$rec" | cut -d' ' -f3 | sort -u | tr '\n' ' ')"
	[ "$ok" = 1 ]
}

# The compared part of a record file: all but the "vma" lines (a run of
# touching private anonymous VMAs is one line; where the kernel splits it
# follows vm_pgoff, which the series changes on purpose).
compared() { grep -v '^[w.0-9]* *vma ' "$1" >"$2"; }
# One line per snapshot: its VMA boundaries.
boundaries() { awk '/^[w.0-9]+ maps / { if (n++) print s; s = "" } / vma / { s = s " " $3 } END { print s }' "$1"; }
nvma_base=0 nvma_patched=0 split_diff=0

for ((seed = first; seed < first + seeds; seed++)); do
	log "seed $seed: $calls calls on the baseline and on the patched kernel"
	boot base "$base" "$seed" || nbad=$((nbad + 1))
	boot patched "$patched" "$seed" || nbad=$((nbad + 1))
	b=$out/base-$seed.cmp p=$out/patched-$seed.cmp
	compared "$out/base-$seed.rec" "$b" || true
	compared "$out/patched-$seed.rec" "$p" || true
	nvma_base=$((nvma_base + $(grep -c ' vma ' "$out/base-$seed.rec" || true)))
	nvma_patched=$((nvma_patched + $(grep -c ' vma ' "$out/patched-$seed.rec" || true)))
	if cmp -s "$b" "$p"; then
		split_diff=$((split_diff + $(paste -d'|' <(boundaries "$out/base-$seed.rec") \
			<(boundaries "$out/patched-$seed.rec") | awk -F'|' '$1 != $2' | wc -l)))
	else
		ndiff=$((ndiff + 1))
		at=$(cmp "$b" "$p" 2>&1 | grep -o 'line [0-9]*' || true)
		echo "seed $seed: the records differ (first at ${at:-the end of one}; - baseline, + patched):"
		diff -U4 --label "baseline, seed $seed" --label "patched, seed $seed" "$b" "$p" |
			head -40 || true
		echo "(reproduce: ${0##*/} --first $seed --seeds 1 --calls $calls; records without" \
			"the vma lines: $b, $p; complete: $out/{base,patched}-$seed.rec)"
	fi
done

distinct() { tr ' ' '\n' <<<"$1" | grep . | sort -u | tr '\n' ' '; }
for kind in base patched; do
	d=$(distinct "${errnos[$kind]:-}")
	printf '%-8s %6d calls, %5d errors (-1), %2d distinct errnos (%s); %5d touches, %5d faulted; %.1f s\n' \
		"$kind" "${calls_n[$kind]:-0}" "${errs_n[$kind]:-0}" "$(wc -w <<<"$d")" \
		"${d% }" "${touches_n[$kind]:-0}" "${faults_n[$kind]:-0}" "${secs[$kind]:-0}"
done
echo "private anonymous VMAs in the snapshots (not compared): base $nvma_base, patched $nvma_patched;" \
	"$split_diff snapshots split the same mappings differently"
echo "patched verifier, all runs: folios verified $walks_total, rmap walks cross-checked $checked_total, mismatches $mism_total"
if [ "$ndiff" != 0 ] || [ "$nbad" != 0 ]; then
	echo "sysdiff: FAIL: $ndiff of $seeds seeds differ, $nbad runs failed or found mismatches (records and consoles in $out)"
	exit 1
elif [ "$same_splits" = 1 ] && [ "$split_diff" != 0 ]; then
	echo "sysdiff: FAIL: $split_diff snapshots split mappings into VMAs differently (--same-splits; records in $out)"
	exit 1
fi
echo "sysdiff: PASS: $seeds seeds x $calls calls from seed $first, identical records on both kernels, 0 mismatches"
