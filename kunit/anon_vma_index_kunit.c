// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the index ranges of anonymous VMAs (suite anon_vma_index).
 *
 * Every purely anonymous VMA takes [vm_pgoff, vm_pgoff + vma_pages) from its
 * family's anon_index, and the allocator's coverage must always equal the
 * multiset of those ranges over the family's mms.  The cases drive real mms
 * (the test thread's, attached by kunit_vm_mmap(), and dup_mm() copies of
 * it) through vm_mmap(), vm_munmap(), vm_brk_flags(), mremap(), mprotect()
 * and stack growth, and check that equality after every step.
 *
 * After every step they also check the anon_space's i_mmap tree: it holds
 * exactly the purely anonymous VMAs of the family's mms, each once, each
 * found by a search for its own [vm_pgoff, vm_pgoff + vma_pages - 1], in
 * start order and with consistent subtree maxima (so no VMA's range
 * changed while it sat in the tree); and with CONFIG_DEBUG_ANON_SPACE the
 * reverse map: for every anonymous folio of every mm of the family, the
 * walk through the anon_space finds exactly the mappings the anon_vma walk
 * finds, and visits no unrelated VMA unless the allocator counted an
 * overlap.
 *
 * Suite anon_space_rmap: the walk finds exactly the real mappings of
 * pages private to a mm, shared after fork and copied on write; and a
 * seeded random sequence of mmap, munmap, mremap, mprotect, brk, fork,
 * exit and faults across a family keeps all of the above after each step.
 *
 * Suite anon_mremap: every kind of mremap() moves VMA boundaries, never a
 * page's index: each page is found at its new address, the same page with
 * the same index, and the reverse map finds it there.
 */

#include <kunit/test.h>
#include <linux/anon_index.h>
#include <linux/anon_space.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
#include <linux/pagewalk.h>
#include <linux/prandom.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#if defined(CONFIG_X86_64) && defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#include <asm/syscall.h>
#include <asm/unistd.h>
#endif

#include "../internal.h"

/*
 * sys_mremap() and sys_mprotect() are plain functions only without syscall
 * wrappers (UML); x86_64's take their arguments in a pt_regs, through the
 * syscall entry's own dispatch.
 */
#if IS_BUILTIN(CONFIG_ANON_SPACE_KUNIT_TEST) && defined(CONFIG_X86_64) && \
	defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#define HAVE_MREMAP 1
static long do_mremap(unsigned long addr, unsigned long old_len,
		      unsigned long new_len, unsigned long flags,
		      unsigned long new_addr)
{
	struct pt_regs regs = {
		.di = addr, .si = old_len, .dx = new_len, .r10 = flags,
		.r8 = new_addr,
	};

	return x64_sys_call(&regs, __NR_mremap);
}

static long do_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	struct pt_regs regs = { .di = start, .si = len, .dx = prot };

	return x64_sys_call(&regs, __NR_mprotect);
}
#elif IS_BUILTIN(CONFIG_ANON_SPACE_KUNIT_TEST) && \
	!defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#define HAVE_MREMAP 1
static long do_mremap(unsigned long addr, unsigned long old_len,
		      unsigned long new_len, unsigned long flags,
		      unsigned long new_addr)
{
	return sys_mremap(addr, old_len, new_len, flags, new_addr);
}

static long do_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	return sys_mprotect(start, len, prot);
}
#else
#define HAVE_MREMAP 0
static long do_mremap(unsigned long addr, unsigned long old_len,
		      unsigned long new_len, unsigned long flags,
		      unsigned long new_addr)
{
	return -EOPNOTSUPP;
}

static long do_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * The interval tree helpers and expand_downwards() are not exported: the
 * tree is checked, and the stack grown, only in a built-in suite.
 */
#define BUILTIN_TEST	IS_BUILTIN(CONFIG_ANON_SPACE_KUNIT_TEST)

#define NPAGES(n)	((unsigned long)(n) << PAGE_SHIFT)
#define MAX_RANGES	512

struct vma_range {
	unsigned long start;	/* first index */
	unsigned long nr;	/* number of indexes */
};

KUNIT_DEFINE_ACTION_WRAPPER(mmput_action, mmput, struct mm_struct *);

/* Give the test thread an mm (kunit_vm_mmap() attaches one) and return it. */
static struct mm_struct *attach(struct kunit *test)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	KUNIT_ASSERT_NOT_NULL(test, current->mm);
	return current->mm;
}

/*
 * A free stretch of @pages pages; the cases use its interior, at least 16
 * pages from either end, so nothing else is adjacent.
 */
static unsigned long free_area(struct kunit *test, unsigned long pages)
{
	unsigned long addr;

	addr = vm_mmap(NULL, 0, NPAGES(pages), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_ASSERT_EQ(test, vm_munmap(addr, NPAGES(pages)), 0);
	return addr;
}

static void map_at(struct kunit *test, unsigned long addr, unsigned long pages)
{
	unsigned long ret;

	ret = vm_mmap(NULL, addr, NPAGES(pages), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);
	KUNIT_ASSERT_EQ(test, ret, addr);
}

/* Write one byte to every page, so the VMA gets its anon_vma and pages. */
static void fault(struct kunit *test, unsigned long addr, unsigned long pages)
{
	char byte = 0x5a;
	unsigned long i;

	for (i = 0; i < pages; i++)
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)
						   (addr + NPAGES(i)),
						   &byte, 1), 0UL);
}

struct vma_info {
	bool found;
	unsigned long start, end, pgoff;
};

static struct vma_info vma_at(struct mm_struct *mm, unsigned long addr)
{
	struct vma_info info = {};
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma) {
		info.found = true;
		info.start = vma->vm_start;
		info.end = vma->vm_end;
		info.pgoff = vma->vm_pgoff;
	}
	mmap_read_unlock(mm);
	return info;
}

static unsigned long users(struct mm_struct *mm, unsigned long index)
{
	return anon_index_users(&mm->anon_space->index, index);
}

static int range_cmp(const void *a, const void *b)
{
	const struct vma_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* Number of ranges of @r covering @index. */
static unsigned long cover(const struct vma_range *r, int n, unsigned long index)
{
	unsigned long c = 0;
	int i;

	for (i = 0; i < n; i++)
		if (index >= r[i].start && index - r[i].start < r[i].nr)
			c++;
	return c;
}

#if BUILTIN_TEST
static unsigned long tree_last(struct vm_area_struct *vma)
{
	return vma->vm_pgoff + vma_pages(vma) - 1;
}

static unsigned long subtree_last(struct rb_node *node)
{
	struct vm_area_struct *vma;

	if (!node)
		return 0;
	vma = rb_entry(node, struct vm_area_struct, shared.rb);
	return vma->shared.rb_subtree_last;
}

/*
 * @mm's node's tree holds exactly the purely anonymous VMAs of @mm, each
 * once and under its current range.
 */
static void check_mm_tree(struct kunit *test, struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	unsigned long nr_vmas = 0, nr_tree = 0, prev_start = 0;
	struct address_space *mapping;
	struct vm_area_struct *vma, *t;
	struct rb_root_cached *root;
	struct rb_node *node;

	mmap_read_lock(mm);
	if (!mm->anon_node) {
		/* No node, no purely anonymous VMA. */
		for_each_vma(vmi, vma)
			KUNIT_EXPECT_FALSE(test, anon_space_vma(vma));
		mmap_read_unlock(mm);
		return;
	}
	mapping = &mm->anon_node->mapping;
	root = &mapping->i_mmap;
	i_mmap_lock_read(mapping);
	/* Every VMA of the mm is in the tree, found by its own range. */
	for_each_vma(vmi, vma) {
		bool found = false;

		if (!anon_space_vma(vma))
			continue;
		nr_vmas++;
		vma_interval_tree_foreach(t, root, vma->vm_pgoff,
					  tree_last(vma))
			if (t == vma)
				found = true;
		KUNIT_EXPECT_TRUE_MSG(test, found,
				      "vma [%lx, %lx) pgoff %lx not in tree",
				      vma->vm_start, vma->vm_end, vma->vm_pgoff);
	}
	/* Nothing else: only purely anonymous VMAs of the mm, each once. */
	vma_interval_tree_foreach(t, root, 0, ULONG_MAX) {
		KUNIT_EXPECT_TRUE_MSG(test, t->vm_mm == mm,
				      "tree vma of another mm");
		KUNIT_EXPECT_TRUE(test, anon_space_vma(t));
		nr_tree++;
	}
	/* Keys: in start order, subtree maxima as the current ranges say. */
	for (node = rb_first_cached(root); node; node = rb_next(node)) {
		unsigned long last;

		t = rb_entry(node, struct vm_area_struct, shared.rb);
		KUNIT_EXPECT_GE(test, t->vm_pgoff, prev_start);
		prev_start = t->vm_pgoff;
		last = max3(tree_last(t), subtree_last(node->rb_left),
			    subtree_last(node->rb_right));
		KUNIT_EXPECT_EQ_MSG(test, t->shared.rb_subtree_last, last,
				    "vma pgoff %lx", t->vm_pgoff);
	}
	i_mmap_unlock_read(mapping);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, nr_tree, nr_vmas);
}

/*
 * The family's nodes: each mm's tree holds exactly its purely anonymous
 * VMAs, and every mm of @mms has a node of the same space.
 */
static void check_tree(struct kunit *test, struct mm_struct **mms,
		       int nr_mms)
{
	int m;

	for (m = 0; m < nr_mms; m++) {
		check_mm_tree(test, mms[m]);
		if (mms[m]->anon_node)
			KUNIT_EXPECT_PTR_EQ(test, mms[m]->anon_node->space,
					    mms[0]->anon_space);
	}
}
#else
static void check_tree(struct kunit *test, struct mm_struct **mms,
		       int nr_mms)
{
	KUNIT_FAIL(test, "the tree check needs the suite built in");
}
#endif

static void check_rmap(struct kunit *test, struct mm_struct **mms,
		       int nr_mms);

/*
 * The allocator of the family of @mms covers each index exactly as often as
 * the purely anonymous VMAs of @mms do, and uses no other index; and the
 * family's tree holds exactly those VMAs (check_tree()).
 */
