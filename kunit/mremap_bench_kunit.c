// SPDX-License-Identifier: GPL-2.0
/*
 * mremap_bench: time mremap() moves of faulted anonymous memory, and
 * mmap()+munmap() of anonymous memory, in the KUnit test thread's mm.
 *
 * Meant for timing: each case prints its figures as KTAP diagnostics
 * ("# bench: ...") for make bench, which runs it by name on two kernels,
 * CONFIG_ANON_SPACE=y and =n, to show what the series adds to each
 * operation.  Its cases also check what they time (the calls' results,
 * the VMAs left, the mappings a walk finds), which the debug kernel's
 * runs (make check, scripts/bench-check.sh) test.  It does not depend
 * on CONFIG_ANON_SPACE.
 *
 * A move goes back and forth between two fixed addresses (MREMAP_FIXED),
 * so every call moves the same faulted pages the same distance.  A round
 * times 16 calls; the median and the minimum over the rounds of the time
 * per call are printed, in nanoseconds.  bench_page_fault (will-it-scale's
 * page_fault1: map, write every page, unmap; per page) and bench_brk
 * (brk1: grow a brk-style VMA by a page and shrink it back) time the other
 * paths the series touches.
 *
 * The vmas_* cases run a few workloads and print the VMAs they leave
 * ("# vmas: ..."), for the same side-by-side comparison.
 */

#include <kunit/test.h>
#include <linux/anon_space.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/pagemap.h>
#include <linux/moduleparam.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>

static unsigned int bench_rounds = 201;
module_param(bench_rounds, uint, 0444);
MODULE_PARM_DESC(bench_rounds, "timed rounds per case");

/*
 * Calls per timed round.  UML's clock moves in steps of 256 ns
 * (arch/um/kernel/time.c: TIMER_MULTIPLIER), so a round of 64 calls gives
 * a per-call figure in steps of 4 ns: 1% of a 400-ns mmap+munmap.
 */
static unsigned int bench_batch = 64;
module_param(bench_batch, uint, 0444);
MODULE_PARM_DESC(bench_batch, "calls per timed round (at least 1)");
#define BENCH_BATCH	bench_batch

#define NPAGES(n)	((unsigned long)(n) << PAGE_SHIFT)

static unsigned int bench_param;
module_param(bench_param, uint, 0444);
MODULE_PARM_DESC(bench_param, "only the Nth parameter of each parameterised case (from 1; 0: every one)");

/*
 * The parameters of generator @every, but with bench_param set only its
 * bench_param-th (none if it has fewer): a case one parameter at a time,
 * for scripts/bench-instr.sh, whose counts cover a whole run and so
 * cannot tell a run's parameters apart.  @desc ends up with the chosen
 * one's description.
 */
static const void *bench_param_gen(const void *(*every)(const void *, char *),
				   const void *prev, char *desc)
{
	const void *p = NULL;
	unsigned int i;

	if (!bench_param)
		return every(prev, desc);
	if (prev)
		return NULL;
	for (i = 0; i < bench_param; i++) {
		p = every(p, desc);
		if (!p)
			return NULL;
	}
	return p;
}

/* KUNIT_ARRAY_PARAM(), through bench_param_gen(). */
#define BENCH_ARRAY_PARAM(name, array, get_desc)				\
	KUNIT_ARRAY_PARAM(name##_every, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		return bench_param_gen(name##_every_gen_params, prev, desc);	\
	}

/* sys_mremap() is a plain function only without syscall wrappers (UML). */
#if IS_BUILTIN(CONFIG_MREMAP_KUNIT_BENCH) && \
	!defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#define HAVE_MREMAP 1
static long do_mremap(unsigned long addr, unsigned long len, unsigned long to)
{
	return sys_mremap(addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
}

static long do_mremap_grow(unsigned long addr, unsigned long len,
			   unsigned long new_len)
{
	return sys_mremap(addr, len, new_len, MREMAP_MAYMOVE, 0);
}
#else
#define HAVE_MREMAP 0
static long do_mremap(unsigned long addr, unsigned long len, unsigned long to)
{
	return -EOPNOTSUPP;
}

static long do_mremap_grow(unsigned long addr, unsigned long len,
			   unsigned long new_len)
{
	return -EOPNOTSUPP;
}
#endif
#define HAVE_MREMAP_GROW HAVE_MREMAP

static const unsigned long bench_pages[] = { 1, 64, 4096 };

static void pages_to_desc(const unsigned long *pages, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lu pages", *pages);
}

BENCH_ARRAY_PARAM(bench_pages, bench_pages, pages_to_desc);

static int u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* An area of @len bytes nobody uses, as the start of a fresh mapping. */
static unsigned long free_area(struct kunit *test, unsigned long len)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	KUNIT_ASSERT_EQ(test, vm_munmap(addr, len), 0);
	return addr;
}

static void touch(struct kunit *test, unsigned long addr, unsigned long pages,
		  char byte)
{
	unsigned long i;

	for (i = 0; i < pages; i++)
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)
						   (addr + NPAGES(i)), &byte, 1),
				0UL);
}

static void expect_byte(struct kunit *test, unsigned long addr, char byte)
{
	char got = 0;

	KUNIT_ASSERT_EQ(test, copy_from_user(&got, (void __user *)addr, 1), 0UL);
	KUNIT_EXPECT_EQ(test, got, byte);
}

/* Is [@addr, @addr + @len) one VMA (@mapped), or no VMA at all? */
static void expect_mapped(struct kunit *test, unsigned long addr,
			  unsigned long len, bool mapped)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma_intersection(mm, addr, addr + len);
	if (mapped)
		KUNIT_EXPECT_TRUE(test, vma && vma->vm_start <= addr &&
				  vma->vm_end >= addr + len);
	else
		KUNIT_EXPECT_NULL(test, vma);
	mmap_read_unlock(mm);
}

/*
 * Print the median and minimum of @n rounds' times per call (sorting
 * @ns); @children: the forked children the case keeps, printed as a
 * field of the line if not negative.
 */
static void report_children(struct kunit *test, const char *op,
			    unsigned long pages, int children, u64 *ns,
			    unsigned int n, unsigned int batch)
{
	char kids[24] = "";

	if (children >= 0)
		snprintf(kids, sizeof(kids), " children=%d", children);
	sort(ns, n, sizeof(*ns), u64_cmp, NULL);
	kunit_info(test, "bench: %s pages=%lu%s rounds=%u batch=%u median_ns=%llu min_ns=%llu anon_space=%d\n",
		   op, pages, kids, n, batch, ns[n / 2], ns[0],
		   IS_ENABLED(CONFIG_ANON_SPACE));
}

