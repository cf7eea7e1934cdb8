// SPDX-License-Identifier: GPL-2.0
/*
 * anon_index allocator benchmarks (make bench; scripts/bench.sh).
 *
 * The kernel's mm/anon_index.c and lib/maple_tree.c, built for the host with
 * host/'s shims (host/shims.mk) at -O2, driven by two measurements:
 *
 * 1. Cost per operation at 10^3, 10^4 and 10^5 live ranges.  The allocator
 *    is populated with N ranges (sizes log-uniform in 1..4096 pages, half at
 *    their identity index in sparse slots, half placed in the relocation
 *    zone by first fit), then each repetition runs, per operation, one
 *    timed batch of B operations followed by an untimed batch that undoes
 *    it, so the live count stays within [N, N + B]:
 *      alloc identity   B allocs at free identity slots     / release them
 *      alloc relocation B allocs without hint (first fit)   / release them
 *      grow_end         +1 index on B distinct live ranges  / release tails
 *      share            B distinct live ranges (fork copy)  / release them
 *      release          B distinct live ranges (unmap)      / re-allocate
 *      users            B lookups (one maple tree walk): a reference for
 *                       what the tree itself costs at that size
 *    ns/op = (batch wall time (CLOCK_MONOTONIC) - cost of the two clock
 *    reads) / B; the median over the repetitions is reported.  The three
 *    columns are measured in interleaved rounds, each after warm-up
 *    batches, so that load from other jobs spreads over all of them.  B is
 *    small (10) so that a batch barely changes the tree: with B = 100 at
 *    N = 10^3, every batch grew and shrank the tree by 10% and alloc cost
 *    more there than at 10^4.  Instructions per op come from a
 *    perf_event_open() counter when the machine has one.
 *
 * 2. Span of the relocation zone after a long seeded churn of a process
 *    family: processes with their own bump-pointer mmap addresses (copied at
 *    fork, so a child's mmap collides with its parent's identity indexes and
 *    is relocated); mmap (alloc at the identity index), munmap (release),
 *    "mremap move" (release + alloc in the relocation zone, size grown by up
 *    to 2x), grow_end in place, fork (share every range of a process) and
 *    exit (release them).  Reports the peak of used relocation indexes M,
 *    the longest relocated range m, the span (final and maximum) and the
 *    bound 3M * H_3m / ln 2 of docs/design.md.
 *
 * Usage: anon_index_bench [reps=N] [warmup=N] [batch=N] [churn_ops=N]
 *			   [seed=N] [seeds=N] [json=FILE]
 */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <urcu.h>
#include <linux/anon_index.h>

void maple_tree_init(void);

/* The zones of mm/anon_space.c on 64-bit with 4 KiB pages. */
#define IDENTITY_END	(1UL << (64 - 2 - 12))
#define LIMIT		((LONG_MAX >> 12) - 1)
#define MAX_PAGES	4096UL
/* Part 1: identity slots, far enough apart that ranges never touch. */
#define ID_BASE		(1UL << 20)
#define ID_STRIDE	(2 * MAX_PAGES)
/* Part 2: family size and per-process number of VMAs aimed at. */
#define MAX_PROCS	8
#define TARGET_VMAS	200

static unsigned long reps = 4000, warmup = 20, batch = 10;
static unsigned long churn_ops = 200000, seed = 1, seeds = 3;
static const char *json_path;
static const unsigned long sizes[] = { 1000, 10000, 100000 };
#define NR_SIZES	ARRAY_SIZE(sizes)

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "anon_index_bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

/* splitmix64 */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static unsigned long rnd_below(unsigned long n)
{
	return rnd() % n;
}
static double rnd01(void)
{
	return (rnd() >> 11) * 0x1.0p-53;
}
/* Log-uniform in [1, MAX_PAGES]. */
static unsigned long rnd_pages(void)
{
	unsigned long nr = (unsigned long)exp2(rnd01() * log2(MAX_PAGES + 1.0));

	return nr < 1 ? 1 : nr > MAX_PAGES ? MAX_PAGES : nr;
}

