#!/usr/bin/env bash
# The fork-tree, server and realloc-heavy workloads of issue 10 (part 1),
# measured on the two bench kernels that scripts/bench-uml.sh builds
# (build/linux/.kunit-bench-on: CONFIG_ANON_SPACE=y and
# CONFIG_ANON_SPACE_RMAP=y; .kunit-bench-off: mainline's anon_vma alone).
# It builds no kernel: it needs both built (make bench builds them first).
#
# uml/forktree (built static, guest_program) is booted as init on each
# kernel with mem=1G and slab_nomerge (so anon_vma_chain and any
# anon_space cache are caches of their own in /proc/slabinfo), --runs
# times (5), in rounds of one boot of each (common.sh's bench_round), one
# after the other on one host CPU (--cpu, default 1): on, off, then off,
# on, ... (bench_order). Not both at once, as bench-loops.sh runs its
# boots: forktree's parts are counts of forks, not seconds, so the two
# kernels reach them at different times, and each part then ran beside a
# different part of the other (3 runs in pairs, 2026-12-06 21:19 UTC:
# the server's operation 3.16 on over off, its control 2.63). Each boot
# runs, seeded:
#  - the fork tree for 10, 100 and 1000 children and a depth-3 tree of
#    100 children with 9 grandchildren each: fork time (total and per
#    fork), the children's copy on write, exit time, rmap metadata in
#    slab (anon_vma, anon_vma_chain, anon_space*) and the VMAs of the
#    parent and of a child;
#  - 8 server workers, each its own family, forking short-lived
#    children: fork+exit+wait per operation, rmap bytes per family;
#  - a realloc-heavy heap (mremap MAYMOVE): the VMAs it ends with.
# Prints the medians side by side and "ratio FIGURE:children=N VALUE"
# lines (the feature's median over mainline's: above 1 is slower or
# bigger), with a control beside the forks, the server's operation and
# the heap's mremap ("ratio ...:syscall", a getppid() system call timed
# right after the part, which no patch touches: its ratio is the host's)
# and the figure over it ("ratio ...:per_syscall"), and writes every
# run's figures to build/bench-forktree.json
# (or --json FILE). Arguments after "--" go to the program (KEY=VALUE,
# uml/forktree.c), replacing the defaults below where they name the same
# key.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--runs N] [--mem SIZE] [--timeout SECONDS] [--json FILE] [-- FORKTREE_ARG...]"
	echo "  --runs N     boots per kernel, in rounds of one of each (default 5)"
	echo "  --mem SIZE   the guests' memory, mem=SIZE (default 1G)"
	echo "  --timeout S  seconds per boot before the guest is killed (default 600)"
	echo "  --cpu N|none host CPU the boots run on (taskset; default 1; none: unpinned)"
	echo "  e.g. ${0##*/} --runs 1 -- children=10,100 seed=7"
}
json=$BUILD/bench-forktree.json
runs=5
mem=1G
secs=600
cpu=1
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--runs) positive_arg --runs "${2:-}"; runs=$2; shift 2 ;;
	--mem) [ -n "${2:-}" ] || { usage >&2; die "--mem needs a size"; }; mem=$2; shift 2 ;;
	--timeout) positive_arg --timeout "${2:-}"; secs=$2; shift 2 ;;
	--cpu) bench_cpu_arg --cpu "${2:-}"; cpu=$2; shift 2 ;;
	--json) [ -n "${2:-}" ] || { usage >&2; die "--json needs a file"; }; json=$2; shift 2 ;;
	--) shift; break ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
done
args=(seed=1 vmas=16 pages=16 cow=25 'children=10,100,1000,100x9'
      workers=8 ops=100 heap=256 touch=4 bufs=32 grows=2000 maxgrow=4 cap=256)
for a in "$@"; do
	[[ $a == ?*=* ]] || { usage >&2; die "program argument '$a' is not KEY=VALUE"; }
	for i in "${!args[@]}"; do
		[ "${args[i]%%=*}" = "${a%%=*}" ] && unset 'args[i]'
	done
	args+=("$a")
done

# /proc/slabinfo and hostfs: what forktree reads and runs from.
for v in on off; do
	bench_kcheck "$v" 0 CONFIG_HOSTFS CONFIG_PROC_FS CONFIG_SYSFS CONFIG_SLUB_DEBUG