static void report_batch(struct kunit *test, const char *op,
			 unsigned long pages, u64 *ns, unsigned int n,
			 unsigned int batch)
{
	report_children(test, op, pages, -1, ns, n, batch);
}

static void report(struct kunit *test, const char *op, unsigned long pages,
		   u64 *ns, unsigned int n)
{
	report_batch(test, op, pages, ns, n, bench_batch);
}

/*
 * Make the test's mm a parent: a page of anonymous memory, then a dup_mm()
 * child, which the caller mmput()s at the end.  With CONFIG_ANON_SPACE
 * the family then has two mms, and the allocator serves every mapping
 * (identity mode ends at the first fork), as in any process that has
 * forked (a server, a shell).
 */
static struct mm_struct *fork_family(struct kunit *test)
{
	unsigned long x = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE,
					PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, 0);
	struct mm_struct *child;

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(x) || !x);
	touch(test, x, 1, 1);
	child = dup_mm_kunit(current->mm);
	KUNIT_ASSERT_NOT_NULL(test, child);
#ifdef CONFIG_ANON_SPACE
	/* What the forked cases time: a family out of identity mode. */
	KUNIT_ASSERT_NOT_NULL(test, current->mm->anon_space);
	KUNIT_EXPECT_PTR_EQ(test, child->anon_space, current->mm->anon_space);
	KUNIT_EXPECT_FALSE_MSG(test, READ_ONCE(current->mm->anon_node->identity),
			       "the family is still in identity mode after a fork");
#endif
	return child;
}

static void time_mremap_move(struct kunit *test, const char *op)
{
	const unsigned long *pages = test->param_value;
	unsigned long len = NPAGES(*pages), base, a, b, from, to, i;
	unsigned int r, n = bench_rounds;
	char byte = 1;
	u64 *ns;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	/* Two places with a gap between them and around them. */
	base = free_area(test, 4 * len + NPAGES(32));
	a = base + NPAGES(8);
	b = a + 2 * len + NPAGES(8);
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, a, len, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_FIXED_NOREPLACE, 0), a);
	touch(test, a, *pages, byte);

	from = a;
	to = b;
	/* Warm up: page tables at both places, caches, the allocator. */
	for (r = 0; r < 4 * BENCH_BATCH; r++) {
		KUNIT_ASSERT_EQ(test, do_mremap(from, len, to), (long)to);
		swap(from, to);
	}
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();
		unsigned int k;
		long ret = 0;

		for (k = 0; k < BENCH_BATCH; k++) {
			ret = do_mremap(from, len, to);
			if (ret != (long)to)
				break;
			swap(from, to);
		}
		ns[r] = div_u64(ktime_get_ns() - t0, BENCH_BATCH);
		KUNIT_ASSERT_EQ(test, k, BENCH_BATCH);
	}
	report(test, op, *pages, ns, n);
	/* What was timed: the faulted pages went back and forth intact. */
	expect_mapped(test, from, len, true);
	expect_mapped(test, to, len, false);
	for (i = 0; i < *pages; i++)
		expect_byte(test, from + NPAGES(i), byte);
	KUNIT_EXPECT_EQ(test, vm_munmap(from, len), 0);
}

static void bench_mremap_move(struct kunit *test)
{
	time_mremap_move(test, "mremap_move");
}

/* The same in a forked family: the parent moves, the child idles. */
static void bench_mremap_move_forked(struct kunit *test)
{
	struct mm_struct *child = fork_family(test);

	time_mremap_move(test, "mremap_move_forked");
	mmput(child);
}

/*
 * Time @n rounds of BENCH_BATCH anonymous mmap()s of @pages pages, each
 * unmapped again, after a byte is written to each page if @write; ns per
 * call, or per page written.  Returns the last mapping's address.
 */
static unsigned long time_mmap_cycles(struct kunit *test, unsigned long pages,
				      bool write, u64 *ns, unsigned int n)
{
	unsigned long len = NPAGES(pages), addr = 0;
	unsigned int r;

	free_area(test, PAGE_SIZE);
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();
		unsigned int k;

		for (k = 0; k < BENCH_BATCH; k++) {
			addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, 0);
			if (IS_ERR_VALUE(addr))
				break;
			if (write)
				touch(test, addr, pages, 1);
			vm_munmap(addr, len);
		}
		ns[r] = div_u64(ktime_get_ns() - t0,
				BENCH_BATCH * (write ? pages : 1));
		KUNIT_ASSERT_EQ(test, k, BENCH_BATCH);
	}
	return addr;
}

static void time_mmap_munmap(struct kunit *test, const char *op)
{
	const unsigned long *pages = test->param_value;
	unsigned long len = NPAGES(*pages), addr;
	unsigned int n = bench_rounds;
	u64 *ns;

	ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	addr = time_mmap_cycles(test, *pages, false, ns, n);
	report(test, op, *pages, ns, n);
	/* What was timed: each mapping went away again. */
	expect_mapped(test, addr, len, false);
}

static void bench_mmap_munmap(struct kunit *test)
{
	time_mmap_munmap(test, "mmap_munmap");
}

/*
 * The same after a realloc() of an mmap'd block whose next page is taken
 * (an mremap() that grows 4 faulted pages to 8 with MREMAP_MAYMOVE and
 * must move them), the block then freed.  With CONFIG_ANON_SPACE the
 * family of one mm stays in identity mode (checked): the copy takes its
 * destination's identity indexes, its pages with it.
 */
static void bench_mmap_munmap_realloced(struct kunit *test)
{
	unsigned long x = free_area(test, NPAGES(16)) + NPAGES(4);
	long ret;

	if (!HAVE_MREMAP_GROW)
		kunit_skip(test, "sys_mremap() not callable here");
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, x, NPAGES(4), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_FIXED_NOREPLACE, 0), x);
	touch(test, x, 4, 7);
	/* The next page, taken (another protection: no merge). */
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, x + NPAGES(4), PAGE_SIZE, PROT_READ,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_FIXED_NOREPLACE, 0), x + NPAGES(4));
	ret = do_mremap_grow(x, NPAGES(4), NPAGES(8));
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ret));
	KUNIT_ASSERT_NE(test, (unsigned long)ret, x);
	expect_byte(test, ret + NPAGES(3), 7);
#ifdef CONFIG_ANON_SPACE
	KUNIT_ASSERT_NOT_NULL(test, current->mm->anon_space);
	KUNIT_EXPECT_TRUE_MSG(test, READ_ONCE(current->mm->anon_node->identity),
			      "identity mode ended at the realloc's move");