static int cmp_double(const void *a, const void *b);

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Median cost of the two clock reads around a batch, subtracted. */
static double timer_ns;
static double timer_overhead(void)
{
	double d[10001];

	for (size_t i = 0; i < ARRAY_SIZE(d); i++) {
		double a = now_ns();

		d[i] = now_ns() - a;
	}
	qsort(d, ARRAY_SIZE(d), sizeof(d[0]), cmp_double);
	return d[ARRAY_SIZE(d) / 2];
}

/* Instructions retired in user mode, if the machine can count them. */
static int perf_fd = -1;
static char perf_note[160];

static void perf_open(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	perf_fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (perf_fd < 0)
		snprintf(perf_note, sizeof(perf_note),
			 "instructions/op: not available (perf_event_open: %s; no hardware counters here), ns only",
			 strerror(errno));
	else
		snprintf(perf_note, sizeof(perf_note),
			 "instructions/op: user-mode instructions retired (perf_event_open)");
}

static void perf_start(void)
{
	if (perf_fd >= 0) {
		ioctl(perf_fd, PERF_EVENT_IOC_RESET, 0);
		ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0);
	}
}

static double perf_stop(void)
{
	uint64_t v;

	if (perf_fd < 0)
		return NAN;
	ioctl(perf_fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(perf_fd, &v, sizeof(v)) != sizeof(v))
		return NAN;
	return v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v; the q-quantile (nearest rank). */
static double quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(size_t)(q * (n - 1) + 0.5)];
}

static void check(int ret, const char *what)
{
	if (ret)
		die("%s failed: %d", what, ret);
}

/* ---- Part 1: cost per operation ---------------------------------------- */

enum { OP_ALLOC_ID, OP_ALLOC_RELOC, OP_GROW_END, OP_SHARE, OP_RELEASE,
       OP_USERS, NR_OPS };
static const char *const op_name[NR_OPS] = {
	"alloc, identity", "alloc, relocation first fit", "grow_end +1",
	"share (fork copy)", "release (unmap)", "users (lookup; reference)",
};
static const char *const op_key[NR_OPS] = {
	"alloc_identity", "alloc_relocation", "grow_end", "share", "release", "users",
};

struct range {
	unsigned long start, nr;
	long slot;		/* identity slot, or -1: relocation zone */
};

struct pop {
	struct anon_index ai;
	struct range *r;	/* the N live ranges */
	size_t n;
	size_t *perm;		/* a permutation of 0..n-1, for distinct picks */
	unsigned long *free_slot;
	size_t nfree;
};

struct result {
	double ns[NR_OPS], ns_p10[NR_OPS], ns_p90[NR_OPS], instr[NR_OPS];
	unsigned long segments, populate_ms;
};

static long take_slot(struct pop *p)
{
	size_t k = rnd_below(p->nfree);
	unsigned long slot = p->free_slot[k];

	p->free_slot[k] = p->free_slot[--p->nfree];
	return slot;
}

static struct anon_index_hint slot_hint(long slot)
{
	return (struct anon_index_hint){ ANON_INDEX_NO_HINT, ANON_INDEX_NO_HINT,
					 ID_BASE + slot * ID_STRIDE };
}

/* Allocate @r->nr indexes: at a fresh identity slot or by first fit. */
static void place(struct pop *p, struct range *r, bool identity)
{
	struct anon_index_hint h;

	r->slot = identity ? take_slot(p) : -1;
	h = slot_hint(r->slot);
	check(anon_index_alloc(&p->ai, r->nr, identity ? &h : NULL, &r->start),
	      "alloc");
	if (identity ? r->start != h.identity : r->start < IDENTITY_END)
		die("alloc placed %lu pages at %#lx, not in the %s zone", r->nr,
		    r->start, identity ? "identity" : "relocation");
}

static void unplace(struct pop *p, struct range *r)
{
	check(anon_index_release(&p->ai, r->start, r->nr), "release");
	if (r->slot >= 0)
		p->free_slot[p->nfree++] = r->slot;
}

