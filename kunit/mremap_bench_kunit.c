// SPDX-License-Identifier: GPL-2.0
/*
 * mremap_bench: time mremap() moves of faulted anonymous memory, and
 * mmap()+munmap() of anonymous memory, in the KUnit test thread's mm.
 *
 * Not a test: every case passes unless a call fails, and prints its
 * figures as KTAP diagnostics ("# bench: ...") for scripts/bench.sh, which
 * runs it by name on two kernels, CONFIG_ANON_SPACE=y and =n, to show
 * what the series adds to each operation.  It does not depend on
 * CONFIG_ANON_SPACE.
 *
 * A move goes back and forth between two fixed addresses (MREMAP_FIXED),
 * so every call moves the same faulted pages the same distance.  A round
 * times 16 calls; the median and the minimum over the rounds of the time
 * per call are printed, in nanoseconds.
 *
 * The vmas_* cases run a few workloads and print the VMAs they leave
 * ("# vmas: ..."), for the same side-by-side comparison.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>

static unsigned int bench_rounds = 201;
module_param(bench_rounds, uint, 0444);
MODULE_PARM_DESC(bench_rounds, "timed rounds per case");

/* Calls per timed round: UML's clock ticks in steps of a few hundred ns. */
#define BENCH_BATCH	16

#define NPAGES(n)	((unsigned long)(n) << PAGE_SHIFT)

/* sys_mremap() is a plain function only without syscall wrappers (UML). */
#if IS_BUILTIN(CONFIG_MREMAP_KUNIT_BENCH) && \
	!defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#define HAVE_MREMAP 1
static long do_mremap(unsigned long addr, unsigned long len, unsigned long to)
{
	return sys_mremap(addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
}
#else
#define HAVE_MREMAP 0
static long do_mremap(unsigned long addr, unsigned long len, unsigned long to)
{
	return -EOPNOTSUPP;
}
#endif

static const unsigned long bench_pages[] = { 1, 64, 4096 };

static void pages_to_desc(const unsigned long *pages, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lu pages", *pages);
}

KUNIT_ARRAY_PARAM(bench_pages, bench_pages, pages_to_desc);

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

static void report(struct kunit *test, const char *op, unsigned long pages,
		   u64 *ns, unsigned int n)
{
	sort(ns, n, sizeof(*ns), u64_cmp, NULL);
	kunit_info(test, "bench: %s pages=%lu rounds=%u median_ns=%llu min_ns=%llu anon_space=%d\n",
		   op, pages, n, ns[n / 2], ns[0], IS_ENABLED(CONFIG_ANON_SPACE));
}

static void bench_mremap_move(struct kunit *test)
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
	report(test, "mremap_move", *pages, ns, n);
	/* What was timed: the faulted pages went back and forth intact. */
	expect_mapped(test, from, len, true);
	expect_mapped(test, to, len, false);
	for (i = 0; i < *pages; i++)
		expect_byte(test, from + NPAGES(i), byte);
	KUNIT_EXPECT_EQ(test, vm_munmap(from, len), 0);
}

static void bench_mmap_munmap(struct kunit *test)
{
	const unsigned long *pages = test->param_value;
	unsigned long len = NPAGES(*pages), addr;
	unsigned int r, n = bench_rounds;
	u64 *ns;

	ns = kunit_kcalloc(test, n, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	free_area(test, PAGE_SIZE);
	for (r = 0; r < n; r++) {
		u64 t0 = ktime_get_ns();
		unsigned int k;

		for (k = 0; k < BENCH_BATCH; k++) {
			addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, 0);
			if (IS_ERR_VALUE(addr))
				break;
			vm_munmap(addr, len);
		}
		ns[r] = div_u64(ktime_get_ns() - t0, BENCH_BATCH);
		KUNIT_ASSERT_EQ(test, k, BENCH_BATCH);
	}
	report(test, "mmap_munmap", *pages, ns, n);
	/* What was timed: each mapping went away again. */
	expect_mapped(test, addr, len, false);
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
	child = dup_mm(current, parent);
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

static struct kunit_case mremap_bench_cases[] = {
	KUNIT_CASE_PARAM(bench_mremap_move, bench_pages_gen_params),
	KUNIT_CASE_PARAM(bench_mmap_munmap, bench_pages_gen_params),
	KUNIT_CASE(vmas_map_fixed_overwrite),
	KUNIT_CASE(vmas_move_then_neighbour),
	KUNIT_CASE(vmas_fork_then_map),
	{}
};

static struct kunit_suite mremap_bench_suite = {
	.name = "mremap_bench",
	.test_cases = mremap_bench_cases,
};

kunit_test_suite(mremap_bench_suite);

MODULE_DESCRIPTION("Timings of mremap() moves and anonymous mmap()+munmap(), and VMA counts");
MODULE_LICENSE("GPL");