#endif
	/* The block freed: what is timed is only what the move left. */
	KUNIT_ASSERT_EQ(test, vm_munmap(ret, NPAGES(8)), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(x + NPAGES(4), PAGE_SIZE), 0);
	time_mmap_munmap(test, "mmap_munmap_realloced");
}

/* The same in a forked family: the parent maps, the child idles. */
static void bench_mmap_munmap_forked(struct kunit *test)
{
	struct mm_struct *child = fork_family(test);

	time_mmap_munmap(test, "mmap_munmap_forked");
	mmput(child);
}

/*
 * The same in the fork child: the child maps, the parent idles.  With
 * CONFIG_ANON_SPACE the child is in identity mode of its own (checked),
 * in its slot of the identity zone, while the parent records every range.
 */
static void bench_mmap_munmap_child(struct kunit *test)
{
	struct mm_struct *child = fork_family(test), *parent = current->mm;

	kthread_unuse_mm(parent);
	kthread_use_mm(child);
#ifdef CONFIG_ANON_SPACE
	KUNIT_EXPECT_TRUE_MSG(test, READ_ONCE(child->anon_node->identity),
			      "the fork child is not in identity mode");
#endif
	time_mmap_munmap(test, "mmap_munmap_child");
	kthread_unuse_mm(child);
	kthread_use_mm(parent);
	mmput(child);
}

static const unsigned long fault_pages[] = { 1, 16, 256 };

BENCH_ARRAY_PARAM(fault_pages, fault_pages, pages_to_desc);

/*
 * will-it-scale's page_fault1 in the kernel: map @pages of anonymous
 * memory, write a byte to each page (a fault allocating it; the first one
 * also gives the VMA its anon_vma, and with the series puts it into its
 * mm's tree) and unmap it; ns per page.
 */
static void bench_page_fault(struct kunit *test)
{
	const unsigned long *pages = test->param_value;
	unsigned long len = NPAGES(*pages), addr;
	unsigned int n = bench_rounds;
	u64 *ns;

	ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	time_mmap_cycles(test, *pages, true, ns, n);
	report(test, "page_fault", *pages, ns, n);
	/* What was timed, once more: every page written, then gone. */
	addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	touch(test, addr, *pages, 7);
	expect_byte(test, addr, 7);
	expect_byte(test, addr + len - PAGE_SIZE, 7);
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, len), 0);
	expect_mapped(test, addr, len, false);
}

/*
 * will-it-scale's brk1 in the kernel: a brk-style mapping (vm_brk_flags(),
 * do_brk_flags() as brk() uses it) grows by a page over its end, which
 * expands the VMA, and shrinks back (munmap of that page); ns per pair.
 * Then the two halves apart: a round of bench_batch growths by a page
 * (@op_grow, ns per growth), and the munmaps of those pages from the top
 * down (@op_shrink, ns per shrink: a split and the tail's removal).
 */
static void time_brk(struct kunit *test, const char *op, const char *op_grow,
		     const char *op_shrink)
{
	struct vm_area_struct *vma;
	unsigned long base, end;
	unsigned int r, n = bench_rounds;
	bool expanded;
	u64 *ns, *ns_shrink;

	ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	ns_shrink = kunit_kcalloc(test, n, sizeof(*ns_shrink), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	KUNIT_ASSERT_NOT_NULL(test, ns_shrink);
	base = free_area(test, NPAGES(64 + BENCH_BATCH)) + NPAGES(16);
	end = base + NPAGES(4);
	KUNIT_ASSERT_EQ(test, vm_brk_flags(base, NPAGES(4), 0), 0);
	touch(test, base, 4, 3);
	/* The growth expands the VMA, as brk()'s does. */
	KUNIT_ASSERT_EQ(test, vm_brk_flags(end, PAGE_SIZE, 0), 0);
	expect_mapped(test, base, NPAGES(5), true);
	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, base);
	KUNIT_EXPECT_TRUE_MSG(test, vma && vma->vm_end == end + PAGE_SIZE,
			      "the brk growth made a VMA of its own");
	mmap_read_unlock(current->mm);
	KUNIT_ASSERT_EQ(test, vm_munmap(end, PAGE_SIZE), 0);
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();
		unsigned int k;

		for (k = 0; k < BENCH_BATCH; k++) {
			if (vm_brk_flags(end, PAGE_SIZE, 0))
				break;
			vm_munmap(end, PAGE_SIZE);
		}
		ns[r] = div_u64(ktime_get_ns() - t0, BENCH_BATCH);
		KUNIT_ASSERT_EQ(test, k, BENCH_BATCH);
	}
	report(test, op, 1, ns, n);
	/* What was timed: the grown page went again, the VMA is as it was. */
	expect_mapped(test, base, NPAGES(4), true);
	expect_mapped(test, end, PAGE_SIZE, false);
	expect_byte(test, base + NPAGES(3), 3);

	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();
		unsigned int k;

		for (k = 0; k < BENCH_BATCH; k++)
			if (vm_brk_flags(end + NPAGES(k), PAGE_SIZE, 0))
				break;
		ns[r] = div_u64(ktime_get_ns() - t0, BENCH_BATCH);
		KUNIT_ASSERT_EQ(test, k, BENCH_BATCH);
		/* Every growth expanded the VMA. */
		mmap_read_lock(current->mm);
		vma = vma_lookup(current->mm, base);
		expanded = vma && vma->vm_start == base &&
			   vma->vm_end == end + NPAGES(k);
		mmap_read_unlock(current->mm);
		KUNIT_ASSERT_TRUE_MSG(test, expanded,
				      "a brk growth made a VMA of its own");
		t0 = ktime_get_ns();
		while (k && !vm_munmap(end + NPAGES(k - 1), PAGE_SIZE))
			k--;
		ns_shrink[r] = div_u64(ktime_get_ns() - t0, BENCH_BATCH);
		KUNIT_ASSERT_EQ(test, k, 0);
	}
	report(test, op_grow, 1, ns, n);
	report(test, op_shrink, 1, ns_shrink, n);
	expect_mapped(test, base, NPAGES(4), true);
	expect_mapped(test, end, NPAGES(BENCH_BATCH), false);
	expect_byte(test, base + NPAGES(3), 3);
	KUNIT_EXPECT_EQ(test, vm_munmap(base, NPAGES(4)), 0);
}

static void bench_brk(struct kunit *test)
{
	time_brk(test, "brk", "brk_grow", "brk_shrink");
}

/*
 * The same in a forked family (the brk mapping made after the fork, so
 * that mainline expands it too): the parent grows, the child idles.
 */
static void bench_brk_forked(struct kunit *test)
{
	struct mm_struct *child = fork_family(test);

	time_brk(test, "brk_forked", "brk_grow_forked", "brk_shrink_forked");
	mmput(child);
}