done
prog=$(guest_program forktree)
mkdir -p "$(dirname "$json")"

# boot CPU VARIANT N: uml/forktree on the VARIANT kernel (run N) on host
# CPU CPU (bench_round); its "forktree:" lines with run=N, or die with the
# log's errors.
boot() {
	local log=$BUILD/bench-forktree-$2-$3.log
	bench_pin "$1"
	shift
	uml_boot "$(bench_kdir "$1")/linux" "$log" "$secs" "$prog" \
		"mem=$mem" slab_nomerge -- "${args[@]}"
	if ! grep -qa '^forktree: PASS' "$log"; then
		grep -a 'forktree: error' "$log" | tr -d '\r' | head -5 >&2 || true
		grep -qa '^forktree: FAIL' "$log" ||
			die "no result from forktree on the $1 kernel, run $2, within ${secs} s (--timeout; log: $log)"
		die "forktree failed on the $1 kernel, run $2 (log: $log)"
	fi
	grep -a '^forktree: ' "$log" | tr -d '\r' | sed "s/\$/ run=$2/"
}

start=$SECONDS
echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); host: $(uname -srm), $(nproc) CPUs; tree: $(git -C "$TREE" describe --always --tags 2>/dev/null || echo unknown); runs: $runs per kernel on CPU $cpu, mem=$mem slab_nomerge; forktree ${args[*]}"
declare -A out=([on]='' [off]='')
for ((i = 1; i <= runs; i++)); do
	log "forktree run $i of $runs: $(bench_round_how "$i" "$cpu")"
	bench_round "$i" "$cpu" boot "$i"
	for v in on off; do
		out[$v]+=${BENCH_ROUND_OUT[$v]}$'\n'
	done
done
ON="${out[on]}" OFF="${out[off]}" JSON="$json" MEM="$mem" PYTHONPATH="$PROJECT/scripts" python3 - <<'EOF'
import json, os, re, statistics

from bench_lines import paired, ratio as bench_ratio

def kv(line):
    return dict(re.findall(r'(\w+)=(\S+)', line))

def control(r, part, what, us, f):
    """the control after a part (uml/guest.h's null_syscall_ns()), and the
    part's figure in such system calls"""
    if 'syscall_ns' in f:
        r[(part, what + '_syscall_ns')] = float(f['syscall_ns'])
        r[(part, what + '_per_syscall')] = us * 1000 / float(f['syscall_ns'])

def parse(text):
    """runs[run] = {key: value} for every figure of one kernel."""
    runs = {}
    for line in text.splitlines():
        if not line.startswith('forktree: '):
            continue
        f = kv(line)
        r = runs.setdefault(int(f['run']), {})
        w = line.split()
        if w[1] == 'tree' and 'children' in f:
            g = int(f['grand'])
            tree = f"{f['children']}x{g}" if g else f['children']
            what = w[4]
            if what == 'fork':
                r[(tree, 'fork_ms')] = float(f['total_ms'])
                r[(tree, 'fork_us_median')] = float(f['per_fork_us_median'])
                control(r, tree, 'fork', float(f['per_fork_us_median']), f)
            elif what in ('cow', 'exit'):
                r[(tree, what + '_ms')] = float(f['ms'])
            elif what == 'rmap_bytes':
                r[(tree, 'rmap_bytes')] = int(f['bytes'])
                r[(tree, 'rmap_per_child')] = float(f['per_child'])
                r[(tree, 'caches')] = f['caches']
            elif what == 'vmas':
                r[(tree, 'vmas_parent')] = int(f['parent'])
                r[(tree, 'vmas_child')] = int(f['child'])
            elif what == 'slab' and 'cache' in f and line.split()[-2] == 'absent':
                r.setdefault(('absent', 'caches'), set()).add(f['cache'])
            elif what == 'slabctx' and 'meminfo_slab_delta_kb' in f:
                r[(tree, 'slab_kb')] = int(f['meminfo_slab_delta_kb'])
            elif what == 'mem':
                r[(tree, 'memfree_mb')] = int(f['parked_memfree_mb'])
        elif w[1] == 'server' and 'workers' in f and 'standing' in w and 'per_family' in f:
            r[('server', 'rmap_per_family')] = float(f['per_family'])
        elif w[1] == 'server' and 'workers' in f and 'op_us_median' in f:
            r[('server', 'op_us_median')] = float(f['op_us_median'])
            control(r, 'server', 'op', float(f['op_us_median']), f)
            r[('server', 'wall_ms')] = float(f['wall_ms'])
            r[('server', 'leftover_rmap_bytes')] = int(f['leftover_rmap_bytes'])
        elif w[1] == 'heap' and w[2] == 'mremap':
            r[('heap', 'mremap_us_median')] = float(f['mremap_us_median'])
            control(r, 'heap', 'mremap', float(f['mremap_us_median']), f)
            r[('heap', 'moves')] = int(f['moves'])
        elif w[1] == 'heap' and w[2] == 'vmas':
            r[('heap', 'vmas_end')] = int(f['end'])
            r[('heap', 'vmas_after_mmaps')] = int(f['after_mmaps'])
        elif w[1] == 'heap' and w[2] == 'rmap_bytes':
            r[('heap', 'rmap_bytes')] = int(f['bytes'])
    return runs

