// SPDX-License-Identifier: GPL-2.0
/*
 * loops: will-it-scale-style loops of the system calls the series
 * changes, as a real program, for scripts/bench-loops.sh on the two bench
 * kernels (with and without the series).  Each loop repeats one
 * operation, times it with CLOCK_MONOTONIC, and checks the state it
 * timed, so the figures are of operations that did what they claim:
 *
 * mmap1	mmap mb=128 MiB anonymous, munmap it.  Checked: both calls'
 *		results; per batch, a fresh mapping reads zero and after the
 *		munmap mincore() finds nothing mapped.
 * brk1		grow the brk by a page, shrink it back (one operation).
 *		Checked: brk() returns the asked value each time; per batch,
 *		a byte written in the grown page reads back, and after a
 *		shrink and a new grow the page reads zero again.
 * page_fault1	mmap pf_mb=8 MiB anonymous, write a byte in every page (a
 *		fault each), munmap.  Checked: every page holds what was
 *		written.  (will-it-scale maps 128 MiB; a fault costs about
 *		50 us on UML here, pinned to a CPU, and 0.2 ms not pinned:
 *		128 MiB would take 1.5-7 s an operation.)
 * page_fault2	the same on a MAP_PRIVATE mapping of a pf_mb MiB file (an
 *		unlinked temporary file in dir=/tmp, filled with a pattern):
 *		every write copies the file's page.  The bench kernels have
 *		no CONFIG_TMPFS, so bench-loops.sh passes a directory of the
 *		host (hostfs; the file's pages stay in the guest's page cache
 *		after the first operation); the program prints the
 *		filesystem's magic.  Checked: every page holds the byte
 *		written and, beside it, the file's pattern; per batch, the
 *		file itself is unchanged (pread).
 * fork		fork a child that exits at once, wait for it.  Checked: the
 *		child read a marker from the parent's memory and exited with
 *		the status that says so.
 * mremap_move1, mremap_move64
 *		a faulted region of 1 (64) pages moved back and forth between
 *		two places with MREMAP_MAYMOVE|MREMAP_FIXED (one operation:
 *		one move).  Checked: each move lands where asked and the first
 *		and last words of the region hold their pattern; per batch,
 *		every page does.
 * mremap_grow64  a faulted region of 64 pages grown in place to 128 and
 *		shrunk back (flags 0: no move; one operation: both calls).
 *		Checked: both return the region's address and its first and
 *		last pages hold their pattern; per batch, the grown part
 *		reads zero, and a byte written there is gone after a shrink
 *		and a new grow.
 *
 * mmap1_child, brk1_child
 *		mmap1 and brk1 in a fork child of the program, which waits for
 *		it (a server's worker, a zygote's child: a process that forked
 *		and the process it forked share their memory's family, and
 *		with the series an mm's identity mode, patch "a fork child
 *		starts in identity mode of its own").  The child's figures and
 *		checks are the loop's; its exit status says how many of its
 *		checks failed.
 *
 * mmap1_parent, brk1_parent
 *		mmap1 and brk1 in the program while a fork child of it waits
 *		(a server's master, a shell: a process that has forked and
 *		whose child lives; with the series the family's allocator
 *		serves its every mapping, patch "an mm keeps the indexes it
 *		gave up last for its next use").  The child only waits on
 *		a pipe and exits when the loop is done; its exit status must
 *		be 0.
 *
 * After every loop the program's VMA count (lines of /proc/self/maps)
 * must be what it was before (nothing leaked).
 *
 * Timing: a loop runs batches of n operations, CLOCK_MONOTONIC read
 * before and after each batch only (on UML clock_gettime is a system
 * call).  n starts at 1 and doubles until a batch takes batch_ms=100 ms
 * (these calibration batches are the warm-up and are not counted); then
 * batches run until secs=2 seconds of them are timed.  The figure is
 * the median of the batches' ns per operation, with their min and max.
 *
 * A control (guest.h's null_syscall_ns()): after every timed batch,
 * REF_CALLS getppid() system calls timed as one; ref_ns is the median of
 * their ns per call over the loop's batches, for scripts/bench-loops.sh's
 * per_syscall ratio.
 *
 * Booted as init (common.sh's uml_boot) with KEY=VALUE parameters after
 * "--": secs, batch_ms, mb, pf_mb, dir, loops=NAME,... (default all, in the
 * order above) and inject=NAME, which makes the named loop's in-loop
 * check expect a wrong value, to show that the check fails the run.
 * It also runs on the host (not as init) for a try.  Output:
 *
 *	loops: params secs=2 batch_ms=100 mb=128 pf_mb=8 dir=/tmp loops=all inject=none
 *	loops: page_fault2 file of 8 MiB in DIR, filesystem magic 0xc0ffee (hostfs)
 *	loops: NAME ops=N batches=B per_batch=n ns_per_op=MEDIAN min=MIN max=MAX vmas=V ref_ns=R
 *	loops: PASS		(or "loops: FAIL (N errors)" after the errors)
 *
 * with pfn_runs=K on the moves' lines: the moved region's page frames in
 * K runs of consecutive ones, read after its setup (count_pfn_runs()).
 */