/*
 * fork() and the child's exit, as far as the mm goes: dup_mm() of the
 * test thread's mm after it mapped @vmas anonymous VMAs of FORK_VMA_PAGES
 * faulted pages each (a page apart: no merge), then mmput() of the copy;
 * ns per call of each ("fork", "fork_exit"; pages= counts the faulted
 * pages).  A fork copies every VMA's place in the reverse map (the
 * anon_vma chains, or the family's tree) and its page table entries, an
 * exit takes them down again.  One call a round, and a quarter of
 * bench_rounds rounds (a fork of 4096 VMAs takes milliseconds): the
 * clock's 256-ns step is far below 1% of a call.
 *
 * On UML each new mm also starts a host process and each exit kills it
 * (init_new_context(), destroy_context()), the same on both kernels and
 * hundreds of microseconds: the 0-VMA row is that floor, and the
 * series' cost per VMA is in the difference to it.
 */
#define FORK_VMA_PAGES	4
#define FORK_BYTE(i)	((char)((i) % 127 + 1))

KUNIT_DEFINE_ACTION_WRAPPER(mmput_action, mmput, struct mm_struct *);

static const unsigned long fork_vmas[] = { 0, 256, 4096 };

static void vmas_to_desc(const unsigned long *vmas, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lu VMAs", *vmas);
}

BENCH_ARRAY_PARAM(fork_vmas, fork_vmas, vmas_to_desc);

static void bench_fork(struct kunit *test)
{
	const unsigned long *vmas = test->param_value;
	unsigned long step = NPAGES(FORK_VMA_PAGES + 1), base, addr, i;
	unsigned int r, bad = 0, n = bench_rounds / 4 + 1;
	struct mm_struct *parent, *child;
	u64 *ns_fork, *ns_exit;
	int before;

	ns_fork = kunit_kcalloc(test, n, sizeof(*ns_fork), GFP_KERNEL);
	ns_exit = kunit_kcalloc(test, n, sizeof(*ns_exit), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns_fork);
	KUNIT_ASSERT_NOT_NULL(test, ns_exit);
	/* The test's mm (the first kunit_vm_mmap() makes it), no VMA added. */
	base = free_area(test, *vmas ? *vmas * step : PAGE_SIZE);
	parent = current->mm;
	before = parent->map_count;
	for (i = 0; i < *vmas; i++) {
		addr = base + i * step;
		KUNIT_ASSERT_EQ(test, vm_mmap(NULL, addr,
					      NPAGES(FORK_VMA_PAGES),
					      PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS |
					      MAP_FIXED_NOREPLACE, 0), addr);
		touch(test, addr, FORK_VMA_PAGES, FORK_BYTE(i));
	}
	KUNIT_ASSERT_EQ(test, parent->map_count, before + (int)*vmas);
	/* Warm up; with CONFIG_ANON_SPACE the first fork ends identity mode. */
	for (r = 0; r < 4; r++) {
		child = dup_mm_kunit(parent);
		KUNIT_ASSERT_NOT_NULL(test, child);
		mmput(child);
	}
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns(), t1;

		child = dup_mm_kunit(parent);
		t1 = ktime_get_ns();
		KUNIT_ASSERT_NOT_NULL(test, child);
		mmput(child);
		ns_exit[r] = ktime_get_ns() - t1;
		ns_fork[r] = t1 - t0;
	}
	report_batch(test, "fork", *vmas * FORK_VMA_PAGES, ns_fork, n, 1);
	report_batch(test, "fork_exit", *vmas * FORK_VMA_PAGES, ns_exit, n, 1);

	/* What was timed: a child with every VMA, and the pages in them. */
	child = dup_mm_kunit(parent);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mmput_action,
							child), 0);
	KUNIT_EXPECT_EQ(test, child->map_count, parent->map_count);
	/* No ASSERT in the child's mm: the test must end in its own. */
	kthread_unuse_mm(parent);
	kthread_use_mm(child);
	for (i = 0; i < *vmas; i++) {
		char first = 0, last = 0;

		addr = base + i * step;
		if (copy_from_user(&first, (void __user *)addr, 1) ||
		    copy_from_user(&last, (void __user *)(addr +
				   NPAGES(FORK_VMA_PAGES - 1)), 1) ||
		    first != FORK_BYTE(i) || last != FORK_BYTE(i))
			bad++;
	}
	kthread_unuse_mm(child);
	kthread_use_mm(parent);
	KUNIT_EXPECT_EQ(test, bad, 0);
	if (*vmas)
		KUNIT_EXPECT_EQ(test, vm_munmap(base, *vmas * step), 0);
}

/*
 * VMA counts: the same workloads on the kernels with and without
 * CONFIG_ANON_SPACE ("vmas:" lines; make bench prints them side by side).
 * Each case checks the layout it counts (the mappings are where the
 * workload put them, with their bytes).  The series must never leave more
 * VMAs than mainline, and after mremap() moves it may leave fewer.
 */
static void report_vmas(struct kunit *test, const char *workload, int base)
{
	kunit_info(test, "vmas: %s count=%d anon_space=%d\n", workload,
		   current->mm->map_count - base, IS_ENABLED(CONFIG_ANON_SPACE));
}

/* 16 MAP_FIXED overwrites of 2 pages inside a faulted 8-page mapping. */
static void vmas_map_fixed_overwrite(struct kunit *test)
{
	unsigned long x = free_area(test, NPAGES(64)) + NPAGES(16);
	int base = current->mm->map_count, i;

	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, x, NPAGES(8), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_FIXED_NOREPLACE, 0), x);
	touch(test, x, 8, 1);
	for (i = 0; i < 16; i++) {
		unsigned long at = x + NPAGES(i % 6);

		KUNIT_ASSERT_EQ(test, vm_mmap(NULL, at, NPAGES(2),
					      PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS |
					      MAP_FIXED, 0), at);
		touch(test, at, 2, 2);
	}
	/* Pages 0-6 were overwritten, page 7 was not. */
	expect_byte(test, x, 2);
	expect_byte(test, x + NPAGES(6), 2);
	expect_byte(test, x + NPAGES(7), 1);
	report_vmas(test, "map_fixed_overwrite", base);
}

/*
 * realloc() by moving: 16 faulted buffers, each moved (MREMAP_FIXED) to a
 * new place, and the program then allocates next to each one.
 */
