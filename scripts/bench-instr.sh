#!/usr/bin/env bash
# Count what each mremap_bench timing case executes per call, with and
# without CONFIG_ANON_SPACE: the suite on the two bench kernels built to
# run under Valgrind (bench_kbuild on|off vg: bench/kunitconfig plus
# uml-valgrind-config), each case booted under Valgrind's cachegrind
# three times, with A timed rounds twice (their difference: the noise)
# and with B. The difference of the A and B runs' counts divided by the
# difference of the calls they timed (their "bench:" lines: rounds x
# batch) is the cost of one call, boot and setup cancelled:
# instructions (Ir), and first-level instruction and data cache misses of
# cachegrind's model of the host's caches (--i1: another). Unlike
# time, the counts do not move between boots (a few instructions per call
# from the timer ticks a run takes), so they tell the series' own work
# from how the host runs it. Under Valgrind an mm has no host process
# (patch "um: run without ptrace and host processes under Valgrind"): a
# fork's or a TLB flush's host system calls are not counted, only the
# kernel's code. Each parameter of a case is run alone (the suite's
# bench_param). A case that times two operations as often (bench_rmap_*:
# folio_referenced() and a counting rmap_walk() of the same folios) counts
# one of each as its call, "OP1+OP2". Ends with one line per case and
# parameter, "instr OP:pages=N[:children=N] RATIO"
# (instructions per call, on over off; named as make bench's ratio lines
# name the timings).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--glob GLOB] [--bench-param N] [--rounds A,B] [--functions N] [--jobs N] [--i1 SIZE,ASSOC,LINE] [--max-noise PCT] [--kernels ON OFF]"
	echo "  --glob GLOB     mremap_bench cases (default $BENCH_INSTR_GLOB: the timings and the walks)"
	echo "  --bench-param N only the Nth parameter of each case (the suite's bench_param)"
	echo "  --rounds A,B    timed rounds of the two runs of a case (default 3,63;"
	echo "                  bench_rounds; bench_fork's four times as many: it forks in"
	echo "                  a quarter of them; stack_rounds 16 times as many: a row's"
	echo "                  rounds, shared by up to 64 children)"
	echo "  --functions N   per timing, the N functions whose instructions per call"
	echo "                  differ most between the kernels (default 8; 0: none)"
	echo "  --jobs N        Valgrind runs at once (default: the CPUs, $(nproc))"
	echo "  --i1 SIZE,ASSOC,LINE  cachegrind's first-level instruction cache (default"
	echo "                  the host's; e.g. 32768,512,64: fully associative, no conflicts)"
	echo "  --max-noise PCT  no ratio where two runs alike differ by PCT% of a"
	echo "                  count or more (default 1)"
	echo "  --kernels ON OFF  UML kernels with CONFIG_UML_VALGRIND and the suite to"
	echo "                  compare instead of the two built here (builds nothing)"
}
glob=$BENCH_INSTR_GLOB
rounds=3,63
functions=8
jobs=$(nproc)
kernel_on='' kernel_off=''
i1=()
max_noise=1
param=''
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--glob) glob=${2:?--glob needs a pattern}; shift 2 ;;
	--bench-param) positive_arg --bench-param "${2:-}"; param=$2; shift 2 ;;
	--rounds)
		[[ ${2:-} =~ ^([0-9]+),([0-9]+)$ ]] && ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[2] > BASH_REMATCH[1])) ||
			die "--rounds '${2:-}' is not A,B with 1 <= A < B"
		rounds=$2; shift 2 ;;
	--functions) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--functions '${2:-}' is not a number"; functions=$2; shift 2 ;;
	--jobs) positive_arg --jobs "${2:-}"; jobs=$2; shift 2 ;;
	--i1)
		[[ ${2:-} =~ ^[0-9]+,[0-9]+,[0-9]+$ ]] || die "--i1 '${2:-}' is not SIZE,ASSOC,LINE (bytes, ways, bytes)"
		i1=("--I1=$2"); shift 2 ;;
	--max-noise)
		[[ ${2:-} =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--max-noise '${2:-}' is not a percentage"
		max_noise=$2; shift 2 ;;
	--kernels)
		[ $# -ge 3 ] || die "--kernels needs two UML kernels, ON and OFF"
		kernel_on=$2 kernel_off=$3; shift 3 ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) usage >&2; die "unexpected argument '$1'" ;;
	esac
done
case "$glob" in mremap_bench*) ;; *) die "--glob '$glob' is not a mremap_bench case pattern" ;; esac
need_uml_valgrind

if [ -z "$kernel_on" ]; then
	for v in on off; do
		log "building the $v kernel for Valgrind ($(bench_kdir "$v" vg))"
		bench_kbuild "$v" vg
	done
	kernel_on=$(bench_kdir on vg)/linux kernel_off=$(bench_kdir off vg)/linux
fi
for k in "$kernel_on" "$kernel_off"; do
	[ -x "$k" ] || die "no UML kernel at $k"
done