static void check(struct kunit *test, struct mm_struct **mms, int nr_mms)
{
	struct anon_index *ai = &mms[0]->anon_space->index;
	struct anon_index_stats st;
	unsigned long uni = 0, end = 0, idx, bad = 0;
	struct vma_range *r;
	int n = 0, i, m;

	r = kunit_kcalloc(test, MAX_RANGES, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, mms[0]->anon_space);

	for (m = 0; m < nr_mms; m++) {
		VMA_ITERATOR(vmi, mms[m], 0);
		struct vm_area_struct *vma;

		KUNIT_ASSERT_PTR_EQ(test, mms[m]->anon_space,
				    mms[0]->anon_space);
		mmap_read_lock(mms[m]);
		for_each_vma(vmi, vma) {
			if (!anon_space_vma(vma) || n == MAX_RANGES)
				continue;
			r[n].start = vma->vm_pgoff;
			r[n].nr = vma_pages(vma);
			n++;
		}
		mmap_read_unlock(mms[m]);
	}
	KUNIT_ASSERT_LT(test, n, MAX_RANGES);

	/* Every index of every range, and the one on either side of it. */
	for (i = 0; i < n; i++) {
		unsigned long last = r[i].start + r[i].nr;

		for (idx = r[i].start ? r[i].start - 1 : 0; idx <= last; idx++) {
			unsigned long got = anon_index_users(ai, idx);
			unsigned long want = cover(r, n, idx);

			if (got != want && !bad++)
				KUNIT_FAIL(test, "index %#lx: %lu users, %lu VMAs",
					   idx, got, want);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);

	/* Size of the union of the ranges. */
	sort(r, n, sizeof(*r), range_cmp, NULL);
	for (i = 0; i < n; i++) {
		unsigned long s = max(r[i].start, end);
		unsigned long e = r[i].start + r[i].nr;

		if (e > s)
			uni += e - s;
		end = max(end, e);
	}
	anon_index_stats(ai, &st);
	KUNIT_EXPECT_EQ(test, st.nr_used, uni);

	check_tree(test, mms, nr_mms);
	check_rmap(test, mms, nr_mms);
}

#if IS_ENABLED(CONFIG_DEBUG_ANON_SPACE)
#define HAVE_VERIFY 1
#else
#define HAVE_VERIFY 0
#endif

/*
 * Verify the reverse map of every anonymous folio of @mm: no mismatch,
 * nothing left unrecorded.
 */
static struct anon_space_verify verify(struct kunit *test,
				       struct mm_struct *mm)
{
	struct anon_space_verify v = {};

	if (!HAVE_VERIFY)
		return v;
	KUNIT_ASSERT_EQ(test, anon_space_verify_mm(mm, &v), 0);
	KUNIT_EXPECT_EQ(test, v.mismatches, 0UL);
	KUNIT_EXPECT_EQ(test, v.overflows, 0UL);
	return v;
}

static unsigned long overlaps(struct mm_struct *mm)
{
	struct anon_index_stats st;

	anon_index_stats(&mm->anon_space->index, &st);
	return st.nr_overlap;
}

/*
 * The reverse map of every mm of the family: exact, and no collision
 * unless growth in place shared used indexes (counted as overlap).
 */
static void check_rmap(struct kunit *test, struct mm_struct **mms, int nr_mms)
{
	unsigned long collisions = 0;
	int m;

	if (!HAVE_VERIFY) {
		KUNIT_FAIL(test, "the reverse-map check needs CONFIG_DEBUG_ANON_SPACE");
		return;
	}
	for (m = 0; m < nr_mms; m++)
		collisions += verify(test, mms[m]).collisions;
	if (!overlaps(mms[0]))
		KUNIT_EXPECT_EQ(test, collisions, 0UL);
}

static void check1(struct kunit *test, struct mm_struct *mm)
{
	check(test, &mm, 1);
}

/* A fork child of @mm, or NULL if dup_mm() failed; mmput() at the end. */
static struct mm_struct *try_fork_mm(struct kunit *test, struct mm_struct *mm)
{
	struct mm_struct *child = dup_mm_kunit(mm);

	if (!child)
		return NULL;
#ifdef CONFIG_MEMCG
	/* Actions run in another thread than the mm's owner. */
	RCU_INIT_POINTER(child->owner, NULL);
#endif
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, mmput_action, child), 0);
	return child;
}

/* A fork child of @mm; mmput() at the end of the case. */
static struct mm_struct *fork_mm(struct kunit *test, struct mm_struct *mm)
{
	struct mm_struct *child = try_fork_mm(test, mm);

	KUNIT_ASSERT_NOT_NULL(test, child);
	return child;
}

/* Run the test thread on @to instead of @from (only EXPECTs in between). */
static void switch_mm_to(struct mm_struct *from, struct mm_struct *to)
{
	kthread_unuse_mm(from);
	kthread_use_mm(to);
}

static void test_mmap_identity(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct vma_info v;

	map_at(test, x, 4);
	v = vma_at(mm, x);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.pgoff, x >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, users(mm, x >> PAGE_SHIFT), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, (x >> PAGE_SHIFT) + 3), 1UL);
	check1(test, mm);
}

static void test_adjacent_mmaps_merge(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct vma_info v;

	map_at(test, x, 2);
	map_at(test, x + NPAGES(2), 2);
	v = vma_at(mm, x);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.start, x);
	KUNIT_EXPECT_EQ(test, v.end, x + NPAGES(4));
	KUNIT_EXPECT_EQ(test, v.pgoff, x >> PAGE_SHIFT);
	check1(test, mm);
}

static void test_munmap_releases(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct anon_index_stats before, after;

	check1(test, mm);
	anon_index_stats(&mm->anon_space->index, &before);
	map_at(test, x, 4);
	fault(test, x, 4);
	check1(test, mm);
	KUNIT_EXPECT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_EQ(test, users(mm, x >> PAGE_SHIFT), 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, (x >> PAGE_SHIFT) + 3), 0UL);
	anon_index_stats(&mm->anon_space->index, &after);
	KUNIT_EXPECT_EQ(test, after.nr_used, before.nr_used);
	check1(test, mm);
}

static void test_partial_munmap(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long px = x >> PAGE_SHIFT;
	struct vma_info lo, hi;

	map_at(test, x, 8);
	fault(test, x, 8);
	KUNIT_EXPECT_EQ(test, vm_munmap(x + NPAGES(3), NPAGES(2)), 0);
	lo = vma_at(mm, x);
	hi = vma_at(mm, x + NPAGES(5));
	KUNIT_ASSERT_TRUE(test, lo.found && hi.found);
	KUNIT_EXPECT_EQ(test, lo.end, x + NPAGES(3));
	KUNIT_EXPECT_EQ(test, lo.pgoff, px);
	KUNIT_EXPECT_EQ(test, hi.pgoff, px + 5);
	KUNIT_EXPECT_EQ(test, users(mm, px + 2), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 4), 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 5), 1UL);
	check1(test, mm);
}

static void test_brk_grows_in_place(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct vma_info v;

	KUNIT_ASSERT_EQ(test, vm_brk_flags(x, NPAGES(2), 0), 0);
	KUNIT_ASSERT_EQ(test, vm_brk_flags(x + NPAGES(2), NPAGES(3), 0), 0);
	v = vma_at(mm, x);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.end, x + NPAGES(5));
	KUNIT_EXPECT_EQ(test, v.pgoff, x >> PAGE_SHIFT);
	check1(test, mm);
}

/*
 * Linus' scenario: a faulted VMA moved away keeps its indexes, and a new
 * mapping at the vacated address must get others.  A new neighbour of the
 * moved VMA continues its range, so they merge.
 */
static void test_mremap_move_keeps_pgoff(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	unsigned long px = x >> PAGE_SHIFT;
	struct vma_info v, w;
	long ret;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 4);
	fault(test, x, 4);
	ret = do_mremap(x, NPAGES(4), NPAGES(4),
			MREMAP_MAYMOVE | MREMAP_FIXED, y);
	KUNIT_ASSERT_EQ(test, ret, (long)y);
	v = vma_at(mm, y);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.pgoff, px);
	KUNIT_EXPECT_EQ(test, users(mm, px), 1UL);
	check1(test, mm);

	/* The vacated address: disjoint indexes. */
	map_at(test, x, 4);
	w = vma_at(mm, x);
	KUNIT_ASSERT_TRUE(test, w.found);
	KUNIT_EXPECT_TRUE(test, w.pgoff + 4 <= px || w.pgoff >= px + 4);
	KUNIT_EXPECT_EQ(test, users(mm, px), 1UL);
	check1(test, mm);

	/* A new neighbour above the moved VMA merges with it. */
	map_at(test, y + NPAGES(4), 2);
	v = vma_at(mm, y);
	KUNIT_EXPECT_EQ(test, v.end, y + NPAGES(6));
	KUNIT_EXPECT_EQ(test, v.pgoff, px);
	check1(test, mm);
}

static void test_mremap_move_unfaulted(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct vma_info v;
	long ret;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 4);
	ret = do_mremap(x, NPAGES(4), NPAGES(4),
			MREMAP_MAYMOVE | MREMAP_FIXED, y);
	KUNIT_ASSERT_EQ(test, ret, (long)y);
	v = vma_at(mm, y);
	KUNIT_ASSERT_TRUE(test, v.found);
	/* A fresh range: the identity index of the new address is free. */
	KUNIT_EXPECT_EQ(test, v.pgoff, y >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, users(mm, x >> PAGE_SHIFT), 0UL);
	check1(test, mm);
}

static void test_mremap_grow_in_place(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct vma_info v;
	long ret;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 2);
	fault(test, x, 2);
	ret = do_mremap(x, NPAGES(2), NPAGES(6), 0, 0);
	KUNIT_ASSERT_EQ(test, ret, (long)x);
	v = vma_at(mm, x);
	KUNIT_EXPECT_EQ(test, v.end, x + NPAGES(6));
	KUNIT_EXPECT_EQ(test, v.pgoff, x >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, users(mm, (x >> PAGE_SHIFT) + 5), 1UL);
	check1(test, mm);
}

/*
 * Free addresses after a VMA, but the indexes after its range are held by
 * pages moved away from there; @faulted: the VMA has pages too.
 */
static void grow_busy_indexes(struct kunit *test, bool faulted)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long c = base + NPAGES(16), x = c + NPAGES(2);
	unsigned long y = base + NPAGES(64);
	unsigned long before, i;
	struct vma_info v;
	long ret;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	/* Faulted pages at y keep the indexes of x. */
	map_at(test, x, 4);
	fault(test, x, 4);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	map_at(test, c, 2);
	if (faulted)
		fault(test, c, 2);
	check1(test, mm);
	before = overlaps(mm);

	ret = do_mremap(c, NPAGES(2), NPAGES(4), 0, 0);
	KUNIT_ASSERT_EQ(test, ret, (long)c);
	v = vma_at(mm, c);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.end, c + NPAGES(4));
	check1(test, mm);
	if (faulted) {
		/* Its pages keep their indexes: x's first two are shared. */
		KUNIT_EXPECT_EQ(test, v.pgoff, c >> PAGE_SHIFT);
		KUNIT_EXPECT_EQ(test, users(mm, x >> PAGE_SHIFT), 2UL);
		KUNIT_EXPECT_EQ(test, overlaps(mm) - before, 2UL);
		/* The walks of those two pages visit c too: counted. */
		if (HAVE_VERIFY)
			KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 2UL);
		return;
	}
	/* No pages: the VMA takes a fresh range, nothing is shared. */
	KUNIT_EXPECT_NE(test, v.pgoff, c >> PAGE_SHIFT);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, users(mm, (x >> PAGE_SHIFT) + i), 1UL);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, users(mm, (c >> PAGE_SHIFT) + i), 0UL);
	KUNIT_EXPECT_EQ(test, overlaps(mm), before);
	fault(test, c, 4);
	check1(test, mm);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
}