#define _GNU_SOURCE
#include "guest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define PAGE		4096UL
#define MAX_BATCHES	100000
#define REF_CALLS	64

static struct {
	double secs;
	unsigned long batch_ms, mb, pf_mb;
	const char *dir, *loops, *inject;
} par = { .secs = 2, .batch_ms = 100, .mb = 128, .pf_mb = 8, .dir = "/tmp", .loops = "", .inject = "" };

/* 1 while the running loop is the one named by inject=: its checks expect a wrong value. */
static unsigned long inj;
/* Set by a failed check: the loop stops at the end of its batch. */
static int broken;

#define check(cond, ...) do {				\
	if (!(cond)) {					\
		if (!broken)				\
			fail(__VA_ARGS__);		\
		broken = 1;				\
	}						\
} while (0)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int vma_count(void)
{
	static char buf[1 << 16];
	int n = 0;
	char *p;

	if (read_file("/proc/self/maps", buf, sizeof(buf)))
		return -1;
	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static size_t size(void)
{
	return par.mb << 20;
}

static size_t pf_size(void)
{
	return par.pf_mb << 20;
}

/* ---- mmap1 ---- */

static void mmap1_run(unsigned long n)
{
	while (n--) {
		char *p = mmap(NULL, size(), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		check(p != MAP_FAILED, "mmap1: mmap: %s", strerror(errno));
		if (p == MAP_FAILED)
			return;
		check(munmap(p, size()) == 0, "mmap1: munmap: %s", strerror(errno));
	}
}

static void mmap1_verify(void)
{
	unsigned char vec;
	char *p = mmap(NULL, size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	check(p != MAP_FAILED, "mmap1: mmap: %s", strerror(errno));
	if (p == MAP_FAILED)
		return;
	check(p[0] == (char)inj && p[size() - 1] == 0, "mmap1: a fresh mapping does not read zero%s",
	      inj ? " (injected)" : "");
	p[0] = 1;
	check(munmap(p, size()) == 0, "mmap1: munmap: %s", strerror(errno));
	check(mincore(p, PAGE, &vec) < 0 && errno == ENOMEM,
	      "mmap1: %p is still mapped after munmap", (void *)p);
}

/* ---- brk1 ---- */

static unsigned long brk_base;

static unsigned long sys_brk(unsigned long addr)
{
	return syscall(SYS_brk, addr);
}

static int brk1_setup(void)
{
	unsigned long cur = sys_brk(0);

	brk_base = (cur + PAGE - 1) & ~(PAGE - 1);
	if (sys_brk(brk_base) != brk_base) {
		fail("brk1: cannot set the brk to %#lx", brk_base);
		return -1;
	}
	return 0;
}

static void brk1_run(unsigned long n)
{
	while (n--) {
		unsigned long r = sys_brk(brk_base + PAGE);

		check(r == brk_base + PAGE + inj, "brk1: grow to %#lx returned %#lx%s",
		      brk_base + PAGE + inj, r, inj ? " (injected)" : "");
		r = sys_brk(brk_base);
		check(r == brk_base, "brk1: shrink to %#lx returned %#lx", brk_base, r);
	}
}

static void brk1_verify(void)
{
	volatile char *p = (char *)brk_base;

	check(sys_brk(brk_base + PAGE) == brk_base + PAGE, "brk1: grow failed");
	if (broken)
		return;
	p[100] = 0x5a;
	check(p[100] == 0x5a, "brk1: a byte written in the grown page does not read back");
	check(sys_brk(brk_base) == brk_base, "brk1: shrink failed");
	check(sys_brk(brk_base + PAGE) == brk_base + PAGE, "brk1: grow failed");
	if (broken)
		return;
	check(p[100] == 0, "brk1: the page still holds its byte after a shrink and a grow");
	check(sys_brk(brk_base) == brk_base, "brk1: shrink failed");
	check(sys_brk(0) == brk_base, "brk1: brk(0) is %#lx, not %#lx", sys_brk(0), brk_base);
}

/* ---- page_fault1 ---- */

/* Write a byte in every page of @p (first) and check them all (second pass). */
static void fault_pages(volatile char *p, unsigned long iter, int file, const char *name)
{
	size_t i, pages = pf_size() / PAGE;
	char v = (char)(iter | 1), bad = 0;

	for (i = 0; i < pages; i++)
		p[i * PAGE] = v;
	for (i = 0; i < pages; i++) {
		bad |= p[i * PAGE] ^ (char)(v + inj);
		if (file)
			bad |= p[i * PAGE + 1] ^ (char)(i * 7 + 3);
	}
	check(!bad, "%s: a page does not hold what was written%s%s", name,
	      file ? " or the file's pattern" : "", inj ? " (injected)" : "");
}

static unsigned long iteration;

static void page_fault1_run(unsigned long n)
{
	while (n--) {
		char *p = mmap(NULL, pf_size(), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		check(p != MAP_FAILED, "page_fault1: mmap: %s", strerror(errno));
		if (p == MAP_FAILED)
			return;
		fault_pages(p, iteration++, 0, "page_fault1");
		check(munmap(p, pf_size()) == 0, "page_fault1: munmap: %s", strerror(errno));
	}
}

/* ---- page_fault2 ---- */

static int pf2_fd = -1;

static int page_fault2_setup(void)
{
	char path[4096];
	size_t i, pages = pf_size() / PAGE;
	static char page[PAGE];
	struct statfs fs;

	snprintf(path, sizeof(path), "%s/loops-page_fault2.XXXXXX", par.dir);
	pf2_fd = mkstemp(path);
	if (pf2_fd < 0) {
		fail("page_fault2: mkstemp %s: %s (dir=: a writable directory)", path,
		     strerror(errno));
		return -1;
	}
	unlink(path);
	for (i = 0; i < pages; i++) {
		page[0] = 0;
		page[1] = (char)(i * 7 + 3);
		if (write(pf2_fd, page, PAGE) != (ssize_t)PAGE) {
			fail("page_fault2: writing the file: %s", strerror(errno));
			return -1;
		}
	}
	if (fstatfs(pf2_fd, &fs) == 0)
		printf("loops: page_fault2 file of %lu MiB in %s, filesystem magic %#lx%s\n",
		       par.pf_mb, par.dir, (unsigned long)fs.f_type,
		       fs.f_type == 0x00c0ffee ? " (hostfs)" : fs.f_type == 0x01021994 ? " (tmpfs)" : "");
	return 0;
}

static void page_fault2_run(unsigned long n)
{
	while (n--) {
		char *p = mmap(NULL, pf_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, pf2_fd, 0);

		check(p != MAP_FAILED, "page_fault2: mmap: %s", strerror(errno));
		if (p == MAP_FAILED)
			return;
		fault_pages(p, iteration++, 1, "page_fault2");
		check(munmap(p, pf_size()) == 0, "page_fault2: munmap: %s", strerror(errno));
	}
}

static void page_fault2_verify(void)
{
	size_t pages = pf_size() / PAGE, at[] = { 0, pages / 2, pages - 1 };
	char b[2];
	int i;

	for (i = 0; i < 3; i++) {
		check(pread(pf2_fd, b, 2, at[i] * PAGE) == 2 && b[0] == 0 &&
		      b[1] == (char)(at[i] * 7 + 3),
		      "page_fault2: the file's page %zu changed under a MAP_PRIVATE mapping", at[i]);
	}
}

static void page_fault2_teardown(void)
{
	if (pf2_fd >= 0)
		close(pf2_fd);
	pf2_fd = -1;
}

/* ---- fork ---- */

#define MARK	0x6c6f6f70UL
static unsigned long *marker;

static int fork_setup(void)
{
	marker = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (marker == MAP_FAILED) {
		fail("fork: mmap: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < 16; i++)
		marker[i * PAGE / sizeof(long)] = MARK + i;
	return 0;
}

static void fork_run(unsigned long n)
{
	while (n--) {
		int st = 0;
		pid_t pid = fork();

		if (pid == 0)
			_exit(marker[15 * PAGE / sizeof(long)] == MARK + 15 + inj ? 42 : 43);
		check(pid > 0, "fork: fork: %s", strerror(errno));
		if (pid < 0)
			return;
		check(waitpid(pid, &st, 0) == pid, "fork: waitpid: %s", strerror(errno));
		check(WIFEXITED(st) && WEXITSTATUS(st) == 42,
		      "fork: the child exited with %#x, not 42 (43: it did not see the parent's marker)%s",
		      st, inj ? " (injected)" : "");
	}
}

static void fork_teardown(void)
{
	munmap(marker, 16 * PAGE);
}

/* ---- mremap ---- */

static unsigned long mr_pages;
static char *mr_at[2];
static int mr_cur;
/*
 * The page frames of the moved region after its setup, in runs of
 * consecutive ones (/proc/self/pagemap), or -1 if not read: UML maps a
 * run of a moved region into the host process with one host mmap, so a
 * move of 64 pages scattered over 48 runs costs twice one of 64 pages in
 * 2 runs (about 300 against 150 us here, either kernel: results.md).
 * Which frames the faults got depends on what ran before in the boot.
 */
static long pfn_runs = -1;

/* The runs of consecutive page frames under [@p, @p + @pages pages). */
static long count_pfn_runs(const char *p, unsigned long pages)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e, prev = 0;
	unsigned long i;
	long runs = 0;

	if (fd < 0)
		return -1;
	for (i = 0; i < pages; i++) {
		if (pread(fd, &e, sizeof(e), ((unsigned long)p / PAGE + i) * sizeof(e)) !=
		    sizeof(e) || !(e & PM_PRESENT)) {
			runs = -1;
			break;
		}
		if (!i || PM_PFN(e) != prev + 1)
			runs++;
		prev = PM_PFN(e);
	}
	close(fd);
	return runs;
}

static unsigned long *word(char *p, unsigned long page, int last)
{
	return (unsigned long *)(p + page * PAGE) + (last ? PAGE / sizeof(long) - 1 : 0);
}

static void mr_fill(char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++) {
		*word(p, i, 0) = i + 1;
		*word(p, i, 1) = (i + 1) * 31;
	}
}

static void mr_verify_all(char *p, unsigned long pages, const char *name)
{
	for (unsigned long i = 0; i < pages; i++)
		check(*word(p, i, 0) == i + 1 && *word(p, i, 1) == (i + 1) * 31,
		      "%s: page %lu of the region lost its pattern", name, i);
}

/* Window: region A, a PROT_NONE guard page, region B (reserved PROT_NONE). */
static int move_setup(unsigned long pages)
{
	char *w = mmap(NULL, (2 * pages + 1) * PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (w == MAP_FAILED) {
		fail("mremap_move: mmap: %s", strerror(errno));
		return -1;
	}
	mr_pages = pages;
	mr_at[0] = w;
	mr_at[1] = w + (pages + 1) * PAGE;
	mr_cur = 0;
	if (mprotect(w, pages * PAGE, PROT_READ | PROT_WRITE)) {
		fail("mremap_move: mprotect: %s", strerror(errno));
		return -1;
	}
	mr_fill(w, pages);
	pfn_runs = count_pfn_runs(w, pages);
	return 0;
}

static int move1_setup(void)
{
	return move_setup(1);
}

static int move64_setup(void)
{
	return move_setup(64);
}

static void move_run(unsigned long n)
{
	size_t len = mr_pages * PAGE;

	while (n--) {
		char *to = mr_at[!mr_cur];
		char *r = mremap(mr_at[mr_cur], len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);

		check(r == to, "mremap_move%lu: mremap to %p returned %p (%s)",
		      mr_pages, (void *)to, (void *)r, r == MAP_FAILED ? strerror(errno) : "moved elsewhere");
		if (r != to)
			return;
		mr_cur = !mr_cur;
		check(*word(to, 0, 0) == 1 + inj && *word(to, mr_pages - 1, 1) == mr_pages * 31,
		      "mremap_move%lu: the moved region lost its pattern%s", mr_pages,
		      inj ? " (injected)" : "");
	}
}

static void move_verify(void)
{
	char name[32];

	snprintf(name, sizeof(name), "mremap_move%lu", mr_pages);
	mr_verify_all(mr_at[mr_cur], mr_pages, name);
}

static void move_teardown(void)
{
	munmap(mr_at[0], (2 * mr_pages + 1) * PAGE);
}

/* Region of 64 faulted pages with 64 free pages above it. */
static int grow_setup(void)
{
	char *w = mmap(NULL, 128 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (w == MAP_FAILED || munmap(w + 64 * PAGE, 64 * PAGE)) {
		fail("mremap_grow64: mmap/munmap: %s", strerror(errno));
		return -1;
	}
	mr_pages = 64;
	mr_at[0] = w;
	mr_fill(w, 64);
	return 0;
}

static void grow_run(unsigned long n)
{
	char *p = mr_at[0];

	while (n--) {
		char *r = mremap(p, 64 * PAGE, 128 * PAGE, 0);

		check(r == p, "mremap_grow64: grow in place returned %p (%s)", (void *)r,
		      r == MAP_FAILED ? strerror(errno) : "moved");
		if (r != p)
			return;
		r = mremap(p, 128 * PAGE, 64 * PAGE, 0);
		check(r == p, "mremap_grow64: shrink returned %p (%s)", (void *)r,
		      r == MAP_FAILED ? strerror(errno) : "moved");
		if (r != p)
			return;
		check(*word(p, 0, 0) == 1 + inj && *word(p, 63, 1) == 64 * 31,
		      "mremap_grow64: the region lost its pattern%s", inj ? " (injected)" : "");
	}
}

static void grow_verify(void)
{
	volatile char *p = mr_at[0];
	unsigned long i;
	char bad = 0;

	check(mremap(mr_at[0], 64 * PAGE, 128 * PAGE, 0) == mr_at[0], "mremap_grow64: grow failed");
	if (broken)
		return;
	for (i = 64; i < 128; i++)
		bad |= p[i * PAGE];
	check(!bad, "mremap_grow64: the grown part does not read zero");
	p[100 * PAGE] = 0x5a;
	check(mremap(mr_at[0], 128 * PAGE, 64 * PAGE, 0) == mr_at[0], "mremap_grow64: shrink failed");
	check(mremap(mr_at[0], 64 * PAGE, 128 * PAGE, 0) == mr_at[0], "mremap_grow64: grow failed");
	if (broken)
		return;
	check(p[100 * PAGE] == 0, "mremap_grow64: a byte written past a shrink is still there");
	check(mremap(mr_at[0], 128 * PAGE, 64 * PAGE, 0) == mr_at[0], "mremap_grow64: shrink failed");
	mr_verify_all(mr_at[0], 64, "mremap_grow64");
}

static void grow_teardown(void)
{
	munmap(mr_at[0], 64 * PAGE);
}

/* ---- the driver ---- */

struct loop {
	const char *name;
	int (*setup)(void);
	void (*run)(unsigned long n);
	void (*verify)(void);
	void (*teardown)(void);
	int in_child;	/* 1: run in a fork child (run_loop_in_child());
			 * 2: run while a fork child waits (run_loop_forked()) */
};

static const struct loop loops[] = {
	{ "mmap1", NULL, mmap1_run, mmap1_verify, NULL, 0 },
	{ "brk1", brk1_setup, brk1_run, brk1_verify, NULL, 0 },
	{ "page_fault1", NULL, page_fault1_run, NULL, NULL, 0 },
	{ "page_fault2", page_fault2_setup, page_fault2_run, page_fault2_verify, page_fault2_teardown, 0 },
	{ "fork", fork_setup, fork_run, NULL, fork_teardown, 0 },
	{ "mremap_move1", move1_setup, move_run, move_verify, move_teardown, 0 },
	{ "mremap_move64", move64_setup, move_run, move_verify, move_teardown, 0 },
	{ "mremap_grow64", grow_setup, grow_run, grow_verify, grow_teardown, 0 },
	{ "mmap1_child", NULL, mmap1_run, mmap1_verify, NULL, 1 },
	{ "brk1_child", brk1_setup, brk1_run, brk1_verify, NULL, 1 },
	{ "mmap1_parent", NULL, mmap1_run, mmap1_verify, NULL, 2 },
	{ "brk1_parent", brk1_setup, brk1_run, brk1_verify, NULL, 2 },
};

static int in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return 1;
		p += len;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double ns_per_op[MAX_BATCHES], ref_ns[MAX_BATCHES];

/* The median of the @n sorted values at @v. */
static double median(const double *v, unsigned long n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void run_loop(const struct loop *l)
{
	uint64_t t, budget = par.secs * 1e9, spent = 0, target = par.batch_ms * 1000000ULL;
	unsigned long n = 1, batches = 0, ops = 0;
	int vmas, before = vma_count();

	broken = 0;
	pfn_runs = -1;
	inj = in_list(par.inject, l->name);
	if (l->setup && l->setup())
		return;
	vmas = vma_count();
	/* Calibration, also the warm-up: double n until a batch takes batch_ms. */
	for (;;) {
		t = now_ns();
		l->run(n);
		t = now_ns() - t;
		if (broken || t >= target || n >= (1UL << 30))
			break;
		n *= 2;
	}
	while (!broken && spent < budget && batches < MAX_BATCHES) {
		t = now_ns();
		l->run(n);
		t = now_ns() - t;
		spent += t;
		ref_ns[batches] = null_syscall_ns(REF_CALLS);
		ns_per_op[batches++] = (double)t / n;
		ops += n;
		if (l->verify)
			l->verify();
	}
	if (l->teardown)
		l->teardown();
	check(vma_count() == before, "%s: %d VMAs after the loop, %d before", l->name,
	      vma_count(), before);
	if (broken || !batches)
		return;
	qsort(ns_per_op, batches, sizeof(double), cmp_double);
	qsort(ref_ns, batches, sizeof(double), cmp_double);
	printf("loops: %s ops=%lu batches=%lu per_batch=%lu ns_per_op=%.0f min=%.0f max=%.0f vmas=%d ref_ns=%.0f",
	       l->name, ops, batches, n, median(ns_per_op, batches),
	       ns_per_op[0], ns_per_op[batches - 1], vmas, median(ref_ns, batches));
	if (pfn_runs >= 0)
		printf(" pfn_runs=%ld", pfn_runs);
	printf("\n");
}

/* Run @l in a fork child and wait for it; its failed checks count here. */
static void run_loop_in_child(const struct loop *l)
{
	int before = vma_count(), st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fail("%s: fork: %s", l->name, strerror(errno));
		return;
	}
	if (!pid) {
		failures = 0;
		run_loop(l);
		fflush(stdout);
		_exit(failures > 100 ? 100 : failures);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		fail("%s: the child did not exit (status %#x)", l->name, st);
		return;
	}
	failures += WEXITSTATUS(st);
	check(vma_count() == before, "%s: %d VMAs after the child's loop, %d before",
	      l->name, vma_count(), before);
}

/* Run @l here while a fork child waits on a pipe; it exits when @l is done. */
static void run_loop_forked(const struct loop *l)
{
	int fds[2], st;
	pid_t pid;
	char c;

	if (pipe(fds)) {
		fail("%s: pipe: %s", l->name, strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fail("%s: fork: %s", l->name, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (!pid) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
	}
	close(fds[0]);
	run_loop(l);
	close(fds[1]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("%s: the waiting child did not exit cleanly (status %#x)", l->name, st);
}

static int parse(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *v = strchr(argv[i], '=');

		if (!v) {
			fail("argument '%s' is not KEY=VALUE", argv[i]);
			return -1;
		}
		*v++ = '\0';
		if (!strcmp(argv[i], "secs"))
			par.secs = strtod(v, NULL);
		else if (!strcmp(argv[i], "batch_ms"))
			par.batch_ms = strtoul(v, NULL, 10);
		else if (!strcmp(argv[i], "mb"))
			par.mb = strtoul(v, NULL, 10);
		else if (!strcmp(argv[i], "pf_mb"))
			par.pf_mb = strtoul(v, NULL, 10);
		else if (!strcmp(argv[i], "dir"))
			par.dir = v;
		else if (!strcmp(argv[i], "loops"))
			par.loops = v;
		else if (!strcmp(argv[i], "inject"))
			par.inject = v;
		else {
			fail("unknown parameter '%s'", argv[i]);
			return -1;
		}
	}
	for (char *w = *par.loops ? strtok(strdup(par.loops), ",") : NULL; w; w = strtok(NULL, ",")) {
		size_t i;

		for (i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
			if (!strcmp(w, loops[i].name))
				break;
		if (i == sizeof(loops) / sizeof(loops[0])) {
			fail("unknown loop '%s'", w);
			return -1;
		}
	}
	if (par.secs <= 0 || !par.batch_ms || !par.mb || !par.pf_mb) {
		fail("secs, batch_ms, mb and pf_mb must be positive");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int init = guest_init("loops");
	size_t i;

	if (parse(argc - 1, argv + 1) == 0) {
		printf("loops: params secs=%g batch_ms=%lu mb=%lu pf_mb=%lu dir=%s loops=%s inject=%s\n",
		       par.secs, par.batch_ms, par.mb, par.pf_mb, par.dir,
		       *par.loops ? par.loops : "all", *par.inject ? par.inject : "none");
		for (i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
			if (!*par.loops || in_list(par.loops, loops[i].name)) {
				if (loops[i].in_child == 1)
					run_loop_in_child(&loops[i]);
				else if (loops[i].in_child == 2)
					run_loop_forked(&loops[i]);
				else
					run_loop(&loops[i]);
			}
	}
	return guest_finish(init);
}