on, off = parse(os.environ['ON']), parse(os.environ['OFF'])

def values(runs, key):
    return [r[key] for _, r in sorted(runs.items()) if key in r]

def med(runs, key):
    v = values(runs, key)
    return statistics.median(v) if v else None

def ratio(a, b):
    return None if a is None or b is None else bench_ratio(a, b)

def paired_runs(key):
    """the median of each run's on/off (the two boots next to each other)"""
    runs = sorted(r for r in on if r in off and key in on[r] and key in off[r])
    return paired([on[r][key] for r in runs], [off[r][key] for r in runs]) if runs else None

trees = []
for r in list(on.values()) + list(off.values()):
    for k in r:
        if k[1] == 'fork_ms' and k[0] not in trees:
            trees.append(k[0])
trees.sort(key=lambda t: (t.count('x'), int(t.split('x')[0])))
nruns = len(on)

def fmt(x, p=1):
    return '-' if x is None else f"{x:.{p}f}"

def span(runs, key, p):
    v = values(runs, key)
    return f"{min(v):.{p}f}-{max(v):.{p}f}" if len(v) > 1 and min(v) != max(v) else ''

print(f"uml/forktree, mem={os.environ['MEM']} slab_nomerge; median of {nruns} runs per kernel,"
      " interleaved; on = ANON_SPACE_RMAP=y, off = ANON_SPACE=n")
print("Fork tree: V=16 VMAs x P=16 pages (or as given), each child copies on write F% of the pages;")
print("NxG = N children with G grandchildren each. fork: total ms of the N forks (per-fork median us);")
print("cow: go to all parked; exit: release (closes in seeded order) to last wait; rmap bytes: slab delta")
print("of anon_vma + anon_vma_chain (+ anon_space* caches, when they exist) with every process parked.")
print("paired: the median of each run's on/off (the round's two boots: robust to boots")
print("that fall into modes of different speed, results.md).")
hdr = (f"{'tree':<8}{'figure':<17}{'on':>11}{'off':>11}{'ratio':>7}{'paired':>8}  {'on min-max':>19}  {'off min-max':>19}")
print(hdr)
ratios, out = [], {'runs': nruns, 'on': {}, 'off': {}}
rows = [('fork_ms', 'fork ms', 1), ('fork_us_median', 'per fork us', 1), ('cow_ms', 'cow ms', 1),
        ('exit_ms', 'exit ms', 1), ('rmap_bytes', 'rmap bytes', 0), ('rmap_per_child', 'rmap B/process', 0),
        ('slab_kb', 'all slab KiB', 0), ('vmas_parent', 'VMAs parent', 0), ('vmas_child', 'VMAs child', 0),
        ('memfree_mb', 'MemFree MiB', 0)]
for t in trees:
    for key, name, p in rows:
        a, b = med(on, (t, key)), med(off, (t, key))
        r = ratio(a, b)
        print(f"{t:<8}{name:<17}{fmt(a, p):>11}{fmt(b, p):>11}{fmt(r, 2):>7}{fmt(paired_runs((t, key)), 2):>8}"
              f"  {span(on, (t, key), p):>19}  {span(off, (t, key), p):>19}")
    for key, name in (('fork_ms', 'fork'), ('exit_ms', 'exit'), ('rmap_bytes', 'rmap_bytes')):
        ratios.append((f"{name}:children={t}", ratio(med(on, (t, key)), med(off, (t, key)))))
        if key != 'rmap_bytes':
            ratios.append((f"{name}:children={t}:paired", paired_runs((t, key))))