/*
 * An unfaulted VMA whose next indexes are in use grows in place (as in
 * mainline) into a fresh range: no index is shared.
 */
static void test_mremap_grow_busy_indexes(struct kunit *test)
{
	grow_busy_indexes(test, false);
}

/*
 * A faulted VMA grows in place all the same, and shares the indexes in
 * use, counted as overlap: its pages keep their indexes.
 */
static void test_mremap_grow_busy_indexes_faulted(struct kunit *test)
{
	grow_busy_indexes(test, true);
}

/*
 * realloc(): a faulted VMA with a neighbour right after it, in addresses
 * and so in identity indexes, grows by moving.  The moved VMA keeps its
 * pgoff and its range grows over the neighbour's indexes, counted as
 * overlap; mremap() succeeds as in mainline.
 */
static void test_mremap_move_grow_over_neighbour(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long a = base + NPAGES(16), b = a + NPAGES(4);
	unsigned long before;
	struct vma_info v;
	long ret;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, a, 4);
	fault(test, a, 4);
	/* A read-only neighbour does not merge with a. */
	KUNIT_ASSERT_EQ(test, kunit_vm_mmap(test, NULL, b, NPAGES(4), PROT_READ,
					    MAP_PRIVATE | MAP_ANONYMOUS |
					    MAP_FIXED, 0), b);
	check1(test, mm);
	before = overlaps(mm);

	ret = do_mremap(a, NPAGES(4), NPAGES(8), MREMAP_MAYMOVE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ret));
	KUNIT_EXPECT_NE(test, (unsigned long)ret, a);
	v = vma_at(mm, ret);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.start, (unsigned long)ret);
	KUNIT_EXPECT_EQ(test, v.end, ret + NPAGES(8));
	KUNIT_EXPECT_EQ(test, v.pgoff, a >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, users(mm, b >> PAGE_SHIFT), 2UL);
	KUNIT_EXPECT_EQ(test, overlaps(mm) - before, 4UL);
	check1(test, mm);
	/* Pages in the grown part have b's indexes: the walks visit b too. */
	fault(test, ret + NPAGES(4), 4);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 4UL);
	check1(test, mm);
}

/*
 * mprotect() of the middle of a VMA splits it in three (the new VMAs go
 * into the tree, the old one shrinks in it), restoring it merges them back
 * (a merge that removes two VMAs), and changing a boundary moves it
 * between two VMAs (one grows, the other shrinks and changes its pgoff).
 */
static void test_mprotect_split_middle(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long px = x >> PAGE_SHIFT;
	struct vma_info lo, mid, hi;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mprotect() not callable here");
	map_at(test, x, 8);
	fault(test, x, 8);
	check1(test, mm);

	KUNIT_ASSERT_EQ(test, do_mprotect(x + NPAGES(3), NPAGES(2), PROT_READ),
			0L);
	lo = vma_at(mm, x);
	mid = vma_at(mm, x + NPAGES(3));
	hi = vma_at(mm, x + NPAGES(5));
	KUNIT_ASSERT_TRUE(test, lo.found && mid.found && hi.found);
	KUNIT_EXPECT_EQ(test, lo.end, x + NPAGES(3));
	KUNIT_EXPECT_EQ(test, lo.pgoff, px);
	KUNIT_EXPECT_EQ(test, mid.start, x + NPAGES(3));
	KUNIT_EXPECT_EQ(test, mid.end, x + NPAGES(5));
	KUNIT_EXPECT_EQ(test, mid.pgoff, px + 3);
	KUNIT_EXPECT_EQ(test, hi.start, x + NPAGES(5));
	KUNIT_EXPECT_EQ(test, hi.end, x + NPAGES(8));
	KUNIT_EXPECT_EQ(test, hi.pgoff, px + 5);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 1UL);
	check1(test, mm);

	/* Read-write again: one VMA. */
	KUNIT_ASSERT_EQ(test, do_mprotect(x + NPAGES(3), NPAGES(2),
					  PROT_READ | PROT_WRITE), 0L);
	lo = vma_at(mm, x);
	KUNIT_ASSERT_TRUE(test, lo.found);
	KUNIT_EXPECT_EQ(test, lo.start, x);
	KUNIT_EXPECT_EQ(test, lo.end, x + NPAGES(8));
	KUNIT_EXPECT_EQ(test, lo.pgoff, px);
	check1(test, mm);

	/* Split at the start, then move the boundary up by one page. */
	KUNIT_ASSERT_EQ(test, do_mprotect(x, NPAGES(2), PROT_READ), 0L);
	check1(test, mm);
	KUNIT_ASSERT_EQ(test, do_mprotect(x + NPAGES(2), NPAGES(1), PROT_READ),
			0L);
	lo = vma_at(mm, x);
	hi = vma_at(mm, x + NPAGES(3));
	KUNIT_ASSERT_TRUE(test, lo.found && hi.found);
	KUNIT_EXPECT_EQ(test, lo.end, x + NPAGES(3));
	KUNIT_EXPECT_EQ(test, lo.pgoff, px);
	KUNIT_EXPECT_EQ(test, hi.start, x + NPAGES(3));
	KUNIT_EXPECT_EQ(test, hi.pgoff, px + 3);
	check1(test, mm);
}

/*
 * A stack-like VMA grows down in place (expand_downwards(), as a fault
 * below it does): its range grows at its start and its key in the tree
 * changes under the anon_space's i_mmap_rwsem.
 */
static void test_stack_grows_down(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test);
	/* Far above whatever is below: expand_downwards() keeps a gap. */
	unsigned long base = free_area(test, 1024), s = base + NPAGES(512);
	unsigned long ps = s >> PAGE_SHIFT, ret;
	struct vm_area_struct *vma;
	struct vma_info v;
	int err = -ENOENT;

	ret = vm_mmap(NULL, s, NPAGES(4), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN |
		      MAP_FIXED_NOREPLACE, 0);
	KUNIT_ASSERT_EQ(test, ret, s);
	fault(test, s, 4);
	check1(test, mm);

	mmap_write_lock(mm);
	vma = vma_lookup(mm, s);
	if (vma && (vma->vm_flags & VM_GROWSDOWN))
		err = expand_downwards(vma, s - NPAGES(4));
	mmap_write_unlock(mm);
	KUNIT_ASSERT_EQ(test, err, 0);

	v = vma_at(mm, s - NPAGES(4));
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.start, s - NPAGES(4));
	KUNIT_EXPECT_EQ(test, v.end, s + NPAGES(4));
	KUNIT_EXPECT_EQ(test, v.pgoff, ps - 4);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 4), 1UL);
	fault(test, s - NPAGES(4), 8);
	check1(test, mm);
#else
	kunit_skip(test, "expand_downwards() not exported");
#endif
}

static void test_fork_shares(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long px = x >> PAGE_SHIFT;
	struct mm_struct *child, *both[2];

	map_at(test, x, 4);
	fault(test, x, 4);
	child = fork_mm(test, mm);
	KUNIT_ASSERT_PTR_EQ(test, child->anon_space, mm->anon_space);
	KUNIT_EXPECT_EQ(test, users(mm, px), 2UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 2UL);
	both[0] = mm;
	both[1] = child;
	check(test, both, 2);

	/* The child unmaps it: one user left. */
	switch_mm_to(mm, child);
	KUNIT_EXPECT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	switch_mm_to(child, mm);
	KUNIT_EXPECT_EQ(test, users(mm, px), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 1UL);
	check(test, both, 2);
}

static void test_exit_releases(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long px = x >> PAGE_SHIFT;
	struct anon_index_stats before, after;
	struct mm_struct *child, *both[2];

	map_at(test, x, 4);
	fault(test, x, 2);
	anon_index_stats(&mm->anon_space->index, &before);
	child = fork_mm(test, mm);
	both[0] = mm;
	both[1] = child;
	check(test, both, 2);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 2UL);

	/* exit_mmap() of the child. */
	kunit_release_action(test, mmput_action, child);
	KUNIT_EXPECT_EQ(test, users(mm, px), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 1UL);
	anon_index_stats(&mm->anon_space->index, &after);
	KUNIT_EXPECT_EQ(test, after.nr_used, before.nr_used);
	check1(test, mm);
}

/*
 * MAP_FIXED over anonymous memory: the old VMA's range is released before
 * the new mapping takes one, so the new mapping gets its identity index,
 * continues its neighbours' range and merges with them as in mainline,
 * and repeated overwrites do not add VMAs.
 */
static void test_map_fixed_over_anon_merges(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long px = x >> PAGE_SHIFT, ret;
	int map_count, i;
	struct vma_info v;

	map_at(test, x, 8);
	fault(test, x, 8);
	map_count = mm->map_count;
	for (i = 0; i < 16; i++) {
		unsigned long at = x + NPAGES(i % 6);

		ret = vm_mmap(NULL, at, NPAGES(2), PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		KUNIT_ASSERT_EQ(test, ret, at);
		v = vma_at(mm, at);
		KUNIT_ASSERT_TRUE(test, v.found);
		KUNIT_EXPECT_EQ(test, v.pgoff + ((at - v.start) >> PAGE_SHIFT),
				at >> PAGE_SHIFT);
		fault(test, at, 1);
		check1(test, mm);
	}
	/* One VMA again, with the identity indexes throughout. */
	v = vma_at(mm, x);
	KUNIT_EXPECT_EQ(test, v.start, x);
	KUNIT_EXPECT_EQ(test, v.end, x + NPAGES(8));
	KUNIT_EXPECT_EQ(test, v.pgoff, px);
	KUNIT_EXPECT_EQ(test, mm->map_count, map_count);
}

/*
 * A VMA fresh from vm_area_alloc() or vm_area_dup() is in no tree, so
 * anon_space_unlink_vma() of one that was never linked (a failed mmap)
 * leaves the tree alone, and the VMA it was copied from stays in it.
 */
static void test_new_vma_in_no_tree(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct vm_area_struct *vma, *fresh, *copy;

	map_at(test, x, 4);
	fault(test, x, 4);
	fresh = vm_area_alloc(mm);
	KUNIT_ASSERT_NOT_NULL(test, fresh);
	mmap_write_lock(mm);
	vma = vma_lookup(mm, x);
	copy = vma ? vm_area_dup(vma) : NULL;
	mmap_write_unlock(mm);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_NODE(&fresh->shared.rb));
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_NODE(&copy->shared.rb));

	vma_set_anonymous(fresh);
	fresh->vm_start = x;
	fresh->vm_end = x + NPAGES(4);
	fresh->vm_pgoff = x >> PAGE_SHIFT;
	mmap_read_lock(mm);
	anon_space_unlink_vma(fresh);
	anon_space_unlink_vma(copy);
	mmap_read_unlock(mm);
	vm_area_free(fresh);
	vm_area_free(copy);
	check1(test, mm);
