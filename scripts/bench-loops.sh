#!/usr/bin/env bash
# Issue 11: will-it-scale-style loops and stress-ng's mm stressors as
# programs on the two bench kernels that scripts/bench-uml.sh builds
# (build/linux/.kunit-bench-on: CONFIG_ANON_SPACE=y and
# CONFIG_ANON_SPACE_RMAP=y; .kunit-bench-off: mainline, ANON_SPACE=n),
# side by side. It builds no kernel: it needs both built (make bench).
#
#  - uml/loops (built static, guest_program) booted as init with mem=1G,
#    --runs times (7) per kernel, in rounds of one boot of each (--cpu):
#    mmap1, brk1, page_fault1, page_fault2 (MAP_PRIVATE of a file in
#    build/loops-tmp on hostfs: the bench kernels have no tmpfs), fork,
#    mremap_move1, mremap_move64, mremap_grow64, mmap1_child and
#    brk1_child (the same in a fork child of the program), and
#    mmap1_parent and brk1_parent (the same in the program while a fork
#    child of it waits), each for 2 s of
#    timed batches after a warm-up, each checking what it timed (see
#    uml/loops.c). A boot's figure is the median ns per operation of its
#    batches; the table gives the median of the boots' figures and their
#    range [min-max].
#  - stress-ng (Debian's, from the host through hostfs, run by uml/run)
#    booted the same way, --stress-runs times (5) per kernel in rounds:
#    one boot runs the mmap, mremap, brk, fork and vm stressors one after
#    the other, each alone with 1 worker, --timeout 10s, --verify and
#    --metrics (sizes below, small because a page fault costs ~50 us on
#    UML here); the figure is bogo ops/s (real time), the median of the
#    boots' with their range. After each stressor, stress-ng --get for
#    3 s: a control, as the loops' (uml/loops.c), of system calls no
#    patch touches, timed in the seconds after the stressor's.
# Every boot runs pinned to one host CPU (taskset): unpinned, UML's
# kernel and its guest processes (host processes it switches between
# with ptrace) land on both CPUs and a system call took about 4x as long,
# in modes that changed from boot to boot (mmap1 38-202 us, mremap_move1
# 126-685 us in 6 boots, 2026-12-03; pinned to CPU 0 or 1, 12 boots:
# 29-37 us and 36-48 us, either kernel). A round's on and off boots run
# one after the other on CPU 1 (--cpu N), or with --cpu pair and
# --stress-runs 0 at once, one on CPU 0 and one on CPU 1, swapped each
# round (common.sh's bench_round): the loops run for seconds each, in step
# on both kernels, so the host's speed, which drifts in stretches of
# seconds, is the same for both; stress-ng's stressors do not keep step
# (results.md, "2026-12-06 night").
# The rounds hold the machine's build lock (kbuild_lock), one round (the
# on and off boots of each kind) at a time, so that no kernel build runs
# beside the timed boots. The lock does not keep out other work (another
# UML test run, e.g. make selftests, takes no lock): before a round the
# script waits up to --quiet-wait seconds (120) while the machine is more
# than 25 % busy, and it prints, per boot, how busy the other CPUs were
# (other_busy, also in the JSON), so a disturbed boot shows.
#
# Ends with "ratio NAME VALUE" lines, above 1 = the feature is slower:
#   ratio loop_NAME           on/off of the median ns per operation
#   ratio loop_NAME:syscall   on/off of the control (a getppid() system
#                             call timed after each batch; no kernel's
#                             series touches it: its ratio is the host's)
#   ratio loop_NAME:per_syscall  on/off of the median of each boot's ns
#                             per operation over its control's ns
#   ratio stress_NAME_bogo_ops  off/on of the median bogo ops/s (a rate,
#                               so inverted: above 1 is slower here too)
#   ratio stress_NAME_bogo_ops:control, :per_control  the same of the
#                             control run after each stressor (stress-ng
#                             --get), and of the stressor's bogo ops/s
#                             over its control's
# Every boot's figures go to build/bench-loops.json (or --json FILE).
# Arguments after "--" go to uml/loops (KEY=VALUE: secs, batch_ms, mb,
# pf_mb, loops=NAME,...).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--runs N] [--stress-runs N] [--stress-timeout S] [--mem SIZE] [--json FILE] [-- LOOPS_ARG...]"
	echo "  --runs N            uml/loops boots per kernel, in rounds of one of each (default 7; 0: none)"
	echo "  --stress-runs N     stress-ng boots per kernel, in rounds (default 5; 0: none)"
	echo "  --stress-timeout S  seconds per stressor (stress-ng --timeout; default 10)"
	echo "  --stressors LIST    the stressors to run, comma-separated (default mmap,mremap,brk,fork,vm)"
	echo "  --mem SIZE          the guests' memory, mem=SIZE (default 1G)"
	echo "  --cpu N|none|pair   host CPU the boots run on (taskset; default 1; none: unpinned);"
	echo "                      pair: the loops' two boots of a round at once on CPUs 0 and 1,"
	echo "                      swapped each round (with --stress-runs 0)"
	echo "  --quiet-wait S      before a round, wait up to S s while the machine is >25% busy (default 120; 0: no)"
	echo "  e.g. ${0##*/} --runs 1 --stress-runs 0 -- secs=1 loops=mmap1,brk1"
}
json=$BUILD/bench-loops.json
runs=7
stress_runs=5
stress_secs=10
only_stressors=''
mem=1G
cpu=1
quiet_wait=120
quiet_waited=0
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--runs) [[ ${2:-} =~ ^[0-9]+$ ]] || { usage >&2; die "--runs needs a number"; }; runs=$2; shift 2 ;;
	--stress-runs) [[ ${2:-} =~ ^[0-9]+$ ]] || { usage >&2; die "--stress-runs needs a number"; }
		stress_runs=$2; shift 2 ;;
	--stress-timeout) positive_arg --stress-timeout "${2:-}"; stress_secs=$2; shift 2 ;;
	--stressors) [ -n "${2:-}" ] || { usage >&2; die "--stressors needs a list, e.g. fork,brk"; }
		only_stressors=$2; shift 2 ;;
	--mem) [ -n "${2:-}" ] || { usage >&2; die "--mem needs a size"; }; mem=$2; shift 2 ;;
	--cpu) bench_cpu_arg --cpu "${2:-}" pair; cpu=$2; shift 2 ;;
	--quiet-wait) [[ ${2:-} =~ ^[0-9]+$ ]] || { usage >&2; die "--quiet-wait needs a number of seconds"; }
		quiet_wait=$2; shift 2 ;;
	--json) [ -n "${2:-}" ] || { usage >&2; die "--json needs a file"; }; json=$2; shift 2 ;;
	--) shift; break ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