static void vmas_move_then_neighbour(struct kunit *test)
{
	unsigned long area = free_area(test, NPAGES(16 * 32)), i;
	int base = current->mm->map_count;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	for (i = 0; i < 16; i++) {
		unsigned long a = area + NPAGES(32 * i), b = a + NPAGES(16);

		KUNIT_ASSERT_EQ(test, vm_mmap(NULL, a, NPAGES(4),
					      PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS |
					      MAP_FIXED_NOREPLACE, 0), a);
		touch(test, a, 4, 3);
		KUNIT_ASSERT_EQ(test, do_mremap(a, NPAGES(4), b), (long)b);
		KUNIT_ASSERT_EQ(test, vm_mmap(NULL, b + NPAGES(4), NPAGES(4),
					      PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS |
					      MAP_FIXED_NOREPLACE, 0),
				b + NPAGES(4));
		touch(test, b + NPAGES(4), 4, 4);
		expect_byte(test, b, 3);
	}
	report_vmas(test, "move_then_neighbour", base);
}

/*
 * Fork: the child of a parent with a faulted and an unfaulted mapping
 * maps next to the unfaulted one and faults everything.
 */
static void vmas_fork_then_map(struct kunit *test)
{
	unsigned long x = free_area(test, NPAGES(64)) + NPAGES(16);
	struct mm_struct *parent = current->mm, *child;
	int base;

	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, x, NPAGES(4), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_FIXED_NOREPLACE, 0), x);
	touch(test, x, 4, 5);
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, x + NPAGES(8), NPAGES(4), PROT_READ,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_FIXED_NOREPLACE, 0), x + NPAGES(8));
	child = dup_mm_kunit(parent);
	KUNIT_ASSERT_NOT_NULL(test, child);
	kthread_unuse_mm(parent);
	kthread_use_mm(child);
	base = child->map_count;
	KUNIT_EXPECT_EQ(test, vm_mmap(NULL, x + NPAGES(12), NPAGES(4), PROT_READ,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_FIXED_NOREPLACE, 0), x + NPAGES(12));
	touch(test, x, 4, 6);
	expect_byte(test, x, 6);
	report_vmas(test, "fork_then_map", base);
	kthread_unuse_mm(child);
	kthread_use_mm(parent);
	expect_byte(test, x, 5);
	mmput(child);
}

#define STACK_CHILDREN	4

/*
 * expand_downwards() of the current mm's stack-like VMA at @s to @addr.
 * (The series' suites have grow_down() in anon_mm_kunit.h; this suite
 * builds without CONFIG_ANON_SPACE too, and includes none of theirs.)
 */
static int grow_stack(unsigned long s, unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int err = -ENOENT;

	mmap_write_lock(mm);
	vma = vma_lookup(mm, s);
	if (vma && (vma->vm_flags & VM_GROWSDOWN))
		err = expand_downwards(vma, addr);
	mmap_write_unlock(mm);
	return err;
}

/*
 * Stacks growing after fork: a parent with a faulted stack-like VMA
 * (MAP_GROWSDOWN) makes STACK_CHILDREN children; the parent, then each
 * child, grows its stack down by 8 pages, as faults below it would, and
 * writes all of it.  The VMAs added in all the mms together.
 */
static void vmas_fork_stacks(struct kunit *test)
{
	unsigned long s = free_area(test, NPAGES(1024)) + NPAGES(512);
	struct mm_struct *parent = current->mm, *child[STACK_CHILDREN];
	int before, after, c;

	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, s, NPAGES(4), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, 0),
			s);
	touch(test, s, 4, 7);
	before = parent->map_count;
	for (c = 0; c < STACK_CHILDREN; c++) {
		child[c] = dup_mm_kunit(parent);
		KUNIT_ASSERT_NOT_NULL(test, child[c]);
		before += child[c]->map_count;
	}
	KUNIT_EXPECT_EQ(test, grow_stack(s, s - NPAGES(8)), 0);
	touch(test, s - NPAGES(8), 12, 8);
	after = parent->map_count;
	kthread_unuse_mm(parent);
	for (c = 0; c < STACK_CHILDREN; c++) {
		kthread_use_mm(child[c]);
		KUNIT_EXPECT_EQ(test, grow_stack(s, s - NPAGES(8)), 0);
		expect_byte(test, s, 7);
		touch(test, s - NPAGES(8), 12, 9 + c);
		expect_byte(test, s - NPAGES(8), 9 + c);
		after += child[c]->map_count;
		kthread_unuse_mm(child[c]);
	}
	kthread_use_mm(parent);
	expect_byte(test, s, 8);
	kunit_info(test, "vmas: fork_stacks count=%d anon_space=%d\n",
		   after - before, IS_ENABLED(CONFIG_ANON_SPACE));
	for (c = 0; c < STACK_CHILDREN; c++)
		mmput(child[c]);
}

/*
 * Reverse map walks: the cost of finding the mappings of one anonymous
 * folio (what reclaim's aging, swap-out and migration do for every
 * folio), in a family built as vmas_fork_then_map builds one.  The
 * parent maps RMAP_PAGES pages and faults them in, dup_mm() makes N
 * children, and every second child (0, 2, ...) writes to every fourth
 * page (0, 4, ...), copying those pages on write.
 *
 * bench_rmap_parent times the walks of parent folios that no child copied
 * (mapped in all N + 1 mms), bench_rmap_cow those of folios child 0 copied
 * (mapped in child 0 only).  Each prints two timings: folio_referenced(),
 * as reclaim calls it ("referenced_*"; it stops once it has found every
 * mapping), and a whole rmap_walk() whose rmap_one only counts
 * ("walk_*"), and the VMAs that walk visited (those whose range covers
 * the folio) and how many of them map it (page_vma_mapped_walk()).
 * Before timing, each case walks every folio of its kind and asserts the
 * counts: a walk that misses a mapping fails the case.
 */
#define RMAP_PAGES	256
#define RMAP_SAMPLE	16
/*
 * VMAs a timed round visits at least: the sample walked again as often as
 * it takes.  A round of 2048 visits lasts tens of microseconds, so UML's
 * clock steps of 256 ns (bench_batch) are 1% of it or less; a round of
 * the sample alone, 16 walks of one VMA, lasts about one step.
 */
#define RMAP_VISITS	2048

static const unsigned int bench_children[] = { 1, 10, 100, 1000 };

static void children_to_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u children", *n);
}

BENCH_ARRAY_PARAM(bench_children, bench_children, children_to_desc);

KUNIT_DEFINE_ACTION_WRAPPER(folio_put_action, folio_put, struct folio *);

/* Does child @c copy page @i on write? */
static bool rmap_cows(unsigned int c, unsigned long i)
{
	return c % 2 == 0 && i % 4 == 0;
}

struct rmap_family {
	struct mm_struct *parent, **child;
	unsigned int children;
	unsigned long addr;
};