/* Pick @k distinct live ranges (partial Fisher-Yates over p->perm). */
static void pick(struct pop *p, struct range **out, size_t k)
{
	for (size_t j = 0; j < k; j++) {
		size_t i = j + rnd_below(p->n - j), t = p->perm[i];

		p->perm[i] = p->perm[j];
		p->perm[j] = t;
		out[j] = &p->r[t];
	}
}

/* One timed batch of @op, then its untimed undo.  Returns ns/op. */
static double run_batch(struct pop *p, int op, double *instr)
{
	struct range tmp[batch], *sel[batch];
	struct anon_index_hint hint[batch];
	struct anon_index *ai = &p->ai;
	double t0, t1;
	size_t j;
	int bad = 0;

	/* Everything random is drawn before the clock starts. */
	switch (op) {
	case OP_ALLOC_ID:
		for (j = 0; j < batch; j++) {
			tmp[j].nr = rnd_pages();
			tmp[j].slot = take_slot(p);
			hint[j] = slot_hint(tmp[j].slot);
		}
		break;
	case OP_ALLOC_RELOC:
		for (j = 0; j < batch; j++) {
			tmp[j].nr = rnd_pages();
			tmp[j].slot = -1;
		}
		break;
	default:
		pick(p, sel, batch);
	}

	perf_start();
	t0 = now_ns();
	switch (op) {
	case OP_ALLOC_ID:
		for (j = 0; j < batch; j++)
			bad |= anon_index_alloc(ai, tmp[j].nr, &hint[j],
						&tmp[j].start);
		break;
	case OP_ALLOC_RELOC:
		for (j = 0; j < batch; j++)
			bad |= anon_index_alloc(ai, tmp[j].nr, NULL,
						&tmp[j].start);
		break;
	case OP_GROW_END:
		for (j = 0; j < batch; j++)
			bad |= anon_index_grow_end(ai, sel[j]->start,
						   sel[j]->nr, 1);
		break;
	case OP_SHARE:
		for (j = 0; j < batch; j++)
			bad |= anon_index_share(ai, sel[j]->start, sel[j]->nr);
		break;
	case OP_RELEASE:
		for (j = 0; j < batch; j++)
			bad |= anon_index_release(ai, sel[j]->start,
						  sel[j]->nr);
		break;
	case OP_USERS:
		for (j = 0; j < batch; j++)
			bad |= anon_index_users(ai, sel[j]->start) != 1;
		break;
	}
	t1 = now_ns();
	*instr = perf_stop() / batch;
	if (bad)
		die("%s failed during the timed batch", op_name[op]);

	/* Undo, untimed: back to N live ranges. */
	switch (op) {
	case OP_ALLOC_ID:
		for (j = 0; j < batch; j++) {
			if (tmp[j].start != hint[j].identity)
				die("identity alloc misplaced");
			unplace(p, &tmp[j]);
		}
		break;
	case OP_ALLOC_RELOC:
		for (j = 0; j < batch; j++) {
			if (tmp[j].start < IDENTITY_END)
				die("relocation alloc misplaced");
			unplace(p, &tmp[j]);
		}
		break;
	case OP_GROW_END:
		for (j = 0; j < batch; j++)
			check(anon_index_release(ai, sel[j]->start + sel[j]->nr,
						 1), "release");
		break;
	case OP_SHARE:
		for (j = 0; j < batch; j++)
			check(anon_index_release(ai, sel[j]->start, sel[j]->nr),
			      "release");
		break;
	case OP_RELEASE:
		for (j = 0; j < batch; j++) {
			bool identity = sel[j]->slot >= 0;

			if (identity)
				p->free_slot[p->nfree++] = sel[j]->slot;
			place(p, sel[j], identity);
		}
		break;
	}
	return (t1 - t0 - timer_ns) / batch;
}

/* A population of @n live ranges, for one column of the table. */
struct column {
	struct pop p;
	double *ns[NR_OPS], *in[NR_OPS];
	size_t done;
};

static void column_init(struct column *col, unsigned long n,
			struct result *res)
{
	unsigned long nslots = n + 2 * batch, i;
	struct pop *p = &col->p;
	double t0;