done
[ "$runs" -gt 0 ] || [ "$stress_runs" -gt 0 ] || die "--runs 0 and --stress-runs 0: nothing to run"
# In a pair the stressors, which keep no step, ran beside different work
# of the other kernel: vm 0.41 and mmap 0.78 off/on (results.md).
[ "$cpu" != pair ] || [ "$stress_runs" = 0 ] ||
	die "--cpu pair times the loops only: add --stress-runs 0 (stress-ng's stressors keep no step between the kernels)"
tmp=$BUILD/loops-tmp
# Each kernel its own directory: in a pair they run at once.
loop_args=(secs=2 batch_ms=100 mb=128 pf_mb=8)
for a in "$@"; do
	[[ $a == ?*=* ]] || { usage >&2; die "program argument '$a' is not KEY=VALUE"; }
	for i in "${!loop_args[@]}"; do
		[ "${loop_args[i]%%=*}" = "${a%%=*}" ] && unset 'loop_args[i]'
	done
	loop_args+=("$a")
done
# One stressor at a time, 1 worker; --verify where the stressor has it
# (mmap, mremap, vm check their data). Sizes: what gives tens to thousands
# of bogo ops in 10 s on UML (mmap 4M gave 1.2 ops/s here: too coarse).
stressors=("mmap --mmap-bytes 512K" "mremap --mremap-bytes 4M" "brk" "fork"
	   "vm --vm-bytes 16M")