/* The parent's mapping, faulted in, and its children, some of them COWed. */
static void rmap_family(struct kunit *test, struct rmap_family *fam,
			unsigned int children)
{
	unsigned long i;
	unsigned int c, bad;
	char byte = 9;

	fam->addr = kunit_vm_mmap(test, NULL, 0, NPAGES(RMAP_PAGES),
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(fam->addr) || !fam->addr);
	touch(test, fam->addr, RMAP_PAGES, 7);
	fam->parent = current->mm;
	fam->children = children;
	fam->child = kunit_kcalloc(test, children, sizeof(*fam->child),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fam->child);
	for (c = 0; c < children; c++) {
		fam->child[c] = dup_mm_kunit(fam->parent);
		KUNIT_ASSERT_NOT_NULL(test, fam->child[c]);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mmput_action,
								fam->child[c]), 0);
	}
	/* No ASSERT in a child's mm: the test must end in its own. */
	for (c = 0, bad = 0; c < children; c += 2) {
		kthread_unuse_mm(fam->parent);
		kthread_use_mm(fam->child[c]);
		for (i = 0; i < RMAP_PAGES; i++)
			if (rmap_cows(c, i) &&
			    copy_to_user((void __user *)(fam->addr + NPAGES(i)),
					 &byte, 1))
				bad++;
		kthread_unuse_mm(fam->child[c]);
		kthread_use_mm(fam->parent);
	}
	KUNIT_ASSERT_EQ(test, bad, 0);
	expect_byte(test, fam->addr, 7);
}

/* The folio mapped at @addr in @mm, with a reference until the case ends. */
static struct folio *rmap_folio(struct kunit *test, struct mm_struct *mm,
				unsigned long addr)
{
	struct page *page;
	struct folio *folio;
	long got;

	mmap_read_lock(mm);
	got = get_user_pages_remote(mm, addr, 1, 0, &page, NULL);
	mmap_read_unlock(mm);
	KUNIT_ASSERT_EQ(test, got, 1L);
	folio = page_folio(page);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, folio_put_action,
							folio), 0);
	KUNIT_ASSERT_TRUE(test, folio_test_anon(folio));
	KUNIT_ASSERT_FALSE(test, folio_test_large(folio));
	return folio;
}

struct rmap_count {
	unsigned int visited, mapped;
};

/* rmap_one: count the VMA, and count it again if it maps the folio. */
static bool rmap_count_one(struct folio *folio, struct vm_area_struct *vma,
			   unsigned long addr, void *arg)
{
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);
	struct rmap_count *count = arg;

	count->visited++;
	if (page_vma_mapped_walk(&pvmw)) {
		count->mapped++;
		page_vma_mapped_walk_done(&pvmw);
	}
	return true;
}

/* A whole rmap_walk() of @folio, under the folio lock the space walk needs. */
static struct rmap_count rmap_count(struct folio *folio)
{
	struct rmap_count count = {};
	struct rmap_walk_control rwc = {
		.rmap_one = rmap_count_one,
		.arg = &count,
	};

	folio_lock(folio);
	rmap_walk(folio, &rwc);
	folio_unlock(folio);
	return count;
}

/* Walk every folio of @folios and assert its counts. */
static void rmap_expect(struct kunit *test, struct folio **folios,
			unsigned int n, unsigned int visited,
			const unsigned int *mapped)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		struct rmap_count count = rmap_count(folios[k]);

		KUNIT_ASSERT_EQ_MSG(test, count.mapped, mapped[k], "folio %u", k);
		KUNIT_ASSERT_EQ_MSG(test, count.visited, visited, "folio %u", k);
	}
}

static void rmap_report(struct kunit *test, const char *op,
			unsigned int children, u64 *ns, unsigned int n,
			unsigned int batch, struct rmap_count count)
{
	sort(ns, n, sizeof(*ns), u64_cmp, NULL);
	kunit_info(test, "bench: %s pages=%u children=%u rounds=%u batch=%u median_ns=%llu min_ns=%llu visited=%u mapped=%u anon_space=%d rmap=%d\n",
		   op, RMAP_PAGES, children, n, batch, ns[n / 2], ns[0],
		   count.visited, count.mapped, IS_ENABLED(CONFIG_ANON_SPACE),
		   IS_ENABLED(CONFIG_ANON_SPACE_RMAP));
}

/*
 * Time folio_referenced() and the counting walk over @sample folios, each
 * round over the sample @reps times (RMAP_VISITS).
 */
static void rmap_time(struct kunit *test, const char *what,
		      struct folio **sample, unsigned int children,
		      struct rmap_count count)
{
	unsigned int reps = DIV_ROUND_UP(RMAP_VISITS,
					 RMAP_SAMPLE * max(count.visited, 1U));
	unsigned int r, k, i, n = bench_rounds, bad = 0;
	unsigned long vm_flags;
	char op[32];
	u64 *ns;

	ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	/* Warm up, and clear the accessed bits the faults set. */
	for (k = 0; k < RMAP_SAMPLE; k++)
		KUNIT_ASSERT_GE(test, folio_referenced(sample[k], 0, NULL,
						       &vm_flags), 0);
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();

		for (i = 0; i < reps; i++)
			for (k = 0; k < RMAP_SAMPLE; k++)
				if (folio_referenced(sample[k], 0, NULL,
						     &vm_flags) < 0)
					bad++;
		ns[r] = div_u64(ktime_get_ns() - t0, reps * RMAP_SAMPLE);
	}
	KUNIT_ASSERT_EQ(test, bad, 0);
	snprintf(op, sizeof(op), "referenced_%s", what);
	rmap_report(test, op, children, ns, n, reps * RMAP_SAMPLE, count);
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();

		for (i = 0; i < reps; i++)
			for (k = 0; k < RMAP_SAMPLE; k++)
				if (rmap_count(sample[k]).mapped !=
				    count.mapped)
					bad++;
		ns[r] = div_u64(ktime_get_ns() - t0, reps * RMAP_SAMPLE);
	}
	KUNIT_ASSERT_EQ(test, bad, 0);
	snprintf(op, sizeof(op), "walk_%s", what);
	rmap_report(test, op, children, ns, n, reps * RMAP_SAMPLE, count);
}

/*
 * Every parent folio is mapped in the parent and in every child that did
 * not copy it; every walk visits all N + 1 VMAs (the parent's anon_vma
 * tree holds every child's VMA too, as the parent's node's subtree of the
 * anon_space does).
 */
