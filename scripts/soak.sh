#!/usr/bin/env bash
# Soak: for as long as asked, rounds over seeds, alternating
#  - the random family sequence (anon_space_rmap.test_random_family in
#    kunit/anon_space_rmap_kunit.c): up to three mms of a family, each step an
#    mmap/munmap/mremap/mprotect/brk/fork/exit/fault on random ranges of a
#    window, then the allocator, the tree and the reverse map of the whole
#    family checked; the UML kernel booted straight into that case with a
#    new family_seed each round (kunit_boot_args), and
#  - uml/pressure booted as init with swap on ubd0 (pressure_boot, as
#    scripts/uml-pressure.sh): a forked family swapped out and in, moved,
#    grown and compacted, every word checked, every rmap walk cross-checked;
#    its size, MB = 80 + SEED % 33, follows the round's seed.
# One line per round (seed, operations, folios verified, mismatches,
# collisions, the allocator's relocation-zone footprint and span, and for
# the family sequence whether the span stayed within the padded first-fit
# bound of kunit/anon_index_kunit.c), the totals every round, a summary at
# the end. Every round boots a copy of the UML kernel made at the start, so
# a rebuild meanwhile changes nothing. A round that starts before the time
# is up runs to its end; at least one round of each kind runs.
# Exit status 1, with the seed, the log and the command that replays it, on
# a failed KUnit case, a mismatch, a pressure run that did not pass, a
# kernel warning or oops, or a span above the bound.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--steps N] [--seed S] [SECONDS]"
	echo "  SECONDS     how long to start new rounds (default 600)"
	echo "  --steps N   steps of each family sequence round (default 25000, about 12 s here; the"
	echo "              case's check() holds 512 ranges, and VMAs that mremap moves out of its"
	echo "              window pile up: seed 2 ran out of them between 40000 and 60000 steps)"
	echo "  --seed S    the first round's seed, then S+1, ... (default: the time, date +%s)"
}
seconds=600 steps=25000 seed=$(date +%s)
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--steps|--seed)
		positive_arg "$1" "${2:-}"
		declare "${1#--}=$2"; shift 2 ;;
	*[!0-9]*|"") usage >&2; exit 2 ;;
	*) seconds=$1; shift ;;
	esac
done
need_tree
command -v python3 >/dev/null || die "no python3 (kunit.py parse); run 'make deps'"

# The kernel and uml/pressure once; then a copy of the kernel to boot.
prog=$(pressure_program)
grep -qx 'CONFIG_ANON_SPACE_KUNIT_TEST=y' "$UML_BUILD/.config" ||
	die "$UML_BUILD/.config lacks CONFIG_ANON_SPACE_KUNIT_TEST=y (the random family sequence)"
dir=$BUILD/soak
rm -rf "$dir"
mkdir -p "$dir"
kernel=$dir/linux
cp "$UML_BUILD/linux" "$kernel"

# The padded first-fit bound of kunit/anon_index_kunit.c (churn_span_bound:
# robson_bound(3 * peak, 3 * longest)), in the same integers: Robson's
# M * H_m / ln 2 rounded up, H_m in 2^-20 units, 1 / ln 2 < 1.442696.
span_bound() {
	local m_total=$((3 * $1)) m=$((3 * $2)) h=0 k
	for ((k = 1; k <= m; k++)); do
		h=$((h + ((1 << 20) + k - 1) / k))
	done
	h=$(((h * 1442696 + 999999) / 1000000))
	echo $(((m_total * h + (1 << 20) - 1) >> 20))
}

# The first index of the relocation zone (ANON_SPACE_IDENTITY_END,
# include/linux/anon_space.h: 2^(BITS_PER_LONG - 2 - PAGE_SHIFT)).
identity_end=$((1 << (64 - 2 - 12)))

round=0 start=$SECONDS
fam_rounds=0 steps_done=0 fam_verified=0 fam_collisions=0 fam_mismatches=0
pr_rounds=0 pr_walks=0 pr_verified=0 pr_collisions=0 pr_mismatches=0
pr_out=0 pr_in=0 worst=""	# worst: the family round with the highest span/bound