#else
	kunit_skip(test, "vm_area_alloc() and vm_area_dup() not exported");
#endif
}

/* Suite anon_space_rmap: the walk through the anon_space. */

static unsigned long family_steps = 300;
module_param(family_steps, ulong, 0444);
MODULE_PARM_DESC(family_steps, "steps of the random family sequence");
static unsigned long family_seed = 1;
module_param(family_seed, ulong, 0444);
MODULE_PARM_DESC(family_seed, "seed of the random family sequence");

static void need_verify(struct kunit *test)
{
	if (!HAVE_VERIFY)
		kunit_skip(test, "needs CONFIG_DEBUG_ANON_SPACE");
}

/* Pages of one mm: each found once, at its address, no VMA in vain. */
static void test_rmap_private_pages(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct anon_space_verify v;

	need_verify(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	v = verify(test, mm);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 4UL);
	KUNIT_EXPECT_EQ(test, v.visits, 4UL);
	KUNIT_EXPECT_EQ(test, v.in_vain, 0UL);
	KUNIT_EXPECT_EQ(test, v.collisions, 0UL);
}

/* After fork, every page is mapped in both mms and found in both. */
static void test_rmap_fork_shared(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct anon_space_verify v;
	struct mm_struct *child;

	need_verify(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	child = fork_mm(test, mm);
	v = verify(test, mm);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 8UL);
	KUNIT_EXPECT_EQ(test, v.visits, 8UL);
	KUNIT_EXPECT_EQ(test, v.in_vain, 0UL);
	v = verify(test, child);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 8UL);
}

/*
 * @mm maps 4 pages at @x and faults them in, forks a child, and the child
 * writes the first 2: copies at the same indexes.  Returns the child.
 */
static struct mm_struct *fork_and_cow(struct kunit *test,
				      struct mm_struct *mm, unsigned long x)
{
	struct mm_struct *child;

	map_at(test, x, 4);
	fault(test, x, 4);
	child = fork_mm(test, mm);
	switch_mm_to(mm, child);
	fault(test, x, 2);
	switch_mm_to(child, mm);
	return child;
}

/*
 * The child writes two pages: it gets copies at the same indexes.  Each
 * copy is found only in the child, each original only in the parent.  An
 * original's walk visits the child's VMA in vain, as mainline's does; a
 * copy's walk starts at the child's node and visits the child alone.
 */
static void test_rmap_cow(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct anon_space_verify v;
	struct mm_struct *child, *both[2];

	need_verify(test);
	child = fork_and_cow(test, mm, x);
	v = verify(test, mm);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 6UL);
	KUNIT_EXPECT_EQ(test, v.visits, 8UL);
	/* The child's vma is in the originals' anon_vma tree: mainline too. */
	KUNIT_EXPECT_EQ(test, v.in_vain, 2UL);
	KUNIT_EXPECT_EQ(test, v.in_vain_family, 0UL);
	KUNIT_EXPECT_EQ(test, v.collisions, 0UL);
	v = verify(test, child);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 6UL);
	/* Two shared originals (2 visits each), two copies (1 each). */
	KUNIT_EXPECT_EQ(test, v.visits, 6UL);
	/* The copies' walks do not visit the parent: anon_vma_chain's neither. */
	KUNIT_EXPECT_EQ(test, v.in_vain, 0UL);
	KUNIT_EXPECT_EQ(test, v.in_vain_family, 0UL);
	KUNIT_EXPECT_EQ(test, v.collisions, 0UL);
	both[0] = mm;
	both[1] = child;
	check(test, both, 2);
}

/* The child unmaps: the parent's pages are found once again. */
static void test_rmap_child_unmaps(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct anon_space_verify v, before, after;
	struct mm_struct *child;

	need_verify(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	child = fork_mm(test, mm);
	switch_mm_to(mm, child);
	KUNIT_EXPECT_EQ(test, vm_munmap(x + NPAGES(1), NPAGES(2)), 0);
	switch_mm_to(child, mm);
	anon_space_verify_totals(&before);
	v = verify(test, mm);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 6UL);
	KUNIT_EXPECT_EQ(test, v.in_vain, 0UL);
	/* The totals in debugfs count this verification. */
	anon_space_verify_totals(&after);
	KUNIT_EXPECT_GE(test, after.folios - before.folios, 4UL);
	KUNIT_EXPECT_GE(test, after.mappings - before.mappings, 6UL);
}

/*
 * A node outlives its mm while an anon_vma names it.  The child copies two
 * pages, forks a grandchild and exits: the copies, mapped by the
 * grandchild alone now, are still found from the child's node, which
 * stays the grandchild's parent; the originals from the parent's.
 */
static void test_rmap_exited_middle(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct mm_struct *child, *grandchild;
	struct anon_space_verify v;

	need_verify(test);
	child = fork_and_cow(test, mm, x);
	grandchild = fork_mm(test, child);
	kunit_release_action(test, mmput_action, child);
	KUNIT_ASSERT_NOT_NULL(test, grandchild->anon_node);
	KUNIT_EXPECT_PTR_NE(test, grandchild->anon_node->parent,
			    mm->anon_node);
	KUNIT_EXPECT_PTR_EQ(test, grandchild->anon_node->parent->parent,
			    mm->anon_node);

	v = verify(test, grandchild);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	/* The copies in the grandchild, the originals in both. */
	KUNIT_EXPECT_EQ(test, v.mappings, 6UL);
	KUNIT_EXPECT_EQ(test, v.visits, 6UL);
	KUNIT_EXPECT_EQ(test, v.in_vain, 0UL);
	v = verify(test, mm);
	KUNIT_EXPECT_EQ(test, v.folios, 4UL);
	/* Two originals in both, two in the parent alone. */
	KUNIT_EXPECT_EQ(test, v.mappings, 6UL);
	/* The grandchild's copy is visited in vain for the other two. */
	KUNIT_EXPECT_EQ(test, v.in_vain, 2UL);
	KUNIT_EXPECT_EQ(test, v.collisions, 0UL);
}

/* Write one byte to every page of [addr, addr + pages) that allows it. */
static void try_fault(unsigned long addr, unsigned long pages)
{
	char byte = 0x6b;
	unsigned long i;

	for (i = 0; i < pages; i++)
		if (copy_to_user((void __user *)(addr + NPAGES(i)), &byte, 1))
			continue;
}

#define FAMILY_MAX	3
#define FAMILY_WINDOW	64

enum family_op {
	OP_MMAP, OP_MUNMAP, OP_MREMAP, OP_MREMAP_FIXED, OP_MREMAP_DONTUNMAP,
	OP_MPROTECT, OP_BRK, OP_FORK, OP_EXIT, OP_FAULT, NR_FAMILY_OPS
};

/*
 * The family's relocation zone, sampled after every step of the random
 * sequence: the indexes used there (footprint) and its span
 * (anon_index_stats()), now and at their largest, and the longest range
 * in it (the most pages of an anonymous VMA whose range ends above the
 * identity zone): what the padded first-fit bound of anon_index_kunit.c's
 * churn test is computed from.
 */
struct reloc_zone {
	unsigned long footprint, peak, span, max_span, longest;
};

static void reloc_sample(struct mm_struct **mms, int nr_mms,
			 struct reloc_zone *z)
{
	struct anon_index *ai = &mms[0]->anon_space->index;
	struct anon_index_stats st;
	int m;

	anon_index_stats(ai, &st);
	z->footprint = st.nr_reloc_used;
	z->span = st.reloc_span;
	z->peak = max(z->peak, z->footprint);
	z->max_span = max(z->max_span, z->span);
	for (m = 0; m < nr_mms; m++) {
		VMA_ITERATOR(vmi, mms[m], 0);
		struct vm_area_struct *vma;

		mmap_read_lock(mms[m]);
		for_each_vma(vmi, vma)
			if (anon_space_vma(vma) &&
			    vma->vm_pgoff + vma_pages(vma) > ai->identity_end)
				z->longest = max(z->longest, vma_pages(vma));
		mmap_read_unlock(mms[m]);
	}
}

/*
 * A seeded random sequence over a family of up to three mms: each step
 * picks an mm and an operation on random ranges of a 64-page window (some
 * fail, as they would in a program), then checks the allocator, the tree
 * and the reverse map of the whole family.
 */
static void fail_off(void *unused)
{
	anon_space_fail_set(0, 0);
}

/*
 * Fail every @interval-th allocation of the series at @sites, until the
 * end of the case (FAIL_ANON_SPACE; the count restarts, so a seed's run
 * fails the same allocations every time).
 */
static void fail_on(struct kunit *test, unsigned int sites,
		    unsigned long interval)
{
	anon_space_fail_set(sites, interval);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fail_off, NULL),
			0);
}

/*
 * The failures injected since @*count was last taken (FAIL_ANON_SPACE),
 * and @*count brought up to date.
 */
static unsigned long injected_since(unsigned long *count)
{
	unsigned long now = anon_space_fail_count(), n = now - *count;

	*count = now;
	return n;
}

/*
 * The random family sequence: @steps seeded steps of mmap, munmap,
 * mremap, mprotect, brk, fork, exit and faults across up to FAMILY_MAX
 * mms of the test's family, with check() after every step.  With
 * @fail_sites, every @fail_interval-th allocation of the series there
 * fails: a fork may then fail, and a call during which a failure was
 * injected must succeed or return -ENOMEM, as mainline's calls do when
 * their allocations fail.  At the end every child exits.
 */