	memset(col, 0, sizeof(*col));
	p->n = n;
	check(anon_index_init(&p->ai, IDENTITY_END, LIMIT),
	      "init");
	p->r = xcalloc(n, sizeof(*p->r));
	p->perm = xcalloc(n, sizeof(*p->perm));
	p->free_slot = xcalloc(nslots, sizeof(*p->free_slot));
	for (i = 0; i < nslots; i++)
		p->free_slot[p->nfree++] = i;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		p->perm[i] = i;
		p->r[i].nr = rnd_pages();
		place(p, &p->r[i], i & 1);
	}
	res->populate_ms = (now_ns() - t0) / 1e6 + 0.5;
	for (int op = 0; op < NR_OPS; op++) {
		col->ns[op] = xcalloc(reps, sizeof(double));
		col->in[op] = xcalloc(reps, sizeof(double));
	}
}

/* Warm up, then measure @k more repetitions of every operation. */
static void column_measure(struct column *col, size_t k)
{
	double instr;

	for (size_t i = 0; i < warmup; i++)
		for (int op = 0; op < NR_OPS; op++)
			run_batch(&col->p, op, &instr);
	for (size_t i = 0; i < k && col->done < reps; i++, col->done++)
		for (int op = 0; op < NR_OPS; op++)
			col->ns[op][col->done] =
				run_batch(&col->p, op, &col->in[op][col->done]);
}

static void column_finish(struct column *col, struct result *res)
{
	struct anon_index_stats st;
	struct pop *p = &col->p;

	for (int op = 0; op < NR_OPS; op++) {
		res->ns[op] = quantile(col->ns[op], reps, 0.5);
		res->ns_p10[op] = quantile(col->ns[op], reps, 0.1);
		res->ns_p90[op] = quantile(col->ns[op], reps, 0.9);
		res->instr[op] = quantile(col->in[op], reps, 0.5);
		free(col->ns[op]);
		free(col->in[op]);
	}
	anon_index_stats(&p->ai, &st);
	res->segments = st.nr_segments;
	if (st.nr_segments < p->n)
		die("%zu live ranges but only %lu tree entries", p->n,
		    st.nr_segments);
	anon_index_destroy(&p->ai);
	free(p->r);
	free(p->perm);
	free(p->free_slot);
}

/*
 * The columns are measured in ROUNDS interleaved rounds (each with its own
 * warm-up), so that a burst of load from other jobs on the machine spreads
 * over all of them instead of skewing one.
 */
#define ROUNDS	20
static void bench_ops(struct result *res)
{
	struct column col[NR_SIZES];

	for (size_t s = 0; s < NR_SIZES; s++)
		column_init(&col[s], sizes[s], &res[s]);
	for (int r = 0; r < ROUNDS; r++)
		for (size_t s = 0; s < NR_SIZES; s++)
			column_measure(&col[s], (reps + ROUNDS - 1) / ROUNDS);
	for (size_t s = 0; s < NR_SIZES; s++)
		column_finish(&col[s], &res[s]);
}

/* ---- Part 2: span after churn ------------------------------------------ */

struct vma {
	unsigned long start, nr;
};

struct proc {
	struct vma *v;
	size_t n, cap;
	unsigned long next_addr;	/* next mmap address, in pages */
};

struct churn {
	unsigned long seed, ops, calls;
	unsigned long ev_mmap, ev_munmap, ev_mremap, ev_grow, ev_grow_busy,
		      ev_fork, ev_exit;
	unsigned long peak_used, peak_reloc_used, max_reloc_range;
	unsigned long span_final, span_max, live_final, procs_final;
	unsigned long placed_identity, placed_reloc;
	double bound, ms;
};

static void vma_add(struct proc *p, unsigned long start, unsigned long nr)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		if (!p->v)
			die("out of memory");
	}
	p->v[p->n++] = (struct vma){ start, nr };
}

static double harmonic(unsigned long k)
{
	double h = 0;

	for (unsigned long i = k; i >= 1; i--)
		h += 1.0 / i;
	return h;
}

