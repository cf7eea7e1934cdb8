// SPDX-License-Identifier: GPL-2.0
/*
 * forktree: the fork-tree, server and realloc-heavy workloads of issue 10
 * (part 1) as a real program, for scripts/bench-forktree.sh, on the bench
 * kernels with and without the series: fork and exit times, the VMAs
 * the processes have, and the reverse map's metadata in slab.
 *
 * Booted as init (common.sh's uml_boot) with its parameters after "--" as
 * KEY=VALUE words (defaults in "par" below; parts=tree,server,heap picks
 * the parts).  Init mounts proc and sysfs and runs each part in a process
 * of its own that it forks and that execs this program again
 * (/proc/self/exe), so that each part, and each server worker, starts from
 * a fresh mm: anon_vmas of its own and, with the series, an anon_space of
 * its own (exec gets a fresh mm, so a new space).
 *
 * tree	AIM7-style fork tree, once per entry of children=N[xG],...: the
 *	parent maps vmas=V separate anonymous VMAs of pages=P pages (one
 *	page of hole between two, so they cannot merge), writes every page,
 *	and forks N children, timing each fork() (CLOCK_MONOTONIC around
 *	the call).  A child at once closes the "go" pipe's write end and
 *	blocks reading it, so the parent's loop times forks, not children.
 *	When all are forked the parent closes "go"; each child writes
 *	(copies on write) cow=F percent of the pages (chosen by seed), forks
 *	G grandchildren that copy F percent too (NxG: a depth-3 tree; N
 *	alone: none), says "parked" on a pipe and blocks reading a pipe of
 *	its own.  With every child and grandchild parked, the parent reads
 *	/proc/slabinfo again, counts the lines of its /proc/self/maps and of
 *	child 0's, then closes the children's pipes in an order shuffled by
 *	the seed: a child closes its grandchildren's pipe, waits for them
 *	and exits.  The exit time runs from the first close to the last
 *	wait() of the parent.  The parent holds one pipe per child, so
 *	fork() k copies k descriptors more (the same on both kernels).
 * server  workers=K workers, each a fresh family: a worker maps heap=H
 *	pages and writes them, then, when all are ready, ops=M times forks a
 *	child that writes touch=T pages (copy on write) and exits, and waits
 *	for it: fork+exit+wait per operation, timed.  Init reads slabinfo
 *	before starting the workers, once all have their heap (the standing
 *	cost of K families) and once all have done their operations.
 * heap	one process (a fresh family) with bufs=B buffers of 1-4 pages
 *	grows a random one by 1..maxgrow=G pages grows=R times with
 *	mremap(MREMAP_MAYMOVE) (a buffer past cap=C pages is freed and
 *	mapped anew, as free() and malloc() would), writing every new page;
 *	then it checks every page of every buffer and counts its VMAs.
 *
 * Output, one figure per line, "forktree: PART [KEY=VALUE...] FIGURE
 * key=value ...", e.g.
 *
 *	forktree: tree children=N grand=G fork forked=N total_ms= per_fork_us_median= ... syscall_ns=
 *	forktree: tree children=N grand=G cow ms= parked=
 *	forktree: tree children=N grand=G slab cache=NAME objsize= before= after= delta_objs= delta_bytes=
 *	forktree: tree children=N grand=G slab cache=NAME absent
 *	forktree: tree children=N grand=G rmap_bytes bytes= per_child= per_child_vma= caches=...
 *	forktree: tree children=N grand=G vmas parent= child=
 *	forktree: tree children=N grand=G exit ms=
 *
 * and so on for "server" and "heap"; per_child counts children and
 * grandchildren.  syscall_ns, on the lines of the forks, the server's
 * operations and the heap's moves, is guest.h's control: CONTROL_CALLS
 * getppid() calls timed right after the part ran.  Slab figures are
 * active_objs * objsize of /proc/slabinfo
 * (boot with slab_nomerge, or anon_vma_chain shares a cache with other
 * 64-byte objects), read right after a kmem_cache_shrink() of each cache
 * reported (slab_shrink(): without it SLUB counts the free objects of a
 * CPU's slabs as active and small deltas read 0); "slab exact=no" says a
 * shrink failed.  rmap_bytes sums anon_vma, anon_vma_chain and every cache whose
 * name starts with anon_space; a cache that does not exist is printed as
 * "absent" and left out of the sum (today's series kmallocs its struct
 * anon_space and keeps the index tree in maple_node, which the VMA tree
 * uses too: see the slabctx lines and the Slab delta of /proc/meminfo).
 * Then "forktree: PASS", or FAIL with the errors.
 */