static void family_run(struct kunit *test, struct mm_struct *mm,
		       unsigned long steps, unsigned int fail_sites,
		       unsigned long fail_interval)
{
	unsigned long base = free_area(test, FAMILY_WINDOW + 32) + NPAGES(16);
	bool failing = fail_sites;
	unsigned long done[NR_FAMILY_OPS] = {}, step, fails = 0, enomem = 0;
	struct mm_struct *mms[FAMILY_MAX] = { mm };
	struct anon_space_verify before, after;
	unsigned long count = anon_space_fail_count();
	struct reloc_zone z = {};
	int nr = 1, cur = 0;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, family_seed);
	anon_space_verify_totals(&before);
	if (failing) {
		fail_on(test, fail_sites, fail_interval);
		count = anon_space_fail_count();
	}

	for (step = 0; step < steps; step++) {
		u32 r = prandom_u32_state(&rnd);
		enum family_op op = r % NR_FAMILY_OPS;
		unsigned long a = base + NPAGES((r >> 8) % FAMILY_WINDOW);
		unsigned long b = base + NPAGES((r >> 16) % FAMILY_WINDOW);
		unsigned long len = NPAGES(1 + (r >> 24) % 8);
		unsigned long len2 = NPAGES(1 + (r >> 28) % 8);
		int who = prandom_u32_state(&rnd) % nr;
		long ret = 0;

		if (who != cur) {
			switch_mm_to(mms[cur], mms[who]);
			cur = who;
		}
		/* mremap() and mprotect() mostly within one VMA, as programs do. */
		if (op == OP_MPROTECT || op == OP_MREMAP ||
		    op == OP_MREMAP_FIXED || op == OP_MREMAP_DONTUNMAP) {
			struct vma_info v = vma_at(mms[cur], a);

			if (v.found && (r & 0x80))
				len = min(len, v.end - a);
		}
		switch (op) {
		case OP_MMAP:
			ret = vm_mmap(NULL, a, len, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
			break;
		case OP_MUNMAP:
			ret = vm_munmap(a, len);
			break;
		case OP_MREMAP:
			ret = do_mremap(a, len, len2, MREMAP_MAYMOVE, 0);
			break;
		case OP_MREMAP_FIXED:
			ret = do_mremap(a, len, len2,
					MREMAP_MAYMOVE | MREMAP_FIXED, b);
			break;
		case OP_MREMAP_DONTUNMAP:
			ret = do_mremap(a, len, len, MREMAP_MAYMOVE |
					MREMAP_FIXED | MREMAP_DONTUNMAP, b);
			break;
		case OP_MPROTECT:
			ret = do_mprotect(a, len, r & 1 ? PROT_READ :
					  PROT_READ | PROT_WRITE);
			break;
		case OP_BRK:
			ret = vm_brk_flags(a, len, 0);
			break;
		case OP_FORK:
			if (nr == FAMILY_MAX)
				continue;
			if (!failing) {
				mms[nr++] = fork_mm(test, mms[cur]);
				break;
			}
			mms[nr] = try_fork_mm(test, mms[cur]);
			if (mms[nr])
				nr++;
			else
				ret = -ENOMEM;
			break;
		case OP_EXIT:
			if (nr == 1)
				continue;
			/* The last child exits; the test thread leaves it. */
			if (cur == nr - 1) {
				switch_mm_to(mms[cur], mms[0]);
				cur = 0;
			}
			kunit_release_action(test, mmput_action, mms[--nr]);
			break;
		case OP_FAULT:
			try_fault(a, len >> PAGE_SHIFT);
			break;
		default:
			break;
		}
		if (!IS_ERR_VALUE(ret))
			done[op]++;
		if (failing && injected_since(&count)) {
			fails++;
			enomem += ret == -ENOMEM;
			if (IS_ERR_VALUE(ret) && ret != -ENOMEM)
				KUNIT_FAIL(test, "op %d: %ld after an injected failure",
					   op, ret);
		}
		check(test, mms, nr);
		reloc_sample(mms, nr, &z);
		if (test->status == KUNIT_FAILURE) {
			kunit_info(test, "seed %lu: failed at step %lu, op %d (%#lx, %#lx, %#lx, %#lx) in mm %d of %d: %ld\n",
				   family_seed, step, op, a, len, b, len2, cur,
				   nr, ret);
			break;
		}
	}
	if (cur)
		switch_mm_to(mms[cur], mms[0]);
	if (failing) {
		fail_off(NULL);
		kunit_info(test, "seed %lu: %lu steps with an injected failure, %lu of them -ENOMEM\n",
			   family_seed, fails, enomem);
	}
	anon_space_verify_totals(&after);
	kunit_info(test, "seed %lu, %lu steps: mmap %lu munmap %lu mremap %lu/%lu/%lu mprotect %lu brk %lu fork %lu exit %lu fault %lu; overlap %lu; verified %lu folios, %lu collisions, %lu mismatches; reloc: footprint %lu (peak %lu), span %lu (max %lu), longest %lu\n",
		   family_seed, step, done[OP_MMAP], done[OP_MUNMAP],
		   done[OP_MREMAP], done[OP_MREMAP_FIXED],
		   done[OP_MREMAP_DONTUNMAP], done[OP_MPROTECT], done[OP_BRK],
		   done[OP_FORK], done[OP_EXIT], done[OP_FAULT], overlaps(mm),
		   after.folios - before.folios,
		   after.collisions - before.collisions,
		   after.mismatches - before.mismatches, z.footprint, z.peak,
		   z.span, z.max_span, z.longest);
	KUNIT_EXPECT_EQ(test, after.mismatches, before.mismatches);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_GT(test, after.folios, before.folios);
	if (failing)
		KUNIT_EXPECT_GT(test, fails, 0UL);
	while (nr > 1)
		kunit_release_action(test, mmput_action, mms[--nr]);
	check(test, mms, 1);
}

static void test_random_family(struct kunit *test)
{
	struct mm_struct *mm = attach(test);

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	family_run(test, mm, family_steps, 0, 0);
}

#ifdef CONFIG_FAIL_ANON_SPACE
/* Which of the series' allocations fail: every interval-th of them. */
struct fail_mode {
	unsigned int sites;
	unsigned long interval;
	const char *name;
};

static const struct fail_mode fail_modes[] = {
	{ ANON_SPACE_FAIL_NODE, 2, "node" },
	{ ANON_SPACE_FAIL_INDEX, 23, "index" },
	{ ANON_SPACE_FAIL_ALL, 31, "all" },
};

static void fail_mode_desc(const struct fail_mode *m, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, every %lu", m->name,
		 m->interval);
}

KUNIT_ARRAY_PARAM(fail_modes, fail_modes, fail_mode_desc);

/* No lockdep report so far (lockdep turns itself off after its first). */
static void expect_lockdep_quiet(struct kunit *test)
{
#ifdef CONFIG_PROVE_LOCKING
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks, "lockdep reported a problem");
#endif
}

/*
 * The random family sequence with the series' allocations failing at
 * random, at one site or at all (fork's node, the allocator's maple tree
 * nodes): every step's check() holds, a call that met a failure returns
 * -ENOMEM or succeeds, and once the children have exited no node of the
 * family or index is left over (check() counts the allocator's indexes).
 */
static void test_random_family_failing(struct kunit *test)
{
	const struct fail_mode *m = test->param_value;
	struct mm_struct *mm = attach(test);

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	KUNIT_ASSERT_NOT_NULL(test, mm->anon_node);
	family_run(test, mm, family_steps, m->sites, m->interval);
	/*
	 * The children have exited: the family's space has one reference
	 * per live node, so only @mm's is left.  (The global counts would
	 * also see the previous case's mm, freed when its thread exits.)
	 */
	KUNIT_EXPECT_EQ(test, refcount_read(&mm->anon_space->refcount), 1U);
	expect_lockdep_quiet(test);
}

/*
 * An mm's first anonymous mmap() whose space or node cannot be allocated
 * fails with -ENOMEM and leaves neither, nor a VMA; a fork whose child's
 * node cannot be allocated fails and leaves nothing either.
 */
static void test_fail_space_and_node(struct kunit *test)
{
	unsigned int sites[] = { ANON_SPACE_FAIL_SPACE, ANON_SPACE_FAIL_NODE };
	struct mm_struct *mm = attach(test), *fresh = mm_alloc();
	long spaces, nodes;
	unsigned long addr;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, fresh);
#ifdef CONFIG_MEMCG
	RCU_INIT_POINTER(fresh->owner, NULL);
#endif
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, mmput_action, fresh), 0);
	arch_pick_mmap_layout(fresh, &current->signal->rlim[RLIMIT_STACK]);
	/*
	 * Only EXPECTs while the test thread runs on @fresh.  The global
	 * counts are read right around each call: the previous case's mm
	 * may be freed at any time before, when its thread exits.
	 */
	switch_mm_to(mm, fresh);
	for (i = 0; i < ARRAY_SIZE(sites); i++) {
		spaces = anon_space_nr_live();
		nodes = anon_space_nr_nodes();
		anon_space_fail_set(sites[i], 1);
		addr = vm_mmap(NULL, 0, NPAGES(4), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, 0);
		fail_off(NULL);
		KUNIT_EXPECT_EQ(test, anon_space_nr_live(), spaces);
		KUNIT_EXPECT_EQ(test, anon_space_nr_nodes(), nodes);
		KUNIT_EXPECT_EQ(test, (long)addr, -ENOMEM);
		KUNIT_EXPECT_NULL(test, fresh->anon_space);
		KUNIT_EXPECT_NULL(test, fresh->anon_node);
		KUNIT_EXPECT_EQ(test, fresh->map_count, 0);
	}
	addr = vm_mmap(NULL, 0, NPAGES(4), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
	if (!IS_ERR_VALUE(addr))
		try_fault(addr, 4);
	switch_mm_to(fresh, mm);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_ASSERT_NOT_NULL(test, fresh->anon_node);

	/* A fork whose child's node cannot be had fails, leaving nothing. */
	fail_on(test, ANON_SPACE_FAIL_NODE, 1);
	KUNIT_EXPECT_NULL(test, try_fork_mm(test, fresh));
	fail_off(NULL);
	KUNIT_EXPECT_EQ(test, refcount_read(&fresh->anon_space->refcount), 1U);
	check1(test, fresh);
	expect_lockdep_quiet(test);
}
#else
static void test_random_family_failing(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAIL_ANON_SPACE");
}

static void test_fail_space_and_node(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAIL_ANON_SPACE");
}
#endif

/*
 * Fork-heavy workloads: what the family's walks cost beyond anon_vma's.
 * Each runs a family the way a kind of program does, checks everything
 * after each phase (check()), and reports the verifier's counts: visits
 * in vain that anon_vma makes too, those it spares (in_vain_family, the
 * cost of one tree per family), and collisions (index ranges shared by
 * vmas that can never share a page), with the allocator's overlap.
 */
#define WORKLOAD_MMS	16

struct workload {
	struct kunit *test;
	struct mm_struct *mms[WORKLOAD_MMS];
	int nr, cur;
	struct anon_space_verify before;
};

static void workload_begin(struct workload *w, struct kunit *test)
{
	*w = (struct workload){ .test = test };
	w->mms[w->nr++] = attach(test);
	anon_space_verify_totals(&w->before);
}

/* Run the test thread on mm @i of the family. */
static void workload_use(struct workload *w, int i)
{
	if (i != w->cur)
		switch_mm_to(w->mms[w->cur], w->mms[i]);
	w->cur = i;
}

static int workload_fork(struct workload *w, int parent)
{
	KUNIT_ASSERT_LT(w->test, w->nr, WORKLOAD_MMS);
	w->mms[w->nr] = fork_mm(w->test, w->mms[parent]);
	return w->nr++;
}

/* The last mm exits (or execs: its mm goes the same way). */
static void workload_exit_last(struct workload *w)
{
	workload_use(w, 0);
	kunit_release_action(w->test, mmput_action, w->mms[--w->nr]);
}