static void churn_run(unsigned long s, struct churn *c)
{
	struct proc procs[MAX_PROCS] = { { 0 } };
	struct anon_index_stats st;
	struct anon_index ai;
	size_t nprocs = 1;
	double t0 = now_ns();

	memset(c, 0, sizeof(*c));
	c->seed = s;
	c->ops = churn_ops;
	rng_state = s;
	check(anon_index_init(&ai, IDENTITY_END, LIMIT),
	      "init");
	procs[0].next_addr = ID_BASE;

	for (unsigned long i = 0; i < churn_ops; i++) {
		struct proc *p = &procs[rnd_below(nprocs)];
		double r = rnd01();
		struct anon_index_hint h;
		unsigned long start, nr;
		size_t k;

		if (r < 0.01 && nprocs < MAX_PROCS) {		/* fork */
			struct proc *child = &procs[nprocs++];

			memset(child, 0, sizeof(*child));
			child->next_addr = p->next_addr;
			for (k = 0; k < p->n; k++) {
				check(anon_index_share(&ai, p->v[k].start,
						       p->v[k].nr), "share");
				vma_add(child, p->v[k].start, p->v[k].nr);
			}
			c->calls += p->n;
			c->ev_fork++;
		} else if (r < 0.02 && nprocs > 1) {		/* exit */
			for (k = 0; k < p->n; k++)
				check(anon_index_release(&ai, p->v[k].start,
							 p->v[k].nr), "release");
			c->calls += p->n;
			free(p->v);
			*p = procs[--nprocs];
			c->ev_exit++;
		} else if (r < 0.17 && p->n) {		/* mremap move */
			struct vma *v = &p->v[rnd_below(p->n)];

			nr = v->nr + rnd_below(v->nr + 1);
			nr = nr > MAX_PAGES ? MAX_PAGES : nr;
			check(anon_index_release(&ai, v->start, v->nr),
			      "release");
			check(anon_index_alloc(&ai, nr, NULL, &start), "alloc");
			if (start < IDENTITY_END)
				die("mremap move not relocated");
			*v = (struct vma){ start, nr };
			p->next_addr += nr;
			if (nr > c->max_reloc_range)
				c->max_reloc_range = nr;
			c->calls += 2;
			c->ev_mremap++;
		} else if (r < 0.22 && p->n) {		/* grow in place */
			struct vma *v = &p->v[rnd_below(p->n)];
			unsigned long room = MAX_PAGES - v->nr, delta;
			int ret;

			c->ev_grow++;
			if (!room)
				continue;
			delta = 1 + rnd_below(v->nr < room ? v->nr : room);
			ret = anon_index_grow_end(&ai, v->start, v->nr, delta);
			c->calls++;
			if (ret == -EBUSY) {
				c->ev_grow_busy++;
				continue;
			}
			check(ret, "grow_end");
			v->nr += delta;
			if (v->start >= IDENTITY_END &&
			    v->nr > c->max_reloc_range)
				c->max_reloc_range = v->nr;
		} else {
			double want = 0.5 + 0.5 * ((double)TARGET_VMAS - p->n) /
					    TARGET_VMAS;

			if (want < 0.1)
				want = 0.1;
			if (want > 0.9)
				want = 0.9;
			if (!p->n || rnd01() < want) {		/* mmap */
				nr = rnd_pages();
				h = (struct anon_index_hint){
					ANON_INDEX_NO_HINT, ANON_INDEX_NO_HINT,
					p->next_addr };
				p->next_addr += nr;
				check(anon_index_alloc(&ai, nr, &h, &start),
				      "alloc");
				vma_add(p, start, nr);
				if (start >= IDENTITY_END &&
				    nr > c->max_reloc_range)
					c->max_reloc_range = nr;
				c->ev_mmap++;
			} else {				/* munmap */
				k = rnd_below(p->n);
				check(anon_index_release(&ai, p->v[k].start,
							 p->v[k].nr), "release");
				p->v[k] = p->v[--p->n];
				c->ev_munmap++;
			}
			c->calls++;
		}
		if (ai.nr_used > c->peak_used)
			c->peak_used = ai.nr_used;
		if (ai.nr_reloc_used > c->peak_reloc_used)
			c->peak_reloc_used = ai.nr_reloc_used;
		if (i % 16 == 15) {
			anon_index_stats(&ai, &st);
			if (st.reloc_span > c->span_max)
				c->span_max = st.reloc_span;
		}
	}
	anon_index_stats(&ai, &st);
	c->span_final = st.reloc_span;
	if (st.reloc_span > c->span_max)
		c->span_max = st.reloc_span;
	c->placed_identity = st.nr_identity;
	c->placed_reloc = st.nr_reloc;
	c->procs_final = nprocs;
	for (size_t k = 0; k < nprocs; k++) {
		c->live_final += procs[k].n;
		free(procs[k].v);
	}
	c->bound = 3.0 * c->peak_reloc_used *
		   harmonic(3 * c->max_reloc_range) / M_LN2;
	anon_index_destroy(&ai);
	c->ms = (now_ns() - t0) / 1e6;
}