fail() {	# fail ROUND-KIND LOG MESSAGE REPLAY
	echo "soak: FAIL in round $round ($1, seed $seed): $3" >&2
	echo "soak: log: $2" >&2
	echo "soak: replay: $4" >&2
	exit 1
}

# Seconds since T0 (an $EPOCHREALTIME), one decimal.
since() {
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

family_round() {
	local log=$dir/family-$seed.log case=anon_space_rmap.test_random_family line re
	local replay="scripts/kunit-fast.sh '$case' anon_space_rmap_kunit.family_seed=$seed anon_space_rmap_kunit.family_steps=$steps"
	local t0=$EPOCHREALTIME
	kunit_boot_args "$case" 1G "anon_space_rmap_kunit.family_seed=$seed" \
		"anon_space_rmap_kunit.family_steps=$steps"
	timeout 3600 "$kernel" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$log" 2>&1 || true
	local secs
	secs=$(since "$t0")
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py parse "$log") >"$log.parsed" 2>&1 || {
		tr -d '\r' <"$log" | grep -E -A2 '(ASSERTION|EXPECTATION) FAILED|failed at step' | head -12 >&2 || true
		fail family "$log" "the KUnit case failed or did not finish (kunit.py parse: $log.parsed)" "$replay"
	}
	kernel_trouble "$log" '^KTAP version' && fail family "$log" "the kernel printed a warning, BUG or oops" "$replay"
	line=$(tr -d '\r' <"$log" | grep -oE "seed $seed, [0-9]+ steps: .*" | head -1) ||
		fail family "$log" "no 'seed $seed, N steps' line from the case" "$replay"
	re='^seed [0-9]+, ([0-9]+) steps: .* verified ([0-9]+) folios, ([0-9]+) collisions, ([0-9]+) mismatches; reloc: footprint ([0-9]+) \(peak ([0-9]+)\), span ([0-9]+) \(max ([0-9]+)\), longest ([0-9]+)$'
	[[ $line =~ $re ]] || fail family "$log" "cannot read the case's line: $line" "$replay"
	local n=${BASH_REMATCH[1]} verified=${BASH_REMATCH[2]} coll=${BASH_REMATCH[3]}
	local mism=${BASH_REMATCH[4]} fp=${BASH_REMATCH[5]} peak=${BASH_REMATCH[6]}
	local span=${BASH_REMATCH[7]} maxspan=${BASH_REMATCH[8]} longest=${BASH_REMATCH[9]}
	local bound held=held
	bound=$(span_bound "$peak" "$longest")
	[ "$maxspan" -le "$bound" ] || held=EXCEEDED
	fam_rounds=$((fam_rounds + 1)) steps_done=$((steps_done + n))
	fam_verified=$((fam_verified + verified)) fam_collisions=$((fam_collisions + coll))
	fam_mismatches=$((fam_mismatches + mism))
	if [ -z "$worst" ] || [ $((maxspan * 1000000 / (bound ? bound : 1))) -gt "${worst%% *}" ]; then
		worst="$((maxspan * 1000000 / (bound ? bound : 1))) seed $seed: max span $maxspan, bound $bound (peak footprint $peak, longest $longest)"
	fi
	printf 'round %d family   seed %d: %d steps, %s s; %d folios verified, %d mismatches, %d collisions; reloc footprint %d (peak %d), span %d (max %d), bound %d: %s\n' \
		"$round" "$seed" "$n" "$secs" "$verified" "$mism" "$coll" "$fp" "$peak" "$span" "$maxspan" "$bound" "$held"
	[ "$n" = "$steps" ] || fail family "$log" "the case stopped after $n of $steps steps" "$replay"
	[ "$mism" = 0 ] || fail family "$log" "$mism mismatches" "$replay"
	[ "$held" = held ] || fail family "$log" "span $maxspan above the bound $bound" "$replay"
}

# The number after LABEL in the pressure log's lines (sum of every match).
pressure_sum() {
	tr -d '\r' <"$1" | grep -oE "$2" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'
}