/*
 * No collision, or, where @overlap_ok, none unless the allocator shared
 * used indexes (counted as overlap).
 */
static void workload_end(struct workload *w, const char *name,
			 bool overlap_ok)
{
	struct anon_space_verify after;
	unsigned long nr_vmas = 0, collisions;
	int m;

	workload_use(w, 0);
	check(w->test, w->mms, w->nr);
	for (m = 0; m < w->nr; m++)
		nr_vmas += w->mms[m]->map_count;
	anon_space_verify_totals(&after);
	collisions = after.collisions - w->before.collisions;
	kunit_info(w->test, "%s: %d mms, %lu vmas; %lu folios verified, %lu visits, in vain %lu (spared by anon_vma %lu), %lu collisions, overlap %lu, %lu mismatches\n",
		   name, w->nr, nr_vmas, after.folios - w->before.folios,
		   after.visits - w->before.visits,
		   after.in_vain - w->before.in_vain,
		   after.in_vain_family - w->before.in_vain_family,
		   collisions, overlaps(w->mms[0]),
		   after.mismatches - w->before.mismatches);
	KUNIT_EXPECT_EQ(w->test, after.mismatches, w->before.mismatches);
	if (!overlap_ok || !overlaps(w->mms[0]))
		KUNIT_EXPECT_EQ(w->test, collisions, 0UL);
}

/*
 * A pre-fork server: the parent sets up a heap and a brk area, forks
 * workers; each grows the brk area, maps a buffer at the same address as
 * its siblings, grows it realloc-style, writes into the shared heap; one
 * worker is replaced by a new fork.  Siblings' new vmas at one address
 * get disjoint ranges; a relocated range that grows past its growth room
 * shares its neighbour's indexes (overlap), and only those collide.
 */
static void test_workload_prefork_server(struct kunit *test)
{
	unsigned long base, heap, brk, buf;
	struct workload w;
	int round, i;

	need_verify(test);
	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	workload_begin(&w, test);
	base = free_area(test, 256);
	heap = base + NPAGES(16);
	brk = base + NPAGES(64);
	buf = base + NPAGES(160);
	map_at(test, heap, 16);
	fault(test, heap, 16);
	KUNIT_ASSERT_EQ(test, vm_brk_flags(brk, NPAGES(4), 0), 0);
	fault(test, brk, 4);
	for (i = 0; i < 4; i++)
		workload_fork(&w, 0);
	for (round = 0; round < 3; round++) {
		for (i = 1; i < w.nr; i++) {
			unsigned long top = brk + NPAGES(4 + 2 * round);
			long ret;

			workload_use(&w, i);
			KUNIT_ASSERT_EQ(test, vm_brk_flags(top, NPAGES(2), 0), 0);
			fault(test, top, 2);
			fault(test, heap + NPAGES(i), 1);
			/* A worker forked since has no buffer yet. */
			if (!vma_at(w.mms[i], buf).found) {
				map_at(test, buf, 4 + 4 * round);
				fault(test, buf, 4 + 4 * round);
			}
			ret = do_mremap(buf, NPAGES(4 + 4 * round),
					NPAGES(8 + 4 * round), MREMAP_MAYMOVE, 0);
			KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ret));
			fault(test, ret, 8 + 4 * round);
			KUNIT_ASSERT_EQ(test, vm_munmap(ret, NPAGES(8 + 4 * round)), 0);
			map_at(test, buf, 8 + 4 * round);
			fault(test, buf, 8 + 4 * round);
		}
		workload_use(&w, 0);
		check(test, w.mms, w.nr);
		/* A forked brk vma is not expanded: its range did not grow. */
		if (round == 0)
			KUNIT_EXPECT_EQ(test, overlaps(w.mms[0]), 0UL);
		workload_exit_last(&w);
		workload_fork(&w, 0);
	}
	workload_end(&w, "prefork server", true);
}

/* The mm at @i exits, wherever it is in the family; the last takes its place. */
static void workload_exit(struct workload *w, int i)
{
	workload_use(w, 0);
	kunit_release_action(w->test, mmput_action, w->mms[i]);
	w->mms[i] = w->mms[--w->nr];
}

/*
 * Issue 10's fork tree at a small size: a parent with four VMAs of eight
 * pages forks four children, each copies on write a different quarter
 * of the pages and forks two grandchildren, which copy a page each;
 * then two mms other than the parent exit, in a seeded order (a child's
 * children live on), and the others write again.  Every walk stays
 * within what anon_vma's chain visits: no visit in vain that anon_vma
 * would not also make (in_vain_family), no collision.
 */
static void test_workload_fork_tree(struct kunit *test)
{
	unsigned long base, v;
	struct anon_space_verify after;
	struct rnd_state rnd;
	struct workload w;
	int c, g, i, child[4];

	need_verify(test);
	workload_begin(&w, test);
	base = free_area(test, 64);
	/* Gaps keep the four VMAs apart. */
	for (v = 0; v < 4; v++) {
		map_at(test, base + NPAGES(16 * v), 8);
		fault(test, base + NPAGES(16 * v), 8);
	}
	for (c = 0; c < 4; c++) {
		child[c] = workload_fork(&w, 0);
		workload_use(&w, child[c]);
		for (v = 0; v < 4; v++)
			fault(test, base + NPAGES(16 * v + 2 * c), 2);
		for (g = 0; g < 2; g++) {
			i = workload_fork(&w, child[c]);
			workload_use(&w, i);
			fault(test, base + NPAGES(16 * g + 2 * c), 1);
		}
	}
	workload_use(&w, 0);
	check(test, w.mms, w.nr);

	/* Children exit, in a seeded order; their children live on. */
	prandom_seed_state(&rnd, family_seed);
	for (c = 0; c < 2; c++) {
		int k = 1 + prandom_u32_state(&rnd) % (w.nr - 1);

		workload_exit(&w, k);
		for (i = 1; i < w.nr; i++) {
			workload_use(&w, i);
			fault(test, base + NPAGES(16 * (i % 4) + 7), 1);
		}
		workload_use(&w, 0);
		check(test, w.mms, w.nr);
	}
	workload_end(&w, "fork tree", false);
	anon_space_verify_totals(&after);
	KUNIT_EXPECT_EQ(test, after.in_vain_family, w.before.in_vain_family);
}

/*
 * A shell: it forks a child that writes a little and execs (its mm goes
 * away), over and over, while the shell itself maps, grows and unmaps.
 */
static void test_workload_fork_exec_loop(struct kunit *test)
{
	unsigned long base, heap, tmp;
	struct workload w;
	int i, child;

	need_verify(test);
	workload_begin(&w, test);
	base = free_area(test, 128);
	heap = base + NPAGES(16);
	tmp = base + NPAGES(64);
	map_at(test, heap, 8);
	fault(test, heap, 8);
	for (i = 0; i < 20; i++) {
		child = workload_fork(&w, 0);
		workload_use(&w, child);
		fault(test, heap + NPAGES(i % 8), 1);
		workload_exit_last(&w);
		map_at(test, tmp, 1 + i % 4);
		fault(test, tmp, 1 + i % 4);
		KUNIT_ASSERT_EQ(test, vm_brk_flags(heap + NPAGES(8 + i), NPAGES(1),
						   0), 0);
		fault(test, heap + NPAGES(8 + i), 1);
		KUNIT_ASSERT_EQ(test, vm_munmap(tmp, NPAGES(1 + i % 4)), 0);
		check1(test, w.mms[0]);
	}
	workload_end(&w, "fork+exec loop", false);
}

/*
 * Stacks: a parent's stack, faulted, forked into children that each grow
 * their stack by a different depth, deeper than the parent's growth.  The
 * grown parts share indexes between fork relatives only.
 */
static void test_workload_stacks(struct kunit *test)
{
#if BUILTIN_TEST
	unsigned long base, s, ret;
	struct workload w;
	int i;

	need_verify(test);
	workload_begin(&w, test);
	base = free_area(test, 1024);
	s = base + NPAGES(768);
	ret = vm_mmap(NULL, s, NPAGES(4), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN |
		      MAP_FIXED_NOREPLACE, 0);
	KUNIT_ASSERT_EQ(test, ret, s);
	fault(test, s, 4);
	for (i = 0; i < 4; i++)
		workload_fork(&w, 0);
	for (i = 0; i < w.nr; i++) {
		struct mm_struct *mm = w.mms[i];
		unsigned long depth = NPAGES(2 + 3 * i);
		struct vm_area_struct *vma;
		int err = -ENOENT;

		workload_use(&w, i);
		mmap_write_lock(mm);
		vma = vma_lookup(mm, s);
		if (vma && (vma->vm_flags & VM_GROWSDOWN))
			err = expand_downwards(vma, s - depth);
		mmap_write_unlock(mm);
		KUNIT_ASSERT_EQ(test, err, 0);
		fault(test, s - depth, (depth >> PAGE_SHIFT) + 4);
	}
	workload_end(&w, "stacks", false);
#else
	kunit_skip(test, "expand_downwards() not exported");
#endif
}

/* Suite anon_mremap: pages keep their index, VMA boundaries move. */

struct page_info {
	unsigned long pfn;
	unsigned long index;
};

/* The page mapped at @addr and its index, or pfn 0 if none. */
static struct page_info page_at(struct mm_struct *mm, unsigned long addr)
{
	struct page_info pi = {};
#if BUILTIN_TEST
	struct vm_area_struct *vma;
	struct folio_walk fw;
	struct folio *folio;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	folio = vma ? folio_walk_start(&fw, vma, addr, 0) : NULL;
	if (folio) {
		pi.pfn = page_to_pfn(fw.page);
		pi.index = folio->index + folio_page_idx(folio, fw.page);
		folio_walk_end(&fw, vma);
	}
	mmap_read_unlock(mm);
#endif
	return pi;
}

static void need_pages(struct kunit *test)
{
	if (!HAVE_MREMAP || !BUILTIN_TEST)
		kunit_skip(test, "needs a built-in suite with sys_mremap()");
}

/* Record the pages of [@addr, @addr + @n pages), which must be present. */
static void record(struct kunit *test, struct mm_struct *mm,
		   unsigned long addr, int n, struct page_info *pi)
{
	int i;

	for (i = 0; i < n; i++) {
		pi[i] = page_at(mm, addr + NPAGES(i));
		KUNIT_ASSERT_NE(test, pi[i].pfn, 0UL);
	}
}

/* The pages of @pi, each with its index, are now at @addr. */
static void expect_pages(struct kunit *test, struct mm_struct *mm,
			 unsigned long addr, int n, const struct page_info *pi)
{
	int i;

	for (i = 0; i < n; i++) {
		struct page_info now = page_at(mm, addr + NPAGES(i));

		KUNIT_EXPECT_EQ_MSG(test, now.pfn, pi[i].pfn, "page %d", i);
		KUNIT_EXPECT_EQ_MSG(test, now.index, pi[i].index, "page %d", i);
	}
}