/* ---- Output ------------------------------------------------------------- */

static char cpu_model[128] = "unknown";
static char load_start[64], load_end[64];

static void read_machine(char *load, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");
	char line[256];

	snprintf(load, len, "unknown");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			float a, b, d;

			if (sscanf(line, "%f %f %f", &a, &b, &d) == 3)
				snprintf(load, len, "%.2f %.2f %.2f", a, b, d);
		}
		fclose(f);
	}
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(cpu_model, sizeof(cpu_model), "%s", colon + 2);
			cpu_model[strcspn(cpu_model, "\n")] = 0;
			break;
		}
	}
	fclose(f);
}

static void json_num(FILE *f, double v)
{
	if (isnan(v))
		fprintf(f, "null");
	else
		fprintf(f, "%.1f", v);
}

static void write_json(const char *path, const struct result *res,
		       const struct churn *ch, double total_s)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	fprintf(f, "{\n  \"machine\": {\"cpu\": \"%s\", \"cpus\": %ld, "
		"\"loadavg_start\": \"%s\", \"loadavg_end\": \"%s\", "
		"\"note\": \"wall-clock on a shared machine\"},\n",
		cpu_model, sysconf(_SC_NPROCESSORS_ONLN), load_start, load_end);
	fprintf(f, "  \"params\": {\"reps\": %lu, \"warmup\": %lu, "
		"\"batch\": %lu, \"churn_ops\": %lu, \"seed\": %lu, "
		"\"seeds\": %lu, \"rounds\": %d, \"timer_ns\": %.1f, "
		"\"instructions\": %s},\n", reps, warmup, batch, churn_ops,
		seed, seeds, ROUNDS, timer_ns,
		perf_fd >= 0 ? "true" : "false");
	fprintf(f, "  \"ops\": [\n");
	for (size_t s = 0; s < NR_SIZES; s++) {
		for (int op = 0; op < NR_OPS; op++) {
			fprintf(f, "    {\"op\": \"%s\", \"live\": %lu, "
				"\"tree_entries\": %lu, \"ns_median\": ",
				op_key[op], sizes[s], res[s].segments);
			json_num(f, res[s].ns[op]);
			fprintf(f, ", \"ns_p10\": ");
			json_num(f, res[s].ns_p10[op]);
			fprintf(f, ", \"ns_p90\": ");
			json_num(f, res[s].ns_p90[op]);
			fprintf(f, ", \"instructions_median\": ");
			json_num(f, res[s].instr[op]);
			fprintf(f, "}%s\n", s == NR_SIZES - 1 &&
				op == NR_OPS - 1 ? "" : ",");
		}
	}
	fprintf(f, "  ],\n  \"churn\": [\n");
	for (size_t i = 0; i < seeds; i++) {
		const struct churn *c = &ch[i];

		fprintf(f, "    {\"seed\": %lu, \"ops\": %lu, "
			"\"allocator_calls\": %lu, \"mmap\": %lu, "
			"\"munmap\": %lu, \"mremap_move\": %lu, "
			"\"grow\": %lu, \"grow_busy\": %lu, \"fork\": %lu, "
			"\"exit\": %lu, \"placed_identity\": %lu, "
			"\"placed_relocation\": %lu, \"peak_used\": %lu, "
			"\"peak_reloc_used\": %lu, \"max_reloc_range\": %lu, "
			"\"reloc_span_final\": %lu, \"reloc_span_max\": %lu, "
			"\"span_over_peak\": %.3f, \"span_max_over_peak\": %.3f, "
			"\"robson_bound\": %.0f, "
			"\"live_final\": %lu, \"procs_final\": %lu}%s\n",
			c->seed, c->ops, c->calls, c->ev_mmap, c->ev_munmap,
			c->ev_mremap, c->ev_grow, c->ev_grow_busy, c->ev_fork,
			c->ev_exit, c->placed_identity, c->placed_reloc,
			c->peak_used, c->peak_reloc_used, c->max_reloc_range,
			c->span_final, c->span_max,
			(double)c->span_final / c->peak_reloc_used,
			(double)c->span_max / c->peak_reloc_used, c->bound,
			c->live_final, c->procs_final,
			i == seeds - 1 ? "" : ",");
	}
	fprintf(f, "  ],\n  \"seconds\": %.1f\n}\n", total_s);
	if (fclose(f))
		die("cannot write %s", path);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: anon_index_bench [reps=N] [warmup=N] [batch=N] "
		"[churn_ops=N] [seed=N] [seeds=N] [json=FILE]\n");
}