static void bench_rmap_parent(struct kunit *test)
{
	const unsigned int *children = test->param_value;
	struct folio **folios, *sample[RMAP_SAMPLE];
	unsigned int *mapped, k = 0, c;
	struct rmap_family fam;
	unsigned long i;

	rmap_family(test, &fam, *children);
	folios = kunit_kcalloc(test, RMAP_PAGES, sizeof(*folios), GFP_KERNEL);
	mapped = kunit_kcalloc(test, RMAP_PAGES, sizeof(*mapped), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, folios);
	KUNIT_ASSERT_NOT_NULL(test, mapped);
	for (i = 0; i < RMAP_PAGES; i++) {
		folios[i] = rmap_folio(test, fam.parent,
				       fam.addr + NPAGES(i));
		mapped[i] = 1;
		for (c = 0; c < *children; c++)
			mapped[i] += !rmap_cows(c, i);
	}
	rmap_expect(test, folios, RMAP_PAGES, *children + 1, mapped);
	/* The sample: folios no child copied (pages 1, 5, 9, ...). */
	for (i = 1; k < RMAP_SAMPLE; i += 4)
		sample[k++] = folios[i];
	rmap_time(test, "parent", sample, *children,
		  rmap_count(sample[0]));
}

/*
 * Every folio a child copied is mapped in that child alone.  The anon_vma
 * walk finds it in the child's own anon_vma tree, one VMA; the space walk
 * in the child's node, which has no children: one VMA too.
 */
static void bench_rmap_cow(struct kunit *test)
{
	const unsigned int *children = test->param_value;
	unsigned int n = 0, k, c, *mapped;
	struct folio **folios, *parent;
	struct rmap_family fam;
	unsigned long i;

	rmap_family(test, &fam, *children);
	folios = kunit_kcalloc(test, *children * RMAP_PAGES / 4 + 1,
			       sizeof(*folios), GFP_KERNEL);
	mapped = kunit_kcalloc(test, *children * RMAP_PAGES / 4 + 1,
			       sizeof(*mapped), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, folios);
	KUNIT_ASSERT_NOT_NULL(test, mapped);
	/* Child 0's copies first: the sample. */
	for (c = 0; c < *children; c++)
		for (i = 0; i < RMAP_PAGES; i++) {
			if (!rmap_cows(c, i))
				continue;
			folios[n] = rmap_folio(test, fam.child[c],
					       fam.addr + NPAGES(i));
			parent = rmap_folio(test, fam.parent,
					    fam.addr + NPAGES(i));
			KUNIT_ASSERT_PTR_NE(test, folios[n], parent);
			mapped[n++] = 1;
		}
	KUNIT_ASSERT_GE(test, n, RMAP_SAMPLE);
	rmap_expect(test, folios, n, 1, mapped);
	for (k = 0; k < RMAP_SAMPLE; k++)
		KUNIT_ASSERT_EQ(test, folio_pfn(folios[k]),
				folio_pfn(rmap_folio(test, fam.child[0],
						     fam.addr + NPAGES(4 * k))));
	rmap_time(test, "cow", folios, *children, rmap_count(folios[0]));
}

static const unsigned int lend_children[] = { 0, 1, 16 };

BENCH_ARRAY_PARAM(lend_children, lend_children, children_to_desc);

/*
 * A parent that maps and unmaps while @children fork children idle: each
 * call maps two pages apart and unmaps the first then the second, so
 * that one unmap a call gives its range back to the allocator (the
 * other is the range the mm took last, which its node keeps).  With
 * CONFIG_ANON_SPACE that unmap first looks for borrowers of its range in
 * every child's tree (patch "a fork copy borrows its parent's range"):
 * there are none, the children's copies borrow only the page mapped
 * before the fork.  ns per call (two mmaps and two munmaps).
 */
static void bench_munmap_children(struct kunit *test)
{
	const unsigned int *children = test->param_value;
	unsigned long a = 0, b = 0, len = PAGE_SIZE;
	struct mm_struct **child = NULL;
	unsigned int n = bench_rounds, r, c;
	u64 *ns;

	ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	if (*children) {
		child = kunit_kcalloc(test, *children, sizeof(*child),
				      GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, child);
		child[0] = fork_family(test);
		for (c = 1; c < *children; c++) {
			child[c] = dup_mm_kunit(current->mm);
			KUNIT_ASSERT_NOT_NULL(test, child[c]);
		}
	}
	free_area(test, PAGE_SIZE);
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();
		unsigned int k;

		for (k = 0; k < bench_batch; k++) {
			a = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, 0);
			b = vm_mmap(NULL, 0, len, PROT_READ,
				    MAP_PRIVATE | MAP_ANONYMOUS, 0);
			if (IS_ERR_VALUE(a) || IS_ERR_VALUE(b))
				break;
			vm_munmap(a, len);
			vm_munmap(b, len);
		}
		ns[r] = div_u64(ktime_get_ns() - t0, bench_batch);
		KUNIT_ASSERT_EQ(test, k, bench_batch);
	}
	report_children(test, "munmap_children", 1, *children, ns, n,
			bench_batch);
	/* What was timed: the mappings went away, the children stayed. */
	expect_mapped(test, a, len, false);
	expect_mapped(test, b, len, false);
	for (c = 0; c < *children; c++)
		mmput(child[c]);
}

static const unsigned int stack_children[] = { 1, 16, 64 };

BENCH_ARRAY_PARAM(stack_children, stack_children, children_to_desc);

#define STACK_GROW	64

/* Per row, not per child: a row of one child is timed as often as one of 64. */
static unsigned int stack_rounds = 128;
module_param(stack_rounds, uint, 0444);
MODULE_PARM_DESC(stack_rounds, "timed rounds of each bench_stack_children row, shared by its children (at least one each)");

static unsigned int stack_pages = 4;
module_param(stack_pages, uint, 0444);
MODULE_PARM_DESC(stack_pages, "faulted pages of the parent's stack in bench_stack_children (1-256)");

static unsigned int stack_vmas;
module_param(stack_vmas, uint, 0444);
MODULE_PARM_DESC(stack_vmas, "other VMAs of a faulted page in bench_stack_children's parent");

/*
 * Stacks of a family growing over each other's indexes: a parent with a
 * faulted stack-like VMA makes @children children and grows its stack
 * down by STACK_GROW pages; then each child, its pages still shared with
 * the parent, grows its own a page at a time, STACK_GROW times, where
 * the parent's grew.  With CONFIG_ANON_SPACE each growth takes indexes
 * the parent's holds, and shares them once it has found that every user
 * is a relative (a look into each mm's tree of the family, under the
 * allocator's mutex).  ns per growth; stack_rounds rounds in all, as
 * many for each child (at least one), the child's growth unmapped after
 * each.  stack_vmas more VMAs of a faulted
 * page each in the parent, mapped before the fork, give the mm the VMA
 * tree, and the family the allocator's tree, of a process with libraries
 * and mappings: the test's mm has only a few VMAs.  stack_pages (4 by
 * default) is the stack's size at the fork: a process's main stack has
 * 128 KB and more from exec on (setup_arg_pages()), and with
 * CONFIG_ANON_SPACE a larger stack covers a larger room below it at a
 * time (up to 32 pages), so fewer growths pay for the cover.
 */