#define _GNU_SOURCE
#include "guest.h"
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#define PAGE		4096UL
#define MAX_N		16
#define MAX_CACHES	1024
#define CONTROL_CALLS	1024

struct params {
	unsigned long seed;
	const char *parts;
	/* tree */
	unsigned long vmas, pages, cow;
	unsigned long children[MAX_N], grand[MAX_N];
	int nchildren;
	/* server */
	unsigned long workers, ops, heap, touch;
	/* heap */
	unsigned long bufs, grows, maxgrow, cap;
};

static struct params par = {
	.seed = 1, .parts = "tree,server,heap",
	.vmas = 16, .pages = 16, .cow = 25,
	.children = { 10, 100, 1000 }, .nchildren = 3,
	.workers = 8, .ops = 100, .heap = 256, .touch = 4,
	.bufs = 32, .grows = 2000, .maxgrow = 4, .cap = 256,
};

/* splitmix64: the seeded choices. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state = mix(rng_state);
	return rng_state;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median, min, max and mean of @n values (sorts them). */
struct stats {
	double median, min, max, mean;
};

static struct stats stats(double *v, unsigned long n)
{
	struct stats s = { 0, 0, 0, 0 };
	unsigned long i;

	if (!n)
		return s;
	qsort(v, n, sizeof(*v), cmp_double);
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.min = v[0];
	s.max = v[n - 1];
	for (i = 0; i < n; i++)
		s.mean += v[i] / n;
	return s;
}

/* --- /proc/slabinfo ----------------------------------------------------- */

struct cache {
	char name[64];
	long active, objsize;
};

struct slabsnap {
	int n;
	long slab_kb;		/* Slab: of /proc/meminfo */
	struct cache c[MAX_CACHES];
};

static char slabbuf[1 << 18];

/*
 * kmem_cache_shrink() of the caches reported (their "shrink" file in
 * /sys/kernel/slab): SLUB counts the free objects of a CPU's slab and
 * partial slabs as active in /proc/slabinfo; a shrink first flushes those
 * to the node's lists, where they count as free, so active_objs is the
 * number of objects allocated.  Without it a delta is right only to about
 * a slab per cache (small deltas read 0).  Sets shrink_ok.
 */
static int shrink_ok = 1;

static void slab_shrink(void)
{
	static const char *const names[] = { "anon_vma", "anon_vma_chain",
		"anon_space", "anon_space_node", "vm_area_struct", "maple_node" };
	char path[128];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int fd;

		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", names[i]);
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			if (errno != ENOENT || i < 2)
				shrink_ok = 0;
			continue;
		}
		if (write(fd, "1", 1) != 1)
			shrink_ok = 0;
		close(fd);
	}
}