# The cases, as the kernel lists them (kunit.action=list, a plain boot).
kunit_boot_args "$glob" 256M kunit.action=list
cases=$("$kernel_on" "${KUNIT_BOOT_ARGS[@]}" </dev/null 2>&1 |
	sed -n 's/^\(mremap_bench\.[a-z_0-9]*\)\r\?$/\1/p' | sort -u) || true
[ -n "$cases" ] || die "no mremap_bench case matches '$glob' on $kernel_on"

out=$BUILD/bench-instr
rm -rf "$out"
mkdir -p "$out"

# The runs of each case: one a parameter (bench_param=N of the suite: the
# counts of a run cannot tell its parameters apart), or one of bench_param
# 0 for a case without any. A plain boot of the case with one round
# tells: its "bench:" lines of the case's own operation, one a parameter.
runs=()
for c in $cases; do
	op=${c#mremap_bench.bench_}
	kunit_boot_args "$c" 1G mremap_bench_kunit.bench_rounds=1 mremap_bench_kunit.stack_rounds=1 \
		mremap_bench_kunit.bench_warm=0
	lines=$("$kernel_on" "${KUNIT_BOOT_ARGS[@]}" </dev/null 2>&1 | grep -o 'bench: [a-z_0-9]* pages=') || true
	[ -n "$lines" ] || die "$c printed no 'bench:' line on $kernel_on (a case of the suite that times nothing?)"
	# Its own OP's lines, or those of the OPs it times instead, each once
	# a parameter (bench_rmap_parent: referenced_parent, walk_parent).
	if grep -qx "bench: $op pages=" <<<"$lines"; then
		n=$(grep -cx "bench: $op pages=" <<<"$lines")
	else
		n=$(($(wc -l <<<"$lines") / $(sort -u <<<"$lines" | wc -l)))
	fi
	if [ -n "$param" ]; then
		[ "$n" -gt 1 ] && [ "$param" -le "$n" ] ||
			die "$c has $n parameter(s); --bench-param $param names none of them"
		runs+=("${c#mremap_bench.}:$param")
	elif [ "$n" = 1 ]; then
		runs+=("${c#mremap_bench.}:0")
	else
		for ((p = 1; p <= n; p++)); do runs+=("${c#mremap_bench.}:$p"); done
	fi
done

# run_one on|off CASE PARAM ROUNDS TAG: one boot of CASE (its PARAMth
# parameter) under cachegrind, its files $out/on|off.CASE.pPARAM.TAG.*.
# lpj= skips the boot's delay-loop calibration, whose instruction count
# depends on when a timer tick comes.
run_one() {
	local v=$1 c=$2 p=$3 r=$4 f k=$kernel_on
	f=$out/$v.$c.p$p.$5
	[ "$v" = on ] || k=$kernel_off
	# bench_fork forks in a quarter of its rounds.
	[ "$c" != bench_fork ] || r=$((r * 4))
	kunit_boot_args "mremap_bench.$c" 1G lpj=1000000 "mremap_bench_kunit.bench_rounds=$r" \
		"mremap_bench_kunit.stack_rounds=$((r * 16))" "mremap_bench_kunit.bench_param=$p"
	valgrind --tool=cachegrind --cache-sim=yes "${i1[@]}" --cachegrind-out-file="$f.cg" \
		"$k" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$f.log" 2>"$f.vg" || true
	grep -Eq '^ok [0-9]+ mremap_bench\r?$' "$f.log" && ! grep -q 'not ok' "$f.log" && [ -s "$f.cg" ] || {
		echo "${0##*/}: error: $c (parameter $p) failed or left no counts on the $v kernel under cachegrind (logs: $f.log, $f.vg)" >&2
		return 1
	}
}

a=${rounds%,*} b=${rounds#*,}
echo "date: $(date '+%Y-%m-%d %H:%M:%S %Z'); cases: $glob; rounds: $a and $b; $(valgrind --version)"
echo "kernels: on $kernel_on, off $kernel_off"
start=$SECONDS
running=0
# Each of A rounds twice: the two runs' difference is the count's noise.
for cp in "${runs[@]}"; do
	for v in on off; do
		for rt in "$a:$a" "$a:$a-again" "$b:$b"; do
			if [ "$running" -ge "$jobs" ]; then
				wait -n || die "a run failed (above)"
				running=$((running - 1))
			fi
			run_one "$v" "${cp%:*}" "${cp#*:}" "${rt%%:*}" "${rt#*:}" &
			running=$((running + 1))
		done
	done
done
while [ "$running" -gt 0 ]; do
	wait -n || die "a run failed (above)"
	running=$((running - 1))
done
echo "bench-instr: $(wc -w <<<"$cases") cases, ${#runs[@]} parameters, 6 runs each under cachegrind, in $((SECONDS - start)) s (counts and logs in $out)"
python3 "$PROJECT/scripts/bench-instr-report.py" --functions "$functions" --max-noise "$max_noise" \
	"$out" "$a" "$b" "${runs[@]}"