static void bench_stack_children(struct kunit *test)
{
	const unsigned int *children = test->param_value;
	unsigned long s = free_area(test, NPAGES(1024)) + NPAGES(512);
	struct mm_struct *parent = current->mm, **child;
	unsigned int n = *children, sp = clamp(stack_pages, 1U, 256U), c, k, r;
	unsigned int rounds = max(DIV_ROUND_UP(stack_rounds, n), 1U);
	u64 *ns, t0;

	ns = kunit_kcalloc(test, n * rounds, sizeof(*ns), GFP_KERNEL);
	child = kunit_kcalloc(test, n, sizeof(*child), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, s, NPAGES(sp), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, 0),
			s);
	touch(test, s, sp, 7);
	if (stack_vmas) {
		unsigned long o = free_area(test, NPAGES(2 * stack_vmas));

		for (k = 0; k < stack_vmas; k++) {
			KUNIT_ASSERT_EQ(test, vm_mmap(NULL, o + NPAGES(2 * k),
						      PAGE_SIZE,
						      PROT_READ | PROT_WRITE,
						      MAP_PRIVATE |
						      MAP_ANONYMOUS |
						      MAP_FIXED_NOREPLACE, 0),
					o + NPAGES(2 * k));
			touch(test, o + NPAGES(2 * k), 1, 3);
		}
	}
	for (c = 0; c < n; c++) {
		child[c] = dup_mm_kunit(parent);
		KUNIT_ASSERT_NOT_NULL(test, child[c]);
	}
	KUNIT_ASSERT_EQ(test, grow_stack(s, s - NPAGES(STACK_GROW)), 0);
	kthread_unuse_mm(parent);
	for (c = 0; c < n; c++) {
		kthread_use_mm(child[c]);
		for (r = 0; r < rounds; r++) {
			t0 = ktime_get_ns();
			for (k = 1; k <= STACK_GROW; k++)
				if (grow_stack(s, s - NPAGES(k)))
					break;
			ns[c * rounds + r] =
				div_u64(ktime_get_ns() - t0, STACK_GROW);
			/* What was timed: every growth, the pages shared. */
			expect_mapped(test, s - NPAGES(STACK_GROW),
				      NPAGES(STACK_GROW + sp), true);
			expect_byte(test, s, 7);
			KUNIT_EXPECT_EQ(test, k, STACK_GROW + 1);
			/* Back to the child's stack as forked, untimed. */
			KUNIT_EXPECT_EQ(test, vm_munmap(s - NPAGES(STACK_GROW),
							NPAGES(STACK_GROW)), 0);
		}
		kthread_unuse_mm(child[c]);
	}
	kthread_use_mm(parent);
	report_children(test, "stack_children", 1, n, ns, n * rounds,
			STACK_GROW);
	for (c = 0; c < n; c++)
		mmput(child[c]);
}

static struct kunit_case mremap_bench_cases[] = {
	KUNIT_CASE_PARAM(bench_mremap_move, bench_pages_gen_params),
	KUNIT_CASE_PARAM(bench_mmap_munmap, bench_pages_gen_params),
	KUNIT_CASE_PARAM(bench_mremap_move_forked, bench_pages_gen_params),
	KUNIT_CASE_PARAM(bench_mmap_munmap_forked, bench_pages_gen_params),
	KUNIT_CASE_PARAM(bench_mmap_munmap_realloced, bench_pages_gen_params),
	KUNIT_CASE_PARAM(bench_mmap_munmap_child, bench_pages_gen_params),
	KUNIT_CASE_PARAM(bench_page_fault, fault_pages_gen_params),
	KUNIT_CASE(bench_brk),
	KUNIT_CASE(bench_brk_forked),
	KUNIT_CASE_PARAM(bench_fork, fork_vmas_gen_params),
	KUNIT_CASE_PARAM(bench_munmap_children, lend_children_gen_params),
	KUNIT_CASE_PARAM(bench_stack_children, stack_children_gen_params),
	KUNIT_CASE(vmas_map_fixed_overwrite),
	KUNIT_CASE(vmas_move_then_neighbour),
	KUNIT_CASE(vmas_fork_then_map),
	KUNIT_CASE(vmas_fork_stacks),
	KUNIT_CASE_PARAM(bench_rmap_parent, bench_children_gen_params),
	KUNIT_CASE_PARAM(bench_rmap_cow, bench_children_gen_params),
	{}
};

static unsigned int bench_warm = 16384;
module_param(bench_warm, uint, 0444);
MODULE_PARM_DESC(bench_warm, "untimed mmap+munmap pairs before the first case of a boot");

/*
 * On the machine the figures come from, the first cases of a boot run 3-7
 * times slower than the same cases after others, on both kernels alike:
 * a state of the machine that the work before ends, not time (a sleep or
 * a busy loop first does not).  So before the first case of a boot, a
 * few thousand mmap+munmap pairs, untimed, in that case's mm.
 */
static int mremap_bench_warm_up(struct kunit *test)
{
	static bool warm;
	unsigned long a;
	unsigned int k;

	if (warm)
		return 0;
	warm = true;
	free_area(test, PAGE_SIZE);
	for (k = 0; k < bench_warm; k++) {
		a = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(a))
			return -ENOMEM;
		vm_munmap(a, PAGE_SIZE);
	}
	return 0;
}

/* Rounds and calls per round of 0 would time nothing (and divide by 0). */
static int mremap_bench_init(struct kunit_suite *suite)
{
	if (!bench_rounds || !bench_batch) {
		pr_err("mremap_bench: bench_rounds=%u bench_batch=%u: both must be at least 1\n",
		       bench_rounds, bench_batch);
		return -EINVAL;
	}
	return 0;
}

static struct kunit_suite mremap_bench_suite = {
	.name = "mremap_bench",
	.suite_init = mremap_bench_init,
	.init = mremap_bench_warm_up,
	.test_cases = mremap_bench_cases,
};

kunit_test_suite(mremap_bench_suite);

MODULE_DESCRIPTION("Timings of mremap() moves and anonymous mmap()+munmap(), and VMA counts");
MODULE_LICENSE("GPL");