# The control after each stressor: stress-ng's get stressor (getpid(),
# getrlimit(), uname() and the like: system calls no patch of either
# kernel touches) for control_secs, its bogo ops/s the host's speed in
# the seconds after the stressor's, as uml/loops' getppid() control.
control_secs=3
if [ -n "$only_stressors" ]; then
	picked=()
	for name in ${only_stressors//,/ }; do
		for s in "${stressors[@]}"; do
			[ "${s%% *}" = "$name" ] && picked+=("$s") && continue 2
		done
		die "--stressors: '$name' is none of: $(printf '%s ' "${stressors[@]%% *}")"
	done
	stressors=("${picked[@]}")
fi

for v in on off; do
	bench_kcheck "$v" 0 CONFIG_HOSTFS CONFIG_PROC_FS CONFIG_SYSFS
done
ncpus=$(nproc)	# before pin: nproc counts the CPUs it may run on
mkdir -p "$(dirname "$json")" "$tmp/on" "$tmp/off"
[ "$runs" -gt 0 ] && loops=$(guest_program loops)
if [ "$stress_runs" -gt 0 ]; then
	command -v stress-ng >/dev/null || die "no stress-ng; run 'make deps' (scripts/deps.sh stress-ng)"
	stress_ng=$(command -v stress-ng)
	run_prog=$(guest_program run)
	# The guest runs this script (through hostfs) with uml/run as init.
	stress_sh=$BUILD/bench-stress.sh
	{
		echo '#!/bin/sh'
		echo "# written by ${0##*/}: the stressors one at a time, in directory \$1"
		echo 'cd "$1" || exit 1'
		for s in "${stressors[@]}"; do
			echo "'$stress_ng' --temp-path \"\$1\" --${s%% *} 1 ${s#"${s%% *}"} --timeout ${stress_secs}s --verify --metrics 2>&1"
			echo "echo \"bench-stress: ${s%% *} exit=\$?\""
			echo "'$stress_ng' --temp-path \"\$1\" --get 1 --timeout ${control_secs}s --metrics 2>&1"
			echo "echo \"bench-stress: control after ${s%% *} exit=\$?\""
		done
	} >"$stress_sh"
	chmod +x "$stress_sh"
fi

# other_busy CPU START_NS START_JIFFIES: the percentage of time the CPUs
# other than CPU were busy since START (jiffies of /proc/stat: user,
# nice, system, irq, softirq, steal), "-" when not pinned or in a pair
# (the other kernel keeps the other CPU busy): work beside the boot,
# which the build lock does not keep out (only builds).
busy_jiffies() {
	awk -v c="cpu$1" '$1 ~ /^cpu[0-9]+$/ && $1 != c { b += $2 + $3 + $4 + $7 + $8 + $9 }
		END { print b + 0 }' /proc/stat
}
other_busy() {
	local c=$1
	shift
	[ "$cpu" != none ] && [ "$cpu" != pair ] && [ "$ncpus" -gt 1 ] || { echo -; return; }
	awk -v t0="$1" -v j0="$2" -v t1="$(date +%s%N)" -v j1="$(busy_jiffies "$c")" \
	    -v hz="$(getconf CLK_TCK)" -v n="$((ncpus - 1))" \
		'BEGIN { printf "%.0f\n", 100 * (j1 - j0) / hz / ((t1 - t0) / 1e9) / n }'
}

# wait_quiet: before a round (holding the lock), wait while the machine
# is more than 25 % busy over 2 s (all CPUs: other work, such as another
# UML test run, which the build lock does not keep out), at most
# --quiet-wait seconds; then go on and say so.
wait_quiet() {
	local t0 j0 b waited_here=0 all
	[ "$quiet_wait" -gt 0 ] || return 0
	while :; do
		t0=$(date +%s%N)
		j0=$(awk '$1 ~ /^cpu[0-9]+$/ { b += $2 + $3 + $4 + $7 + $8 + $9 } END { print b + 0 }' /proc/stat)
		sleep 2
		b=$(awk -v t0="$t0" -v j0="$j0" -v t1="$(date +%s%N)" -v hz="$(getconf CLK_TCK)" -v n="$ncpus" \
			'$1 ~ /^cpu[0-9]+$/ { j += $2 + $3 + $4 + $7 + $8 + $9 }
			 END { printf "%.0f\n", 100 * (j - j0) / hz / ((t1 - t0) / 1e9) / n }' /proc/stat)
		[ "$b" -le 25 ] && return 0
		if [ "$waited_here" -ge "$quiet_wait" ]; then
			log "the machine is still $b% busy after ${quiet_wait} s; timing anyway (other_busy shows it)"
			return 0
		fi
		[ "$waited_here" = 0 ] && log "the machine is $b% busy (other work); waiting up to ${quiet_wait} s"
		waited_here=$((waited_here + 2))
		quiet_waited=$((quiet_waited + 2))
	done
}

# loops_boot CPU VARIANT N: uml/loops on the VARIANT kernel (run N) on
# host CPU CPU (bench_round); its figure lines with run=N, or die with the
# log's errors.
loops_boot() {
	local c=$1 log=$BUILD/bench-loops-$2-$3.log t0 j0 busy
	shift
	bench_pin "$c"
	t0=$(date +%s%N) j0=$(busy_jiffies "$c")
	uml_boot "$(bench_kdir "$1")/linux" "$log" 600 "$loops" "mem=$mem" -- \
		"dir=$tmp/$1" "${loop_args[@]}"
	busy=$(other_busy "$c" "$t0" "$j0")
	if ! grep -qa '^loops: PASS' "$log"; then
		grep -a 'loops: error' "$log" | tr -d '\r' | head -10 >&2 || true
		grep -qa '^loops: FAIL' "$log" ||
			die "no result from uml/loops on the $1 kernel, run $2, within 600 s (log: $log)"
		die "uml/loops failed on the $1 kernel, run $2 (log: $log)"
	fi
	grep -a '^loops: [a-z_0-9]* ops=' "$log" | tr -d '\r' | sed "s/\$/ run=$2 other_busy=$busy/"
}

# stress_boot CPU VARIANT N: the stressors on the VARIANT kernel (run N)
# on host CPU CPU (bench_round); "stress NAME bogo_ops= real_s= ops_s=
# run=N" lines, or die.
stress_boot() {
	local c=$1 log=$BUILD/bench-stress-$2-$3.log s name t0 j0 busy
	shift
	bench_pin "$c"
	t0=$(date +%s%N) j0=$(busy_jiffies "$c")
	uml_boot "$(bench_kdir "$1")/linux" "$log" $((${#stressors[@]} * (stress_secs + control_secs + 90) + 60)) \
		"$run_prog" "mem=$mem" -- "$stress_sh" "$tmp/$1"
	busy=$(other_busy "$c" "$t0" "$j0")
	tr -d '\r' <"$log" >"$log.txt"
	grep -qx 'run: exit 0' "$log.txt" ||
		die "stress-ng did not finish on the $1 kernel, run $2 (log: $log)"
	for s in "${stressors[@]}"; do
		name=${s%% *}
		grep -qx "bench-stress: $name exit=0" "$log.txt" || {
			grep -aE "stress-ng: (fail|error)" "$log.txt" | head -5 >&2 || true
			die "stress-ng --$name failed on the $1 kernel, run $2 (log: $log)"
		}
		# metrc: [pid] NAME bogo_ops real usr sys ops/s(real) ops/s(usr+sys) ...
		grep -qx "bench-stress: control after $name exit=0" "$log.txt" ||
			die "stress-ng --get (the control after --$name) failed on the $1 kernel, run $2 (log: $log)"
		# The stressor's line, then the first get line after its exit.
		awk -v n="$name" -v r="$2" -v b="$busy" '$1 == "stress-ng:" && $2 == "metrc:" && $4 == n &&
			$5 ~ /^[0-9]+$/ && !f { line = "stress " n " bogo_ops=" $5 " real_s=" $6 " ops_s=" $9; f = 1 }
			$0 == "bench-stress: " n " exit=0" { after = 1 }
			after && $1 == "stress-ng:" && $2 == "metrc:" && $4 == "get" && $5 ~ /^[0-9]+$/ && !c {
				ctl = $9; c = 1 }
			END { if (f && c) print line " ctl_ops_s=" ctl " run=" r " other_busy=" b; exit !(f && c) }' "$log.txt" ||
			die "no metrics line of stress-ng --$name or of its control on the $1 kernel, run $2 (log: $log)"
	done
	rm -f "$log.txt"
}

start=$SECONDS
echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); host: $(uname -srm), $(nproc) CPUs; tree: $(git -C "$TREE" describe --always --tags 2>/dev/null || echo unknown); mem=$mem; boots $(if [ "$cpu" = pair ]; then echo "in pairs, on and off at once on CPUs 0 and 1"; else echo "on CPU $cpu"; fi)"
[ "$runs" -gt 0 ] && echo "loops: $runs boots per kernel; ${loop_args[*]}"
[ "$stress_runs" -gt 0 ] && echo "stress-ng $($stress_ng --version | awk '{ print $3 }'): $stress_runs boots per kernel; each stressor alone, 1 worker, --timeout ${stress_secs}s --verify --metrics: $(printf '%s; ' "${stressors[@]}")"
echo "bench kernels built: on $(date -u -r "$(bench_kdir on)/linux" '+%Y-%m-%d %H:%M UTC'), off $(date -u -r "$(bench_kdir off)/linux" '+%Y-%m-%d %H:%M UTC')"
declare -A loops_out=([on]='' [off]='') stress_out=([on]='' [off]='')
waited=0
for ((i = 1; i <= (runs > stress_runs ? runs : stress_runs); i++)); do
	# One round under the build lock: no kernel build beside the timed boots.
	t=$SECONDS
	kbuild_lock
	waited=$((waited + SECONDS - t))
	wait_quiet
	if [ "$i" -le "$runs" ]; then
		log "loops run $i of $runs: $(bench_round_how "$i" "$cpu")"
		bench_round "$i" "$cpu" loops_boot "$i"
		for v in on off; do
			loops_out[$v]+=${BENCH_ROUND_OUT[$v]}$'\n'
		done
	fi
	if [ "$i" -le "$stress_runs" ]; then
		log "stress-ng run $i of $stress_runs: $(bench_round_how "$i" "$cpu")"
		bench_round "$i" "$cpu" stress_boot "$i"
		for v in on off; do
			stress_out[$v]+=${BENCH_ROUND_OUT[$v]}$'\n'
		done
	fi
	kbuild_unlock
done
HOW=$(if [ "$cpu" = pair ]; then echo "in pairs at once"; else echo interleaved; fi) \
CTL=$control_secs ARGS="${loop_args[*]}" LON="${loops_out[on]}" LOFF="${loops_out[off]}" SON="${stress_out[on]}" SOFF="${stress_out[off]}" JSON="$json" \
	PYTHONPATH="$PROJECT/scripts" python3 - <<'EOF'
import json, os, re, statistics

from bench_lines import paired

def parse(text, kind):
    """figures[name] = [(run, value, extra)] of one kernel."""
    fig = {}
    for line in text.splitlines():
        f = dict(re.findall(r'(\w+)=(\S+)', line))
        if kind == 'loops' and line.startswith('loops: '):
            fig.setdefault(line.split()[1], []).append(
                (int(f['run']), float(f['ns_per_op']),
                 {k: f[k] for k in ('ops', 'batches', 'min', 'max', 'vmas', 'other_busy', 'ref_ns', 'pfn_runs')
                  if k in f}))
        elif kind == 'stress' and line.startswith('stress '):
            fig.setdefault(line.split()[1], []).append(
                (int(f['run']), float(f['ops_s']), {'bogo_ops': int(f['bogo_ops']), 'real_s': float(f['real_s']),
                 'ctl_ops_s': float(f['ctl_ops_s']), 'other_busy': f['other_busy']}))
    return fig

def summary(v):
    x = [e[1] for e in v]
    return statistics.median(x), min(x), max(x)

def by_run(a, b):
    """the figures of the runs both kernels have, in run order: a's, b's"""
    fa, fb = {r: x for r, x, _ in a}, {r: x for r, x, _ in b}
    runs = sorted(set(fa) & set(fb))
    return [fa[r] for r in runs], [fb[r] for r in runs]

def ratio_pair(x, y):
    """x over y: the ratio of the medians, and paired (each run's, their median)"""
    return summary(x)[0] / summary(y)[0], paired(*by_run(x, y))

def over_control(a, b, key, scale=1.0):
    """a's and b's control (extra KEY, times SCALE) and their figures over it,
    each [(run, value, extra)]: uml/loops.c's ref_ns, stress-ng --get's rate"""
    ctl = [[(r, float(e[key]) * scale, e) for r, _, e in x] for x in (a, b)]
    rel = [[(r, v / float(e[key]), e) for r, v, e in x] for x in (a, b)]
    return ctl, rel

def cell(v):
    m, lo, hi = summary(v)
    p = 2 if m < 100 else 1 if m < 10000 else 0
    return f"{m:.{p}f} [{lo:.{p}f}-{hi:.{p}f}]"

ratios, out = [], {}
how = os.environ['HOW']
lon, loff = parse(os.environ['LON'], 'loops'), parse(os.environ['LOFF'], 'loops')
if lon:
    n = len(next(iter(lon.values())))
    print()
    print(f"uml/loops, mem=1G; {n} boots per kernel, {how}; us per operation: the median of")
    print("the boots' figures (each the median of its batches) [lowest-highest boot]; ratio: on/off;")
    print("paired: the median of each run's on/off (the round's two boots)")
    a = dict(w.split('=', 1) for w in os.environ['ARGS'].split())
    print(f"An operation: mmap1 mmap+munmap of {a['mb']} MiB; brk1 brk grow+shrink by a page; page_fault1/2")
    print(f"mmap of {a['pf_mb']} MiB, a write to each page, munmap (anonymous / MAP_PRIVATE of a hostfs file);")
    print("fork fork+exit+wait; mremap_move1/64 one move of 1/64 faulted pages; mremap_grow64 grow 64")
    print("faulted pages to 128 in place and shrink back; *_child: the same in a fork child;")
    print("*_parent: the same while a fork child waits.")
    print(f"{'loop':<15}{'ANON_SPACE_RMAP=y':>30}{'ANON_SPACE=n':>30}{'ratio':>7}{'paired':>8}")
    for name in lon:
        a, b = [(r, v / 1000, e) for r, v, e in lon[name]], [(r, v / 1000, e) for r, v, e in loff.get(name, [])]
        if not b:
            continue
        r, pr = ratio_pair(a, b)
        print(f"{name:<15}{cell(a):>30}{cell(b):>30}{r:>7.2f}{pr:>8.2f}")
        ratios.append((f"loop_{name}", r))
        ratios.append((f"loop_{name}:paired", pr))
        out[f"loop_{name}"] = {'unit': 'ns_per_op', 'on': lon[name], 'off': loff[name], 'ratio': r,
                               'paired_ratio': pr}
    # The control (uml/loops.c): each boot's figure over the ns of a getppid()
    # system call in the same seconds, on and off; and the control itself.
    print()
    print("The control: a getppid() system call timed after each batch of the loop, neither kernel's")
    print("series touches it; us per call, median [lowest-highest boot], ratio on/off. Then the loop's")
    print("operation in such system calls (each boot's figure over its control): median on, off, and")
    print("the ratio of those medians, paired: the median of each run's. On UML a system call is a")
    print("round trip through the host, whose speed moves between boots (both kernels alike).")
    print(f"{'loop':<15}{'syscall y':>24}{'syscall n':>24}{'ratio':>7}{'ops y':>9}{'ops n':>9}{'ratio':>7}{'paired':>8}")
    for name in lon:
        if name not in loff:
            continue
        ref, rel = over_control(lon[name], loff[name], 'ref_ns', 1 / 1000)
        rr = ratio_pair(ref[0], ref[1])[0]
        r, pr = ratio_pair(rel[0], rel[1])
        print(f"{name:<15}{cell(ref[0]):>24}{cell(ref[1]):>24}{rr:>7.2f}"
              f"{summary(rel[0])[0]:>9.2f}{summary(rel[1])[0]:>9.2f}{r:>7.2f}{pr:>8.2f}")
        ratios.append((f"loop_{name}:syscall", rr))
        ratios.append((f"loop_{name}:per_syscall", r))
        ratios.append((f"loop_{name}:per_syscall_paired", pr))
        out[f"loop_{name}"].update(syscall_ratio=rr, per_syscall_ratio=r, per_syscall_paired=pr)
    # The moves' page frames (uml/loops.c: one host mmap per run of them).
    moves = [n for n in lon if any('pfn_runs' in e for _, _, e in lon[n])]
    if moves:
        print()
        print("The moved region's page frames in runs of consecutive ones, per boot (run 1, 2, ...):")
        print("UML maps each run into the host with one mmap, so a move's time follows them.")
        def pfn_runs(fig, name, run):
            return next((e.get('pfn_runs', '-') for r, _, e in fig.get(name, []) if r == run), '-')
        for name in moves:
            per = [f"{pfn_runs(lon, name, run)}/{pfn_runs(loff, name, run)}"
                   for run in sorted({r for r, _, _ in lon[name]})]
            print(f"  {name}: on/off {' '.join(per)}")
son, soff = parse(os.environ['SON'], 'stress'), parse(os.environ['SOFF'], 'stress')
if son:
    n = len(next(iter(son.values())))
    print()
    print(f"stress-ng, mem=1G; {n} boots per kernel, {how}; bogo ops/s (real time): the median")
    print("[lowest-highest boot]; ratio: off/on (above 1: on is slower); paired: the median of each")
    print("run's off/on (the round's two boots); bogo ops: the median count")
    print(f"{'stressor':<10}{'ANON_SPACE_RMAP=y':>30}{'ANON_SPACE=n':>30}{'ratio':>7}{'paired':>8}{'bogo ops y/n':>16}")
    for name in son:
        a, b = son[name], soff.get(name, [])
        if not b:
            continue
        r, pr = ratio_pair(b, a)
        ops = '/'.join(f"{statistics.median(e[2]['bogo_ops'] for e in x):.0f}" for x in (a, b))
        print(f"{name:<10}{cell(a):>30}{cell(b):>30}{r:>7.2f}{pr:>8.2f}{ops:>16}")
        ratios.append((f"stress_{name}_bogo_ops", r))
        ratios.append((f"stress_{name}_bogo_ops:paired", pr))
        out[f"stress_{name}"] = {'unit': 'bogo_ops_per_s', 'on': son[name], 'off': soff[name], 'ratio': r,
                                 'paired_ratio': pr}
    print()
    print(f"The control: stress-ng --get ({os.environ['CTL']} s, system calls no patch touches) after each")
    print("stressor, bogo ops/s, median [lowest-highest boot], ratio off/on. Then the stressor's bogo")
    print("ops/s over its control's: median on, off, ratio off/on, paired: the median of each run's.")
    print(f"{'stressor':<10}{'control y':>26}{'control n':>26}{'ratio':>7}{'per ctl y':>11}{'per ctl n':>11}{'ratio':>7}{'paired':>8}")
    for name in son:
        if name not in soff:
            continue
        ctl, rel = over_control(son[name], soff[name], 'ctl_ops_s')
        cr = ratio_pair(ctl[1], ctl[0])[0]
        r, pr = ratio_pair(rel[1], rel[0])
        print(f"{name:<10}{cell(ctl[0]):>26}{cell(ctl[1]):>26}{cr:>7.2f}"
              f"{summary(rel[0])[0]:>11.4f}{summary(rel[1])[0]:>11.4f}{r:>7.2f}{pr:>8.2f}")
        ratios.append((f"stress_{name}_bogo_ops:control", cr))
        ratios.append((f"stress_{name}_bogo_ops:per_control", r))
        ratios.append((f"stress_{name}_bogo_ops:per_control_paired", pr))
        out[f"stress_{name}"].update(control_ratio=cr, per_control_ratio=r, per_control_paired=pr)
def busy(fig):
    """other_busy per boot (run), from any figure of that boot"""
    runs = {}
    for v in fig.values():
        for r, _, e in v:
            runs[r] = e['other_busy']
    return ' '.join(f"{runs[r]}%" if runs[r] != '-' else '-' for r in sorted(runs))

if lon or son:
    print()
    print("The other CPUs busy during each boot (run 1, 2, ...; work beside the boots: the lock keeps out builds only):")
    for what, y, n in (('loops', lon, loff), ('stress-ng', son, soff)):
        if y:
            print(f"  {what}: on {busy(y)}; off {busy(n)}")
print()
for name, r in ratios:
    print(f"ratio {name} {r:.2f}")
with open(os.environ['JSON'], 'w') as f:
    json.dump(out, f, indent=1)
EOF
echo "bench-loops: $runs loops and $stress_runs stress-ng boots per kernel in $((SECONDS - start)) s ($waited s of it waiting for the build lock, $quiet_waited s for a quiet machine); figures also in $json"