print()
print("Server: 8 (or as given) workers, each a fresh family (exec), each forking short-lived")
print("children that touch a few heap pages: fork+exit+wait us per operation (median of the")
print("workers' medians); rmap bytes per family with every worker holding its heap.")
print("Realloc heap: buffers grown with mremap(MREMAP_MAYMOVE); VMAs at the end.")
print(hdr.replace('tree    ', 'part    ', 1))
srows = [(('server', 'op_us_median'), 'server', 'op us', 1, 'server_op'),
         (('server', 'wall_ms'), 'server', 'wall ms', 1, None),
         (('server', 'rmap_per_family'), 'server', 'rmap B/family', 0, 'server_rmap_bytes_per_family'),
         (('server', 'leftover_rmap_bytes'), 'server', 'rmap B left', 0, None),
         (('heap', 'mremap_us_median'), 'heap', 'mremap us', 1, 'heap_mremap'),
         (('heap', 'moves'), 'heap', 'moves', 0, None),
         (('heap', 'vmas_after_mmaps'), 'heap', 'VMAs after mmaps', 0, None),
         (('heap', 'vmas_end'), 'heap', 'VMAs at end', 0, 'heap_vmas'),
         (('heap', 'rmap_bytes'), 'heap', 'rmap bytes', 0, None)]
for key, part, name, p, rname in srows:
    a, b = med(on, key), med(off, key)
    r = ratio(a, b)
    print(f"{part:<8}{name:<17}{fmt(a, p):>11}{fmt(b, p):>11}{fmt(r, 2):>7}{fmt(paired_runs(key), 2):>8}"
          f"  {span(on, key, p):>19}  {span(off, key, p):>19}")
    if rname:
        ratios.append((rname, r))
        if p:
            ratios.append((f"{rname}:paired", paired_runs(key)))
print()
print("The control: a getppid() system call timed right after each part (1024 calls), which no")
print("patch of either kernel touches, ns per call; then the part's figure (per fork us, server op us,")
print("heap mremap us) in such calls: on UML a system call is a round trip through the host, whose")
print("speed moves between boots and within one, both kernels alike; over the control it cancels.")
print(hdr.replace('tree    ', 'part    ', 1))
crows = [(t, 'fork') for t in trees] + [('server', 'op'), ('heap', 'mremap')]
for part, what in crows:
    for sfx, name, p in (('_syscall_ns', f'{what} control ns', 0), ('_per_syscall', f'{what} in calls', 2)):
        key = (part, what + sfx)
        a, b = med(on, key), med(off, key)
        if a is None or b is None:
            continue
        r = ratio(a, b)
        print(f"{part:<8}{name:<17}{fmt(a, p):>11}{fmt(b, p):>11}{fmt(r, 2):>7}{fmt(paired_runs(key), 2):>8}"
              f"  {span(on, key, p):>19}  {span(off, key, p):>19}")
        rname = {'fork': f"fork_us:children={part}", 'op': 'server_op', 'mremap': 'heap_mremap'}[what]
        rname += ':syscall' if sfx == '_syscall_ns' else ':per_syscall'
        ratios.append((rname, r))
        ratios.append((f"{rname}_paired", paired_runs(key)))
absent = sorted(set().union(*[r.get(('absent', 'caches'), set()) for r in
                              list(on.values()) + list(off.values())]))
caches_on = sorted({r[k] for r in on.values() for k in r if k[1] == 'caches' and k[0] != 'absent'})
print()
print(f"rmap caches summed: on {', '.join(caches_on) or '-'}; absent (not summed): {', '.join(absent) or 'none'}")
print()
for name, r in ratios:
    print(f"ratio {name} {fmt(r, 2)}")
for side, runs in (('on', on), ('off', off)):
    for run, r in sorted(runs.items()):
        out[side][run] = {f"{k[0]}:{k[1]}": (sorted(v) if isinstance(v, set) else v)
                          for k, v in r.items()}
out['ratios'] = {name: r for name, r in ratios}
with open(os.environ['JSON'], 'w') as f:
    json.dump(out, f, indent=1)
EOF
echo "bench-forktree: $runs runs per kernel in $((SECONDS - start)) s; figures also in $json"