static void test_move(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct page_info pi[8];

	need_pages(test);
	map_at(test, x, 8);
	fault(test, x, 8);
	record(test, mm, x, 8, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(8), NPAGES(8),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	expect_pages(test, mm, y, 8, pi);
	KUNIT_EXPECT_EQ(test, page_at(mm, x).pfn, 0UL);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).pgoff, pi[0].index);
	check1(test, mm);
}

static void test_shrink(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct page_info pi[8];

	need_pages(test);
	map_at(test, x, 8);
	fault(test, x, 8);
	record(test, mm, x, 8, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(8), NPAGES(4), 0, 0),
			(long)x);
	expect_pages(test, mm, x, 4, pi);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).end, x + NPAGES(4));
	/* The tail's indexes are free again. */
	KUNIT_EXPECT_EQ(test, users(mm, pi[4].index), 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, pi[7].index), 0UL);
	check1(test, mm);
}

static void test_grow_in_place(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct page_info pi[4];

	need_pages(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	record(test, mm, x, 4, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(8), 0, 0),
			(long)x);
	expect_pages(test, mm, x, 4, pi);
	fault(test, x + NPAGES(4), 4);
	/* New pages continue the range. */
	KUNIT_EXPECT_EQ(test, page_at(mm, x + NPAGES(4)).index,
			pi[0].index + 4);
	KUNIT_EXPECT_EQ(test, page_at(mm, x + NPAGES(7)).index,
			pi[0].index + 7);
	check1(test, mm);
}

/*
 * A neighbour that takes no index (shared anonymous memory is shmem)
 * makes the VMA move to grow; its pages keep their indexes, and the
 * grown part takes free indexes after them: no overlap.
 */
static void test_grow_with_move(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128), x = base + NPAGES(16);
	struct page_info pi[4];
	unsigned long ovl = 0;
	long ret;

	need_pages(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	record(test, mm, x, 4, pi);
	KUNIT_ASSERT_EQ(test, kunit_vm_mmap(test, NULL, x + NPAGES(4),
					    NPAGES(4), PROT_READ | PROT_WRITE,
					    MAP_SHARED | MAP_ANONYMOUS |
					    MAP_FIXED, 0), x + NPAGES(4));
	ovl = overlaps(mm);
	ret = do_mremap(x, NPAGES(4), NPAGES(8), MREMAP_MAYMOVE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ret));
	KUNIT_ASSERT_NE(test, (unsigned long)ret, x);
	expect_pages(test, mm, ret, 4, pi);
	fault(test, ret + NPAGES(4), 4);
	KUNIT_EXPECT_EQ(test, page_at(mm, ret + NPAGES(4)).index,
			pi[0].index + 4);
	KUNIT_EXPECT_EQ(test, overlaps(mm), ovl);
	check1(test, mm);
}

/* Two pages moved out of the middle: three VMAs, every page keeps its index. */
static void test_move_middle(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct page_info pi[8];

	need_pages(test);
	map_at(test, x, 8);
	fault(test, x, 8);
	record(test, mm, x, 8, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x + NPAGES(2), NPAGES(2), NPAGES(2),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	expect_pages(test, mm, x, 2, pi);
	expect_pages(test, mm, y, 2, pi + 2);
	expect_pages(test, mm, x + NPAGES(4), 4, pi + 4);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).end, x + NPAGES(2));
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).pgoff, pi[2].index);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x + NPAGES(4)).pgoff, pi[4].index);
	check1(test, mm);
}

/*
 * MREMAP_DONTUNMAP: the pages move with their indexes; the old VMA stays,
 * empty, with a fresh range, so pages faulted there get other indexes.
 */
static void test_dontunmap(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct page_info pi[4], fresh;

	need_pages(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	record(test, mm, x, 4, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED |
					MREMAP_DONTUNMAP, y), (long)y);
	expect_pages(test, mm, y, 4, pi);
	KUNIT_EXPECT_TRUE(test, vma_at(mm, x).found);
	KUNIT_EXPECT_EQ(test, page_at(mm, x).pfn, 0UL);
	fault(test, x, 4);
	fresh = page_at(mm, x);
	KUNIT_EXPECT_TRUE(test, fresh.index + 4 <= pi[0].index ||
			  fresh.index >= pi[0].index + 4);
	check1(test, mm);
}

/* MREMAP_FIXED over a faulted mapping: it goes, the moved pages stay whole. */
static void test_fixed_over_mapping(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), z = base + NPAGES(64);
	struct page_info pi[4], old[4];

	need_pages(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	map_at(test, z, 4);
	fault(test, z, 4);
	record(test, mm, x, 4, pi);
	record(test, mm, z, 4, old);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, z),
			(long)z);
	expect_pages(test, mm, z, 4, pi);
	KUNIT_EXPECT_EQ(test, users(mm, old[0].index), 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, pi[0].index), 1UL);
	check1(test, mm);
}

/*
 * Linus' scenario with real pages: faulted pages moved away keep their
 * indexes; a new mapping at the vacated address, faulted too, gets other
 * indexes, so no walk visits a VMA in vain.
 */
static void test_linus_scenario(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct anon_space_verify v;
	struct page_info pi[4];

	need_pages(test);
	need_verify(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	record(test, mm, x, 4, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	map_at(test, x, 4);
	fault(test, x, 4);
	KUNIT_EXPECT_NE(test, page_at(mm, x).index, pi[0].index);
	v = verify(test, mm);
	KUNIT_EXPECT_EQ(test, v.folios, 8UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 8UL);
	KUNIT_EXPECT_EQ(test, v.in_vain, 0UL);
	KUNIT_EXPECT_EQ(test, v.collisions, 0UL);
	check1(test, mm);
}

/*
 * Linus' scenario in a space under @policy, which hands the moved pages'
 * indexes to the new mapping at the vacated address: every walk visits
 * the unrelated VMA too, and only page_vma_mapped_walk() keeps the result
 * right.  Return the verification of the mm.
 */
static struct anon_space_verify linus_reused(struct kunit *test,
					     enum anon_index_policy policy)
{
	struct mm_struct *mm = attach(test);
	unsigned long base, x, y;
	struct anon_space_verify v;
	struct page_info pi[4];

	/* The test's own space: its one page sits at its identity index. */
	KUNIT_ASSERT_NOT_NULL(test, mm->anon_space);
	anon_index_set_policy(&mm->anon_space->index, policy);
	KUNIT_ASSERT_EQ(test, mm->anon_space->index.policy, policy);
	need_pages(test);
	need_verify(test);
	base = free_area(test, 128);
	x = base + NPAGES(16);
	y = base + NPAGES(64);
	map_at(test, x, 4);
	fault(test, x, 4);
	record(test, mm, x, 4, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	map_at(test, x, 4);
	fault(test, x, 4);
	KUNIT_EXPECT_EQ(test, page_at(mm, x).index, pi[0].index);
	v = verify(test, mm);
	KUNIT_EXPECT_EQ(test, v.folios, 8UL);
	KUNIT_EXPECT_EQ(test, v.mappings, 8UL);
	KUNIT_EXPECT_EQ(test, v.in_vain, 8UL);
	return v;
}

/* The same under the naive 2004 scheme (identity indexes). */
static void test_linus_scenario_naive(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, linus_reused(test, ANON_INDEX_NAIVE).collisions,
			8UL);
}

/*
 * A planted allocator bug (ANON_INDEX_BUGGY: a used range handed out,
 * nothing recorded) is caught by the verifier, which asks the anon_vmas
 * rather than the allocator, and counted with the real collisions.
 */
static void test_planted_reuse_counted(struct kunit *test)
{
	struct anon_space_verify before, after;

	anon_space_verify_totals(&before);
	KUNIT_EXPECT_EQ(test, linus_reused(test, ANON_INDEX_BUGGY).collisions,
			8UL);
	anon_space_verify_totals(&after);
	KUNIT_EXPECT_EQ(test, after.collisions - before.collisions, 8UL);
	KUNIT_EXPECT_EQ(test, after.collisions_naive, before.collisions_naive);
}

/* A new neighbour of a moved VMA continues its range and merges with it. */
static void test_merge_with_new_neighbour(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct page_info pi[4];
	struct vma_info v;

	need_pages(test);
	map_at(test, x, 4);
	fault(test, x, 4);
	record(test, mm, x, 4, pi);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	map_at(test, y + NPAGES(4), 2);
	v = vma_at(mm, y);
	KUNIT_EXPECT_EQ(test, v.start, y);
	KUNIT_EXPECT_EQ(test, v.end, y + NPAGES(6));
	fault(test, y + NPAGES(4), 2);
	expect_pages(test, mm, y, 4, pi);
	KUNIT_EXPECT_EQ(test, page_at(mm, y + NPAGES(5)).index,
			pi[0].index + 5);
	check1(test, mm);
}

/*
 * With CONFIG_ANON_SPACE_RMAP the kernel's own walks go through the space.
 * The family below: four pages of the parent shared with a child after
 * fork, two of them copied on write by the child.  Each page holds a
 * word naming its mm and page.
 */
#define SWITCH_PAGES	4
#define SWITCH_COWED	2

static void switch_write(struct kunit *test, unsigned long x, int m,
			 unsigned long pages)
{
	unsigned long i, word;

	for (i = 0; i < pages; i++) {
		word = 0x5a000000UL | (m << 8) | i;
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)
						   (x + NPAGES(i)), &word,
						   sizeof(word)), 0UL);
	}
}

static void switch_family(struct kunit *test, struct mm_struct *mms[2],
			  unsigned long *x)
{
	mms[0] = attach(test);
	*x = free_area(test, 64) + NPAGES(16);
	map_at(test, *x, SWITCH_PAGES);
	switch_write(test, *x, 0, SWITCH_PAGES);
	mms[1] = fork_mm(test, mms[0]);
	switch_mm_to(mms[0], mms[1]);
	switch_write(test, *x, 1, SWITCH_COWED);
	switch_mm_to(mms[1], mms[0]);
}

/* Every page of both mms still reads its word. */
static void switch_expect_words(struct kunit *test, struct mm_struct *mms[2],
				unsigned long x)
{
	unsigned long i, word;
	int m;

	for (m = 0; m < 2; m++) {
		if (m)
			switch_mm_to(mms[0], mms[1]);
		for (i = 0; i < SWITCH_PAGES; i++) {
			int owner = i < SWITCH_COWED ? m : 0;
			void __user *p = (void __user *)(x + NPAGES(i));

			KUNIT_EXPECT_EQ(test, copy_from_user(&word, p,
							     sizeof(word)),
					0UL);
			KUNIT_EXPECT_EQ(test, word,
					0x5a000000UL | (owner << 8) | i);
		}
		if (m)
			switch_mm_to(mms[1], mms[0]);
	}
}