static void slab_read(struct slabsnap *s)
{
	char *line, *save;

	slab_shrink();
	s->n = 0;
	s->slab_kb = -1;
	if (read_file("/proc/slabinfo", slabbuf, sizeof(slabbuf))) {
		fail("reading /proc/slabinfo: %s", strerror(errno));
		return;
	}
	for (line = strtok_r(slabbuf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct cache *c = &s->c[s->n];
		long num;

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (s->n == MAX_CACHES) {
			fail("more than %d caches in /proc/slabinfo", MAX_CACHES);
			break;
		}
		if (sscanf(line, "%63s %ld %ld %ld", c->name, &c->active, &num,
			   &c->objsize) == 4)
			s->n++;
	}
	if (read_file("/proc/meminfo", slabbuf, sizeof(slabbuf)) == 0)
		s->slab_kb = field(slabbuf, "Slab");
}

static const struct cache *slab_find(const struct slabsnap *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

/* Is @name a cache of the reverse map's metadata? */
static int rmap_cache(const char *name)
{
	return !strcmp(name, "anon_vma") || !strcmp(name, "anon_vma_chain") ||
	       !strncmp(name, "anon_space", 10);
}

/*
 * Print one "slab" line per cache of the reverse map (and "slabctx" for
 * vm_area_struct and maple_node, context only), prefixed by @tag; return
 * the rmap delta in bytes, the caches summed in @names.
 */
static long slab_report(const char *tag, const struct slabsnap *a,
			const struct slabsnap *b, char *names, size_t size)
{
	static const char *const fixed[] = { "anon_vma", "anon_vma_chain",
					     "anon_space", "anon_space_node" };
	static const char *const ctx[] = { "vm_area_struct", "maple_node" };
	const char *list[MAX_CACHES + 4];
	int n = 0, i, j;
	long sum = 0;

	for (i = 0; i < 4; i++)
		list[n++] = fixed[i];
	/* other anon_space* caches of either snapshot */
	for (j = 0; j < 2; j++) {
		const struct slabsnap *s = j ? b : a;

		for (i = 0; i < s->n; i++) {
			int k, seen = 0;

			if (strncmp(s->c[i].name, "anon_space", 10))
				continue;
			for (k = 0; k < n; k++)
				seen |= !strcmp(list[k], s->c[i].name);
			if (!seen)
				list[n++] = s->c[i].name;
		}
	}
	names[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct cache *x = slab_find(a, list[i]), *y = slab_find(b, list[i]);
		long d;

		if (!x || !y) {
			printf("forktree: %s slab cache=%s absent\n", tag, list[i]);
			continue;
		}
		d = (y->active - x->active) * y->objsize;
		printf("forktree: %s slab cache=%s objsize=%ld before=%ld after=%ld delta_objs=%ld delta_bytes=%ld\n",
		       tag, list[i], y->objsize, x->active, y->active,
		       y->active - x->active, d);
		if (rmap_cache(list[i])) {
			sum += d;
			snprintf(names + strlen(names), size - strlen(names),
				 "%s%s", names[0] ? "+" : "", list[i]);
		}
	}
	for (i = 0; i < 2; i++) {
		const struct cache *x = slab_find(a, ctx[i]), *y = slab_find(b, ctx[i]);

		if (!x || !y)
			printf("forktree: %s slabctx cache=%s absent\n", tag, ctx[i]);
		else
			printf("forktree: %s slabctx cache=%s objsize=%ld delta_objs=%ld delta_bytes=%ld\n",
			       tag, ctx[i], y->objsize, y->active - x->active,
			       (y->active - x->active) * y->objsize);
	}
	if (a->slab_kb >= 0 && b->slab_kb >= 0)
		printf("forktree: %s slabctx meminfo_slab_delta_kb=%ld\n", tag,
		       b->slab_kb - a->slab_kb);
	printf("forktree: %s slab exact=%s\n", tag,
	       shrink_ok ? "yes (caches shrunk before each read)" :
	       "no (a shrink file failed: deltas are right to about a slab)");
	return sum;
}

/* Lines of /proc/PID/maps (@pid 0: self), or -1. */
static long maps_lines(pid_t pid)
{
	static char buf[1 << 20];
	char path[64];
	long n = 0;
	char *p;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/maps");
	if (read_file(path, buf, sizeof(buf))) {
		fail("reading %s: %s", path, strerror(errno));
		return -1;
	}
	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

/* Anonymous VMAs in /proc/self/maps: no path, or [heap] or [stack]. */
static long maps_anon(void)
{
	static char buf[1 << 16];
	char *line, *save;
	long n = 0;

	if (read_file("/proc/self/maps", buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char path[256] = "";

		sscanf(line, "%*s %*s %*s %*s %*s %255s", path);
		if (!path[0] || !strcmp(path, "[heap]") || !strcmp(path, "[stack]"))
			n++;
	}
	return n;
}

/* Close every descriptor from 3 up, but @a, @b and @c (-1: none). */
static void close_others(int a, int b, int c)
{
	int keep[3] = { a, b, c }, i, j, t, from = 3;

	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if (keep[j] < keep[i]) {
				t = keep[i];
				keep[i] = keep[j];
				keep[j] = t;
			}
	for (i = 0; i < 3; i++) {
		if (keep[i] < from)
			continue;
		if (keep[i] > from)
			close_range(from, keep[i] - 1, 0);
		from = keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

static void raise_nofile(unsigned long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= need)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		fail("setrlimit(RLIMIT_NOFILE, %lu): %s", need, strerror(errno));
}

/* --- tree --------------------------------------------------------------- */

static char *tree_base;		/* the V VMAs, P pages each, a hole after each */

static char *tree_page(unsigned long v, unsigned long p)
{
	return tree_base + (v * (par.pages + 1) + p) * PAGE;
}

/* Write cow% of the pages, chosen by (seed, @who). */
static void tree_cow(uint64_t who)
{
	unsigned long v, p;

	for (v = 0; v < par.vmas; v++)
		for (p = 0; p < par.pages; p++) {
			uint64_t h = mix(par.seed ^ mix(who) ^ (v << 32 | p));

			if (h % 100 < par.cow)
				*(volatile uint64_t *)tree_page(v, p) = who;
		}
}

/* A grandchild: copy on write, park, exit when its pipe closes. */
static void tree_grandchild(uint64_t who, int rel_rd, int ready_wr)
{
	char c;

	tree_cow(who);
	if (write(ready_wr, "g", 1) != 1)
		_exit(2);
	while (read(rel_rd, &c, 1) > 0)
		;
	_exit(0);
}

static void tree_child(unsigned long idx, unsigned long grand, int go_rd,
		       int go_wr, int rel_rd, int ready_wr)
{
	int grel[2] = { -1, -1 };
	unsigned long g, made = 0;
	int status, bad = 0;
	char c;

	close(go_wr);
	while (read(go_rd, &c, 1) > 0)
		;
	/* the other children's pipes: they must see EOF when the parent closes */
	close_others(rel_rd, ready_wr, -1);
	tree_cow(idx + 1);
	if (grand && pipe(grel)) {
		printf("forktree: error: child %lu: pipe: %s\n", idx, strerror(errno));
		_exit(2);
	}
	for (g = 0; g < grand; g++) {
		pid_t pid = fork();

		if (pid < 0) {
			printf("forktree: error: child %lu: fork of grandchild %lu: %s\n",
			       idx, g, strerror(errno));
			bad = 1;
			break;
		}
		if (pid == 0) {
			close(grel[1]);
			tree_grandchild((idx + 1) << 20 | (g + 1), grel[0], ready_wr);
		}
		made++;
	}
	if (write(ready_wr, "c", 1) != 1)
		_exit(2);
	while (read(rel_rd, &c, 1) > 0)
		;
	if (grand)
		close(grel[1]);
	for (g = 0; g < made; g++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
	_exit(bad ? 3 : 0);
}

static void tree_round(unsigned long n, unsigned long grand)
{
	unsigned long v, p, i, k, forked = 0, parked = 0, expect;
	unsigned long span = par.vmas * (par.pages + 1) * PAGE;
	char tag[64], names[256];
	struct slabsnap *before, *after;
	double *us, t0, t1, total = 0;
	int go[2], ready[2], *rel;
	long vp, vc;
	pid_t *pids;
	struct stats s;
	char *res;

	snprintf(tag, sizeof(tag), "tree children=%lu grand=%lu", n, grand);
	us = calloc(n, sizeof(*us));
	rel = calloc(n, sizeof(*rel));
	pids = calloc(n, sizeof(*pids));
	before = malloc(sizeof(*before));
	after = malloc(sizeof(*after));
	if (!us || !rel || !pids || !before || !after) {
		fail("%s: out of memory", tag);
		return;
	}
	/* V VMAs with a page of hole after each: a reservation, given back */
	res = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED) {
		fail("%s: mmap: %s", tag, strerror(errno));
		return;
	}
	munmap(res, span);
	tree_base = res;
	for (v = 0; v < par.vmas; v++)
		if (mmap(tree_page(v, 0), par.pages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) !=
		    tree_page(v, 0)) {
			fail("%s: mmap of VMA %lu: %s", tag, v, strerror(errno));
			return;
		}
	for (v = 0; v < par.vmas; v++)
		for (p = 0; p < par.pages; p++)
			*(volatile uint64_t *)tree_page(v, p) = 0;
	raise_nofile(n + 64);
	if (pipe(go) || pipe(ready)) {
		fail("%s: pipe: %s", tag, strerror(errno));
		return;
	}
	slab_read(before);

	for (i = 0; i < n; i++) {
		int r[2];
		pid_t pid;

		if (pipe(r)) {
			fail("%s: pipe for child %lu: %s", tag, i, strerror(errno));
			break;
		}
		t0 = now();
		pid = fork();
		t1 = now();
		if (pid < 0) {
			fail("%s: fork of child %lu: %s", tag, i, strerror(errno));
			close(r[0]);
			close(r[1]);
			break;
		}
		if (pid == 0) {
			close(r[1]);
			close(ready[0]);
			tree_child(i, grand, go[0], go[1], r[0], ready[1]);
		}
		close(r[0]);
		rel[i] = r[1];
		pids[i] = pid;
		us[i] = (t1 - t0) * 1e6;
		total += t1 - t0;
		forked++;
	}
	s = stats(us, forked);
	printf("forktree: %s fork forked=%lu total_ms=%.1f per_fork_us_median=%.1f per_fork_us_mean=%.1f per_fork_us_min=%.1f per_fork_us_max=%.1f syscall_ns=%.0f\n",
	       tag, forked, total * 1e3, s.median, s.mean, s.min, s.max,
	       null_syscall_ns(CONTROL_CALLS));

	/* go: children copy on write and fork their grandchildren */
	expect = forked * (1 + grand);
	t0 = now();
	close(go[1]);
	close(go[0]);
	close(ready[1]);
	while (parked < expect) {
		char buf[256];
		ssize_t r = read(ready[0], buf, sizeof(buf));

		if (r <= 0) {
			fail("%s: %lu of %lu children and grandchildren parked, then %s",
			     tag, parked, expect, r ? strerror(errno) : "EOF");
			break;
		}
		parked += r;
	}
	t1 = now();
	printf("forktree: %s cow ms=%.1f parked=%lu cow_pct=%lu\n", tag,
	       (t1 - t0) * 1e3, parked, par.cow);
	if (read_file("/proc/meminfo", slabbuf, sizeof(slabbuf)) == 0)
		printf("forktree: %s mem parked_memfree_mb=%ld memtotal_mb=%ld\n", tag,
		       field(slabbuf, "MemFree") >> 10, field(slabbuf, "MemTotal") >> 10);

	slab_read(after);
	vp = maps_lines(0);
	vc = forked ? maps_lines(pids[0]) : -1;
	{
		long bytes = slab_report(tag, before, after, names, sizeof(names));

		printf("forktree: %s rmap_bytes bytes=%ld per_child=%.0f per_child_vma=%.1f caches=%s\n",
		       tag, bytes, forked ? (double)bytes / expect : 0.0,
		       forked ? (double)bytes / (expect * par.vmas) : 0.0, names);
	}
	printf("forktree: %s vmas parent=%ld child=%ld\n", tag, vp, vc);

	/* release in an order shuffled by the seed */
	for (i = 0; i < forked; i++)
		us[i] = i;	/* reuse as the permutation */
	for (i = forked; i > 1; i--) {
		double t;

		k = rnd() % i;
		t = us[i - 1];
		us[i - 1] = us[k];
		us[k] = t;
	}
	t0 = now();
	for (i = 0; i < forked; i++)
		close(rel[(unsigned long)us[i]]);
	for (i = 0; i < forked; i++) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0) {
			fail("%s: wait: %s", tag, strerror(errno));
			break;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail("%s: child %d ended with status %#x", tag, (int)pid, status);
	}
	t1 = now();
	printf("forktree: %s exit ms=%.1f\n", tag, (t1 - t0) * 1e3);
	close(ready[0]);
	munmap(tree_base, span);
	free(us);
	free(rel);
	free(pids);
	free(before);
	free(after);
}

static void tree(void)
{
	int i;

	printf("forktree: tree note: vmas=%lu pages=%lu cow=%lu%%; the parent is a fresh mm (exec), its own family\n",
	       par.vmas, par.pages, par.cow);
	for (i = 0; i < par.nchildren; i++)
		tree_round(par.children[i], par.grand[i]);
}

/* --- server ------------------------------------------------------------- */

/*
 * A worker (exec'd, a fresh family): heap, ready, go (EOF on @go_rd), ops,
 * its median to init, then it stays until released (EOF on @rel_rd).
 */
static void worker(unsigned long id, int ready_wr, int go_rd, int rel_rd)
{
	unsigned long i, p;
	double *us, t0, t1;
	struct stats s;
	char *heap, c;

	us = calloc(par.ops ? par.ops : 1, sizeof(*us));
	heap = mmap(NULL, par.heap * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!us || heap == MAP_FAILED) {
		fail("worker %lu: out of memory", id);
		return;
	}
	for (p = 0; p < par.heap; p++)
		heap[p * PAGE] = 1;
	if (write(ready_wr, "r", 1) != 1) {
		fail("worker %lu: writing to init failed", id);
		return;
	}
	while (read(go_rd, &c, 1) > 0)
		;
	for (i = 0; i < par.ops; i++) {
		int status;
		pid_t pid;

		t0 = now();
		pid = fork();
		if (pid == 0) {
			for (p = 0; p < par.touch; p++)
				heap[(mix(par.seed ^ id << 40 ^ i << 20 ^ p) % par.heap) * PAGE] = 2;
			_exit(0);
		}
		if (pid < 0) {
			fail("worker %lu: fork %lu: %s", id, i, strerror(errno));
			break;
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		t1 = now();
		us[i] = (t1 - t0) * 1e6;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail("worker %lu: child %lu ended with status %#x", id, i, status);
	}
	s = stats(us, i);
	printf("forktree: server worker=%lu ops=%lu op_us_median=%.1f op_us_mean=%.1f op_us_min=%.1f op_us_max=%.1f vmas=%ld\n",
	       id, i, s.median, s.mean, s.min, s.max, maps_lines(0));
	if (write(ready_wr, &s.median, sizeof(s.median)) != sizeof(s.median))
		fail("worker %lu: writing to init failed", id);
	while (read(rel_rd, &c, 1) > 0)
		;
}

static pid_t spawn(char *const argv[], int keep1, int keep2, int keep3)
{
	pid_t pid = fork();

	if (pid == 0) {
		close_others(keep1, keep2, keep3);
		execv("/proc/self/exe", argv);
		printf("forktree: error: exec /proc/self/exe: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	return pid;
}

static void server(int argc, char **pass)
{
	struct slabsnap *s0 = malloc(sizeof(*s0)), *s1 = malloc(sizeof(*s1)),
			*s2 = malloc(sizeof(*s2));
	unsigned long k = par.workers, i, got = 0;
	int ready[2], go[2], rel[2], status, j;
	char names[256], tag[64];
	double *med, t0, t1;
	long bytes;
	pid_t *pids;

	med = calloc(k, sizeof(*med));
	pids = calloc(k, sizeof(*pids));
	if (!s0 || !s1 || !s2 || !med || !pids || pipe(ready) || pipe(go) ||
	    pipe(rel)) {
		fail("server: out of memory or pipes");
		return;
	}
	snprintf(tag, sizeof(tag), "server workers=%lu", k);
	printf("forktree: server note: the workers share init as an ancestor; init has %ld anonymous VMAs (/proc/self/maps), so plain forks would leave them in init's fork tree; each worker execs this program instead: a fresh mm, anon_vmas of its own and, by the series' design (exec gets a fresh mm, so a new anon_space), a family of its own (not observable here: no debugfs on the bench kernels)\n",
	       maps_anon());
	slab_read(s0);
	for (i = 0; i < k; i++) {
		char a0[32], a1[32], a2[32], a3[32];
		char *argv[72] = { "forktree", "worker", a0, a1, a2, a3 };

		snprintf(a0, sizeof(a0), "%lu", i);
		snprintf(a1, sizeof(a1), "%d", ready[1]);
		snprintf(a2, sizeof(a2), "%d", go[0]);
		snprintf(a3, sizeof(a3), "%d", rel[0]);
		for (j = 0; j < argc && j < 64; j++)
			argv[6 + j] = pass[j];
		argv[6 + j] = NULL;
		pids[i] = spawn(argv, ready[1], go[0], rel[0]);
		if (pids[i] < 0)
			return;
	}
	close(ready[1]);
	close(go[0]);
	close(rel[0]);
	for (i = 0; i < k; i++) {
		char c;

		if (read(ready[0], &c, 1) != 1) {
			fail("server: %lu of %lu workers ready", i, k);
			return;
		}
	}
	slab_read(s1);
	bytes = slab_report("server standing", s0, s1, names, sizeof(names));
	printf("forktree: %s standing rmap_bytes bytes=%ld per_family=%.0f caches=%s\n",
	       tag, bytes, (double)bytes / k, names);
	t0 = now();
	close(go[1]);
	for (got = 0; got < k; got++)
		if (read(ready[0], &med[got], sizeof(*med)) != sizeof(*med)) {
			fail("server: %lu of %lu workers done", got, k);
			break;
		}
	t1 = now();
	slab_read(s2);
	bytes = slab_report("server after_ops", s1, s2, names, sizeof(names));
	{
		struct stats s = stats(med, got);

		printf("forktree: %s ops=%lu op_us_median=%.1f wall_ms=%.1f ops_per_s=%.0f leftover_rmap_bytes=%ld syscall_ns=%.0f\n",
		       tag, par.ops, s.median, (t1 - t0) * 1e3,
		       got * par.ops / (t1 - t0), bytes,
		       null_syscall_ns(CONTROL_CALLS));
	}
	close(rel[1]);
	for (i = 0; i < k; i++)
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			fail("server: worker %lu ended with status %#x", i, status);
	close(ready[0]);
	free(s0);
	free(s1);
	free(s2);
}

/* --- heap --------------------------------------------------------------- */

struct buf {
	char *addr;
	unsigned long pages, gen;
};

static uint64_t stamp(unsigned long b, unsigned long gen, unsigned long p)
{
	return mix((uint64_t)b << 40 ^ gen << 20 ^ p);
}

static int buf_map(struct buf *b, unsigned long id, unsigned long pages)
{
	unsigned long p;

	b->addr = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->addr == MAP_FAILED)
		return -1;
	b->pages = pages;
	b->gen++;
	for (p = 0; p < pages; p++)
		*(uint64_t *)(b->addr + p * PAGE) = stamp(id, b->gen, p);
	return 0;
}

static void heap(void)
{
	struct slabsnap *s0 = malloc(sizeof(*s0)), *s1 = malloc(sizeof(*s1));
	unsigned long i, p, moves = 0, reallocs = 0, bad = 0, pages = 0, done = 0;
	struct buf *bufs = calloc(par.bufs, sizeof(*bufs));
	double *us = calloc(par.grows ? par.grows : 1, sizeof(*us));
	long vbase, vstart, vend, bytes;
	char names[256];
	struct stats s;

	if (!s0 || !s1 || !bufs || !us) {
		fail("heap: out of memory");
		return;
	}
	rng_state = mix(par.seed ^ 0x4ea9);
	slab_read(s0);
	vbase = maps_lines(0);
	for (i = 0; i < par.bufs; i++)
		if (buf_map(&bufs[i], i, 1 + rnd() % 4)) {
			fail("heap: mmap: %s", strerror(errno));
			return;
		}
	vstart = maps_lines(0);
	for (i = 0; i < par.grows; i++) {
		unsigned long b = rnd() % par.bufs, add = 1 + rnd() % par.maxgrow;
		struct buf *x = &bufs[b];
		double t0, t1;
		char *n;

		if (x->pages + add > par.cap) {
			munmap(x->addr, x->pages * PAGE);
			if (buf_map(x, b, 1 + rnd() % 4)) {
				fail("heap: mmap: %s", strerror(errno));
				return;
			}
			reallocs++;
			continue;
		}
		t0 = now();
		n = mremap(x->addr, x->pages * PAGE, (x->pages + add) * PAGE,
			   MREMAP_MAYMOVE);
		t1 = now();
		if (n == MAP_FAILED) {
			fail("heap: mremap of buffer %lu to %lu pages: %s", b,
			     x->pages + add, strerror(errno));
			return;
		}
		us[done++] = (t1 - t0) * 1e6;
		moves += n != x->addr;
		x->addr = n;
		for (p = x->pages; p < x->pages + add; p++)
			*(uint64_t *)(n + p * PAGE) = stamp(b, x->gen, p);
		x->pages += add;
	}
	for (i = 0; i < par.bufs; i++) {
		pages += bufs[i].pages;
		for (p = 0; p < bufs[i].pages; p++)
			if (*(uint64_t *)(bufs[i].addr + p * PAGE) !=
			    stamp(i, bufs[i].gen, p)) {
				if (!bad)
					fail("heap: buffer %lu page %lu is wrong", i, p);
				bad++;
			}
	}
	vend = maps_lines(0);
	slab_read(s1);
	bytes = slab_report("heap", s0, s1, names, sizeof(names));
	s = stats(us, done);
	printf("forktree: heap mremap bufs=%lu grows=%lu mremaps=%lu moves=%lu reallocs=%lu pages=%lu bad_pages=%lu mremap_us_median=%.1f mremap_us_mean=%.1f syscall_ns=%.0f\n",
	       par.bufs, par.grows, done, moves, reallocs, pages, bad, s.median, s.mean,
	       null_syscall_ns(CONTROL_CALLS));
	printf("forktree: heap vmas base=%ld after_mmaps=%ld end=%ld\n", vbase, vstart, vend);
	printf("forktree: heap rmap_bytes bytes=%ld caches=%s\n", bytes, names);
}

/* --- parameters and init ------------------------------------------------ */

static int parse(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *end;
		unsigned long *u = NULL;
		const char *k = argv[i];
		size_t kl;

		if (!eq) {
			fail("argument '%s' is not KEY=VALUE", argv[i]);
			return -1;
		}
		kl = eq - k;
#define KEY(name) (kl == strlen(#name) && !strncmp(k, #name, kl))
		if (KEY(parts)) {
			par.parts = eq + 1;
			continue;
		}
		if (KEY(children)) {
			char *p = eq + 1;

			par.nchildren = 0;
			while (*p && par.nchildren < MAX_N) {
				par.children[par.nchildren] = strtoul(p, &end, 10);
				par.grand[par.nchildren] = 0;
				if (end != p && *end == 'x') {
					p = end + 1;
					par.grand[par.nchildren] = strtoul(p, &end, 10);
				}
				if (end == p || !par.children[par.nchildren] ||
				    (*end && *end != ',')) {
					fail("children=%s: want N[xG][,N[xG]...]", eq + 1);
					return -1;
				}
				par.nchildren++;
				p = *end == ',' ? end + 1 : end;
			}
			continue;
		}
		if (KEY(seed)) u = &par.seed;
		else if (KEY(vmas)) u = &par.vmas;
		else if (KEY(pages)) u = &par.pages;
		else if (KEY(cow)) u = &par.cow;
		else if (KEY(workers)) u = &par.workers;
		else if (KEY(ops)) u = &par.ops;
		else if (KEY(heap)) u = &par.heap;
		else if (KEY(touch)) u = &par.touch;
		else if (KEY(bufs)) u = &par.bufs;
		else if (KEY(grows)) u = &par.grows;
		else if (KEY(maxgrow)) u = &par.maxgrow;
		else if (KEY(cap)) u = &par.cap;
#undef KEY
		if (!u) {
			fail("unknown parameter '%.*s'", (int)kl, k);
			return -1;
		}
		*u = strtoul(eq + 1, &end, 10);
		if (end == eq + 1 || *end) {
			fail("%s: not a number", argv[i]);
			return -1;
		}
	}
	if (!par.vmas || !par.pages || par.cow > 100 || !par.workers ||
	    !par.heap || !par.bufs || !par.maxgrow || par.cap < 8) {
		fail("vmas, pages, workers, heap, bufs and maxgrow must be positive, cow at most 100, cap at least 8");
		return -1;
	}
	return 0;
}

static int want(const char *part)
{
	size_t n = strlen(part);
	const char *p = par.parts;

	while ((p = strstr(p, part))) {
		if ((p == par.parts || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* Run "forktree PART ARGS..." (exec'd: a fresh mm) and wait for it. */
static void run_part(const char *part, int argc, char **argv)
{
	char *args[70] = { "forktree", (char *)part };
	int i, status;
	pid_t pid;

	for (i = 0; i < argc && i < 66; i++)
		args[i + 2] = argv[i];
	args[i + 2] = NULL;
	pid = spawn(args, -1, -1, -1);
	if (pid < 0)
		return;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("the %s part ended with status %#x", part, status);
}

int main(int argc, char **argv)
{
	int init, i;

	/* forktree worker ID READY_FD GO_FD REL_FD ARGS..., forktree tree|heap ARGS... */
	if (argc > 1 && !strcmp(argv[1], "worker") && argc > 5) {
		guest_name = "forktree";
		setvbuf(stdout, NULL, _IOLBF, 0);
		if (parse(argc - 6, argv + 6) == 0)
			worker(strtoul(argv[2], NULL, 10), atoi(argv[3]),
			       atoi(argv[4]), atoi(argv[5]));
		return failures ? 1 : 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "tree") || !strcmp(argv[1], "heap"))) {
		guest_name = "forktree";
		setvbuf(stdout, NULL, _IOLBF, 0);
		if (parse(argc - 2, argv + 2) == 0) {
			rng_state = mix(par.seed);
			if (!strcmp(argv[1], "tree"))
				tree();
			else
				heap();
		}
		return failures ? 1 : 0;
	}

	init = guest_init("forktree");
	if (parse(argc - 1, argv + 1) == 0) {
		printf("forktree: params seed=%lu parts=%s vmas=%lu pages=%lu cow=%lu children=",
		       par.seed, par.parts, par.vmas, par.pages, par.cow);
		for (i = 0; i < par.nchildren; i++)
			printf(par.grand[i] ? "%s%lux%lu" : "%s%lu", i ? "," : "",
			       par.children[i], par.grand[i]);
		printf(" workers=%lu ops=%lu heap=%lu touch=%lu bufs=%lu grows=%lu maxgrow=%lu cap=%lu\n",
		       par.workers, par.ops, par.heap, par.touch, par.bufs,
		       par.grows, par.maxgrow, par.cap);
		if (access("/proc/slabinfo", R_OK))
			fail("no /proc/slabinfo (CONFIG_SLUB_DEBUG off, or proc not mounted)");
		if (want("tree"))
			run_part("tree", argc - 1, argv + 1);
		if (want("server"))
			server(argc - 1, argv + 1);
		if (want("heap"))
			run_part("heap", argc - 1, argv + 1);
	}
	return guest_finish(init);
}