static void parse_args(int argc, char **argv)
{
	static const struct { const char *name; unsigned long *p; } opt[] = {
		{ "reps", &reps }, { "warmup", &warmup }, { "batch", &batch },
		{ "churn_ops", &churn_ops }, { "seed", &seed },
		{ "seeds", &seeds },
	};

	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *end;
		size_t k;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			exit(0);
		}
		if (eq && !strncmp(argv[i], "json=", 5)) {
			json_path = eq + 1;
			continue;
		}
		for (k = 0; eq && k < ARRAY_SIZE(opt); k++) {
			if (strlen(opt[k].name) == (size_t)(eq - argv[i]) &&
			    !strncmp(opt[k].name, argv[i], eq - argv[i]))
				break;
		}
		if (!eq || k == ARRAY_SIZE(opt)) {
			usage(stderr);
			die("unknown argument '%s'", argv[i]);
		}
		errno = 0;
		*opt[k].p = strtoul(eq + 1, &end, 0);
		if (errno || *end || end == eq + 1)
			die("bad number in '%s'", argv[i]);
	}
	if (!reps || !batch || batch > 10000 || !seeds || !churn_ops)
		die("reps, batch (<= 10000), seeds and churn_ops must be > 0");
}

int main(int argc, char **argv)
{
	struct result res[NR_SIZES];
	struct churn *ch;
	double t0 = now_ns();

	parse_args(argc, argv);
	rcu_register_thread();
	maple_tree_init();
	perf_open();
	read_machine(load_start, sizeof(load_start));
	ch = xcalloc(seeds, sizeof(*ch));

	printf("anon_index allocator benchmarks: host build of mm/anon_index.c + lib/maple_tree.c, -O2\n");
	printf("(with tools/testing/shared's userspace shims: malloc-backed kmem_cache, CONFIG_DEBUG_MAPLE_TREE counters)\n");
	printf("machine: %s, %ld CPUs, load average at start %s\n", cpu_model,
	       sysconf(_SC_NPROCESSORS_ONLN), load_start);
	printf("NOTE: wall-clock figures (CLOCK_MONOTONIC) on a shared %ld-core machine: other jobs (e.g. a kernel build) may be running\n",
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("%s\n\n", perf_note);

	rng_state = seed;
	timer_ns = timer_overhead();
	bench_ops(res);

	printf("1. cost per operation, ns/op: median of %lu timed batches of %lu ops, in %d rounds interleaving\n"
	       "   the columns, each after %lu warm-up batches; %.0f ns of clock reads per batch subtracted;\n"
	       "   live ranges held at N..N+%lu, sizes log-uniform 1..%lu pages, half identity, half relocated\n\n",
	       reps, batch, ROUNDS, warmup, timer_ns, batch, MAX_PAGES);
	printf("  %-30s %10s %10s %10s %12s\n", "operation", "N=10^3",
	       "N=10^4", "N=10^5", "10^5/10^3");
	for (int op = 0; op < NR_OPS; op++) {
		printf("  %-30s", op_name[op]);
		for (size_t s = 0; s < NR_SIZES; s++)
			printf(" %10.0f", res[s].ns[op]);
		printf(" %11.2fx\n", res[NR_SIZES - 1].ns[op] / res[0].ns[op]);
	}
	if (perf_fd >= 0) {
		printf("\n  %-30s %10s %10s %10s\n", "instructions/op",
		       "N=10^3", "N=10^4", "N=10^5");
		for (int op = 0; op < NR_OPS; op++) {
			printf("  %-30s", op_name[op]);
			for (size_t s = 0; s < NR_SIZES; s++)
				printf(" %10.0f", res[s].instr[op]);
			printf("\n");
		}
	}
	printf("  %-30s", "tree entries (segments)");
	for (size_t s = 0; s < NR_SIZES; s++)
		printf(" %10lu", res[s].segments);
	printf("\n  %-30s", "populate time, ms");
	for (size_t s = 0; s < NR_SIZES; s++)
		printf(" %10lu", res[s].populate_ms);
	printf("\n\n");

	for (unsigned long i = 0; i < seeds; i++)
		churn_run(seed + i, &ch[i]);

	printf("2. relocation-zone span after churn (%lu events per seed: mmap/munmap ~78%%, mremap move 15%%,\n"
	       "   grow_end in place 5%%, fork 1%%, exit 1%%; sizes log-uniform 1..%lu pages; <= %d processes, ~%d VMAs each)\n"
	       "   M = peak of the used indexes in the relocation zone, m = longest relocated range,\n"
	       "   span = highest used index + 1 - identity_end: at the end, and the largest seen (every 16 events),\n"
	       "   bound = 3M * H_3m / ln 2 (docs/design.md); peak all = peak used indexes, both zones\n\n",
	       churn_ops, MAX_PAGES, MAX_PROCS, TARGET_VMAS);
	printf("  %5s %9s %9s %6s %10s %10s %6s %6s %11s %8s %9s\n", "seed",
	       "calls", "M", "m", "span end", "span max", "end/M", "max/M",
	       "bound", "bound/M", "peak all");
	for (unsigned long i = 0; i < seeds; i++) {
		const struct churn *c = &ch[i];

		printf("  %5lu %9lu %9lu %6lu %10lu %10lu %6.2f %6.2f %11.0f %8.1f %9lu\n",
		       c->seed, c->calls, c->peak_reloc_used,
		       c->max_reloc_range, c->span_final, c->span_max,
		       (double)c->span_final / c->peak_reloc_used,
		       (double)c->span_max / c->peak_reloc_used, c->bound,
		       c->bound / c->peak_reloc_used, c->peak_used);
	}
	printf("\n  %5s %7s %7s %7s %6s %7s %5s %5s %9s %9s %8s\n", "seed",
	       "mmap", "munmap", "mremap", "grow", "g.busy", "fork", "exit",
	       "@identity", "@reloc", "ms");
	for (unsigned long i = 0; i < seeds; i++) {
		const struct churn *c = &ch[i];

		printf("  %5lu %7lu %7lu %7lu %6lu %7lu %5lu %5lu %9lu %9lu %8.0f\n",
		       c->seed, c->ev_mmap, c->ev_munmap, c->ev_mremap,
		       c->ev_grow, c->ev_grow_busy, c->ev_fork, c->ev_exit,
		       c->placed_identity, c->placed_reloc, c->ms);
	}

	read_machine(load_end, sizeof(load_end));
	printf("\nload average at end %s; total %.1f s\n", load_end,
	       (now_ns() - t0) / 1e9);
	if (json_path) {
		write_json(json_path, res, ch, (now_ns() - t0) / 1e9);
		printf("JSON: %s\n", json_path);
	}
	free(ch);
	rcu_barrier();
	rcu_unregister_thread();
	return 0;
}