/*
 * Migration walks the space: try_to_migrate() and remove_migration_ptes()
 * of each of the six folios, and afterwards every mapping in both mms
 * points at a new folio with the old index and data; the pages the child
 * did not copy are still one folio mapped twice.
 */
static void test_switch_migrate(struct kunit *test)
{
#if BUILTIN_TEST && IS_ENABLED(CONFIG_ANON_SPACE_RMAP) && \
	IS_ENABLED(CONFIG_MIGRATION) && IS_ENABLED(CONFIG_DEBUG_ANON_SPACE)
	struct migration_target_control mtc = {
		.nid = NUMA_NO_NODE,
		.gfp_mask = GFP_HIGHUSER_MOVABLE,
	};
	struct page_info before[2][SWITCH_PAGES], after[2][SWITCH_PAGES];
	unsigned int nr_succeeded = 0, nr_folios = 0;
	struct mm_struct *mms[2];
	unsigned long x, i, walks;
	LIST_HEAD(folios);
	int m, ret;

	switch_family(test, mms, &x);
	lru_add_drain();
	for (m = 0; m < 2; m++)
		for (i = 0; i < SWITCH_PAGES; i++) {
			struct folio *folio;

			before[m][i] = page_at(mms[m], x + NPAGES(i));
			KUNIT_ASSERT_NE(test, before[m][i].pfn, 0UL);
			/* A page both mms map is isolated once. */
			if (m && i >= SWITCH_COWED)
				continue;
			folio = pfn_folio(before[m][i].pfn);
			KUNIT_ASSERT_TRUE(test, folio_isolate_lru(folio));
			list_add_tail(&folio->lru, &folios);
			node_stat_mod_folio(folio, NR_ISOLATED_ANON,
					    folio_nr_pages(folio));
			nr_folios++;
		}
	KUNIT_ASSERT_EQ(test, nr_folios, SWITCH_PAGES + SWITCH_COWED);

	walks = anon_space_rmap_walks();
	ret = migrate_pages(&folios, alloc_migration_target, NULL,
			    (unsigned long)&mtc, MIGRATE_SYNC, MR_SYSCALL,
			    &nr_succeeded);
	if (ret)
		putback_movable_pages(&folios);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, nr_succeeded, nr_folios);
	/* One walk to unmap each folio, one to map its copy back. */
	KUNIT_EXPECT_GE(test, anon_space_rmap_walks() - walks,
			2UL * nr_folios);

	for (m = 0; m < 2; m++)
		for (i = 0; i < SWITCH_PAGES; i++) {
			after[m][i] = page_at(mms[m], x + NPAGES(i));
			KUNIT_EXPECT_NE(test, after[m][i].pfn, 0UL);
			KUNIT_EXPECT_NE(test, after[m][i].pfn,
					before[m][i].pfn);
			KUNIT_EXPECT_EQ(test, after[m][i].index,
					before[m][i].index);
		}
	for (i = 0; i < SWITCH_PAGES; i++)
		if (i < SWITCH_COWED)
			KUNIT_EXPECT_NE(test, after[0][i].pfn, after[1][i].pfn);
		else
			KUNIT_EXPECT_EQ(test, after[0][i].pfn, after[1][i].pfn);
	switch_expect_words(test, mms, x);
	check(test, mms, 2);
#else
	kunit_skip(test, "needs the suite built in, ANON_SPACE_RMAP, MIGRATION, DEBUG_ANON_SPACE");
#endif
}

#if BUILTIN_TEST && IS_ENABLED(CONFIG_ANON_SPACE_RMAP)
/*
 * Mark the pte of @addr in @mm accessed, as a user access would (UML's
 * uaccess reads the page without setting the accessed bit).
 */
static void mark_young(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	struct folio_walk fw;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma && folio_walk_start(&fw, vma, addr, 0)) {
		if (fw.level == FW_LEVEL_PTE)
			set_pte_at(mm, addr, fw.ptep,
				   pte_mkyoung(ptep_get(fw.ptep)));
		folio_walk_end(&fw, vma);
	}
	mmap_read_unlock(mm);
}
#endif

/*
 * Reclaim's aging walks the space: folio_referenced() without the folio
 * lock (it takes it, as for a file folio) finds each mapping that was
 * accessed and clears it, so a second call finds none; with
 * DEBUG_ANON_SPACE each walk is cross-checked against anon_vma first.  fork() copies
 * the parent's ptes old; the child's mappings of the shared pages are
 * marked accessed, so those count twice.
 */
static void test_switch_referenced(struct kunit *test)
{
#if BUILTIN_TEST && IS_ENABLED(CONFIG_ANON_SPACE_RMAP) && \
	IS_ENABLED(CONFIG_DEBUG_ANON_SPACE)
	unsigned long x, i, walks, vm_flags, checked, unchecked;
	struct anon_space_verify before, after;
	struct mm_struct *mms[2];
	int m;

	switch_family(test, mms, &x);
	for (i = SWITCH_COWED; i < SWITCH_PAGES; i++)
		mark_young(mms[1], x + NPAGES(i));
	anon_space_verify_totals(&before);

	for (m = 0; m < 2; m++)
		for (i = 0; i < SWITCH_PAGES; i++) {
			struct page_info pi = page_at(mms[m], x + NPAGES(i));
			struct folio *folio;
			int want = i < SWITCH_COWED ? 1 : 2;

			if (m && i >= SWITCH_COWED)
				continue;
			KUNIT_ASSERT_NE(test, pi.pfn, 0UL);
			folio = pfn_folio(pi.pfn);
			folio_get(folio);
			walks = anon_space_rmap_walks();
			checked = anon_space_rmap_checks(&unchecked);
			KUNIT_EXPECT_EQ(test, folio_referenced(folio, 0, NULL,
							       &vm_flags),
					want);
			KUNIT_EXPECT_EQ(test, anon_space_rmap_walks() - walks,
					1UL);
			/* The kernel's walk was cross-checked first. */
			KUNIT_EXPECT_EQ(test, anon_space_rmap_checks(&unchecked) -
					checked, 1UL);
			KUNIT_EXPECT_EQ(test, folio_referenced(folio, 0, NULL,
							       &vm_flags), 0);
			folio_put(folio);
		}
	/* Nor did a cross-check find the two walks different. */
	anon_space_verify_totals(&after);
	KUNIT_EXPECT_EQ(test, after.mismatches, before.mismatches);
	check(test, mms, 2);
#else
	kunit_skip(test, "needs the suite built in, ANON_SPACE_RMAP and DEBUG_ANON_SPACE");
#endif
}

static struct kunit_case anon_vma_index_test_cases[] = {
	KUNIT_CASE(test_mmap_identity),
	KUNIT_CASE(test_adjacent_mmaps_merge),
	KUNIT_CASE(test_munmap_releases),
	KUNIT_CASE(test_partial_munmap),
	KUNIT_CASE(test_brk_grows_in_place),
	KUNIT_CASE(test_mremap_move_keeps_pgoff),
	KUNIT_CASE(test_mremap_move_unfaulted),
	KUNIT_CASE(test_mremap_grow_in_place),
	KUNIT_CASE(test_mremap_grow_busy_indexes),
	KUNIT_CASE(test_mremap_grow_busy_indexes_faulted),
	KUNIT_CASE(test_mremap_move_grow_over_neighbour),
	KUNIT_CASE(test_mprotect_split_middle),
	KUNIT_CASE(test_stack_grows_down),
	KUNIT_CASE(test_fork_shares),
	KUNIT_CASE(test_exit_releases),
	KUNIT_CASE(test_new_vma_in_no_tree),
	KUNIT_CASE(test_map_fixed_over_anon_merges),
	{}
};

static struct kunit_suite anon_vma_index_test_suite = {
	.name = "anon_vma_index",
	.test_cases = anon_vma_index_test_cases,
};

static struct kunit_case anon_space_rmap_test_cases[] = {
	KUNIT_CASE(test_rmap_private_pages),
	KUNIT_CASE(test_rmap_fork_shared),
	KUNIT_CASE(test_rmap_cow),
	KUNIT_CASE(test_rmap_child_unmaps),
	KUNIT_CASE(test_rmap_exited_middle),
	KUNIT_CASE_SLOW(test_random_family),
#ifdef CONFIG_FAIL_ANON_SPACE
	KUNIT_CASE_PARAM(test_random_family_failing, fail_modes_gen_params),
#else
	KUNIT_CASE(test_random_family_failing),
#endif
	KUNIT_CASE(test_fail_space_and_node),
	KUNIT_CASE(test_workload_prefork_server),
	KUNIT_CASE(test_workload_fork_exec_loop),
	KUNIT_CASE(test_workload_stacks),
	KUNIT_CASE(test_workload_fork_tree),
	KUNIT_CASE(test_switch_migrate),
	KUNIT_CASE(test_switch_referenced),
	{}
};

static struct kunit_suite anon_space_rmap_test_suite = {
	.name = "anon_space_rmap",
	.test_cases = anon_space_rmap_test_cases,
};

static struct kunit_case anon_mremap_test_cases[] = {
	KUNIT_CASE(test_move),
	KUNIT_CASE(test_shrink),
	KUNIT_CASE(test_grow_in_place),
	KUNIT_CASE(test_grow_with_move),
	KUNIT_CASE(test_move_middle),
	KUNIT_CASE(test_dontunmap),
	KUNIT_CASE(test_fixed_over_mapping),
	KUNIT_CASE(test_linus_scenario),
	KUNIT_CASE(test_linus_scenario_naive),
	KUNIT_CASE(test_planted_reuse_counted),
	KUNIT_CASE(test_merge_with_new_neighbour),
	{}
};

/*
 * The verifier's totals once the project's suites have run (anon_mremap
 * comes last): make check prints this line from the kernel log.
 */
static void anon_mremap_suite_exit(struct kunit_suite *suite)
{
	struct anon_space_verify t;

	if (!HAVE_VERIFY)
		return;
	anon_space_verify_totals(&t);
	pr_info("# anon_space verifier totals: walks %lu mappings %lu visits %lu in_vain %lu in_vain_family %lu collisions %lu collisions_naive %lu mismatches %lu overflows %lu\n",
		t.folios, t.mappings, t.visits, t.in_vain, t.in_vain_family,
		t.collisions, t.collisions_naive, t.mismatches, t.overflows);
}

static struct kunit_suite anon_mremap_test_suite = {
	.name = "anon_mremap",
	.suite_exit = anon_mremap_suite_exit,
	.test_cases = anon_mremap_test_cases,
};

kunit_test_suites(&anon_vma_index_test_suite, &anon_space_rmap_test_suite,
		  &anon_mremap_test_suite);

MODULE_DESCRIPTION("KUnit tests for anonymous VMAs: index ranges, reverse map, mremap");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