pressure_round() {
	local mb=$((80 + seed % 33)) log=$dir/pressure-$seed.log t0=$EPOCHREALTIME
	local replay="scripts/uml-pressure.sh $mb"
	local walks verified coll mism out in alloc fp=0 span=0 re
	pressure_boot "$kernel" "$log" "$prog" "$mb"
	local secs
	secs=$(since "$t0")
	walks=$(pressure_sum "$log" '^pressure: [0-9]+ kernel walks cross-checked')
	mism=$(tr -d '\r' <"$log" | sed -nE 's/^pressure: .*cross-checked, [0-9]+ unchecked, ([0-9]+) mismatches$/\1/p' | head -1)
	verified=$(tr -d '\r' <"$log" | sed -nE 's/^pressure: verifier: ([0-9]+) folios verified.*/\1/p' | head -1)
	coll=$(tr -d '\r' <"$log" | sed -nE 's/^pressure: verifier: .* ([0-9]+) collisions$/\1/p' | head -1)
	out=$(tr -d '\r' <"$log" | sed -nE 's/^pressure: swapped out ([0-9]+) pages, in ([0-9]+);.*/\1/p' | head -1)
	in=$(tr -d '\r' <"$log" | sed -nE 's/^pressure: swapped out ([0-9]+) pages, in ([0-9]+);.*/\2/p' | head -1)
	alloc=$(tr -d '\r' <"$log" | grep -m1 '^parent, allocator: ' || true)
	re='reloc_used ([0-9]+) .* highest (0x[0-9a-f]+|0) '
	if [[ $alloc =~ $re ]]; then
		fp=${BASH_REMATCH[1]}
		[ "$fp" -gt 0 ] && span=$((BASH_REMATCH[2] + 1 - identity_end))
	fi
	printf 'round %d pressure seed %d: %d MB, %s s; %s walks cross-checked, %s folios verified, %s mismatches, %s collisions; swapped out %s pages, in %s; reloc footprint %d, span %d\n' \
		"$round" "$seed" "$mb" "$secs" "${walks:-?}" "${verified:-?}" "${mism:-?}" "${coll:-?}" "${out:-?}" "${in:-?}" "$fp" "$span"
	grep -q '^pressure: PASS' "$log" || {
		tr -d '\r' <"$log" | grep -E '^pressure: (error|FAIL)|error:' | head -5 >&2 || true
		fail pressure "$log" "pressure did not pass" "$replay"
	}
	kernel_trouble "$log" '^(parent|child|pressure)[,:]' && fail pressure "$log" "the kernel printed a warning, BUG or oops" "$replay"
	[ -n "$mism" ] && [ -n "$verified" ] ||
		fail pressure "$log" "no cross-check or verifier line" "$replay"
	[ "$mism" = 0 ] || fail pressure "$log" "$mism mismatches" "$replay"
	pr_rounds=$((pr_rounds + 1)) pr_walks=$((pr_walks + walks)) pr_mismatches=$((pr_mismatches + mism))
	pr_verified=$((pr_verified + verified)) pr_collisions=$((pr_collisions + coll))
	pr_out=$((pr_out + out)) pr_in=$((pr_in + in))
}

totals() {
	printf '%s %d rounds, %d s: family %d rounds, %d steps, %d folios verified, %d mismatches, %d collisions; pressure %d rounds, %d walks cross-checked, %d folios verified, %d mismatches, %d collisions, %d pages swapped out, %d in\n' \
		"$1" "$round" "$((SECONDS - start))" "$fam_rounds" "$steps_done" "$fam_verified" \
		"$fam_mismatches" "$fam_collisions" "$pr_rounds" "$pr_walks" "$pr_verified" \
		"$pr_mismatches" "$pr_collisions" "$pr_out" "$pr_in"
}

echo "soak: $seconds s from $(date -u '+%F %T UTC'), seeds from $seed, $steps steps per family round; kernel copy $kernel (of $UML_BUILD/linux, $(date -u -r "$UML_BUILD/linux" '+%F %T UTC')); logs in $dir"
while [ "$round" -lt 2 ] || [ $((SECONDS - start)) -lt "$seconds" ]; do
	round=$((round + 1))
	if [ $((round % 2)) = 1 ]; then family_round; else pressure_round; fi
	totals "  totals after"
	seed=$((seed + 1))
done
totals "soak: PASS:"
echo "soak: family sequence: largest span against its bound: ${worst#* }"
