/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the KUnit suites that drive real mms of a family
 * (anon_vma_index, anon_space_rmap, anon_mremap, anon_space_concurrency).
 *
 * The cases run on the test thread's mm (attached by kunit_vm_mmap()) and
 * dup_mm() copies of it, through vm_mmap(), vm_munmap(), vm_brk_flags(),
 * mremap(), mprotect() and faults.  check() is the invariant they all keep:
 * the allocator's coverage equals the multiset of the family's VMA index
 * ranges; the anon_space trees hold exactly the purely anonymous VMAs of
 * the family's mms, each once, each found by a search for its own
 * [vm_pgoff, vm_pgoff + vma_pages - 1], with consistent subtree maxima; and
 * with CONFIG_DEBUG_ANON_SPACE the reverse map of every anonymous folio
 * found through the anon_space is the one anon_vma finds, with no VMA
 * visited in vain unless the allocator counted an overlap.
 */
#ifndef _MM_TESTS_ANON_MM_KUNIT_H
#define _MM_TESTS_ANON_MM_KUNIT_H

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
#include <linux/rbtree_augmented.h>
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
static inline long do_mremap(unsigned long addr, unsigned long old_len,
			     unsigned long new_len, unsigned long flags,
			     unsigned long new_addr)
{
	struct pt_regs regs = {
		.di = addr, .si = old_len, .dx = new_len, .r10 = flags,
		.r8 = new_addr,
	};

	return x64_sys_call(&regs, __NR_mremap);
}

static inline long do_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	struct pt_regs regs = { .di = start, .si = len, .dx = prot };

	return x64_sys_call(&regs, __NR_mprotect);
}
#elif IS_BUILTIN(CONFIG_ANON_SPACE_KUNIT_TEST) && \
	!defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#define HAVE_MREMAP 1
static inline long do_mremap(unsigned long addr, unsigned long old_len,
			     unsigned long new_len, unsigned long flags,
			     unsigned long new_addr)
{
	return sys_mremap(addr, old_len, new_len, flags, new_addr);
}

static inline long do_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	return sys_mprotect(start, len, prot);
}
#else
#define HAVE_MREMAP 0
static inline long do_mremap(unsigned long addr, unsigned long old_len,
			     unsigned long new_len, unsigned long flags,
			     unsigned long new_addr)
{
	return -EOPNOTSUPP;
}

static inline long do_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * The interval tree helpers, expand_downwards() and the other mm internals
 * the checks below call are not exported: the tree is checked, and the
 * stack grown, only where the suite is built in, or built as a module of a
 * kernel whose config has it built in and that exports them to KUnit.
 */
#define BUILTIN_TEST	IS_BUILTIN(CONFIG_ANON_SPACE_KUNIT_TEST)

#define NPAGES(n)	((unsigned long)(n) << PAGE_SHIFT)
#define MAX_RANGES	512

struct vma_range {
	unsigned long start;	/* first index */
	unsigned long nr;	/* number of indexes */
	bool implicit;		/* at identity in identity mode: not recorded */
	bool parked;		/* held by an mm's node, no VMA's */
	bool borrowed;		/* a fork copy without a count of its own */
};

KUNIT_DEFINE_ACTION_WRAPPER(mmput_action, mmput, struct mm_struct *);

/* Give the test thread an mm (kunit_vm_mmap() attaches one) and return it. */
static inline struct mm_struct *attach(struct kunit *test)
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
static inline unsigned long free_area(struct kunit *test, unsigned long pages)
{
	unsigned long addr;

	addr = vm_mmap(NULL, 0, NPAGES(pages), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_ASSERT_EQ(test, vm_munmap(addr, NPAGES(pages)), 0);
	return addr;
}

static inline void map_at(struct kunit *test, unsigned long addr, unsigned long pages)
{
	unsigned long ret;

	ret = vm_mmap(NULL, addr, NPAGES(pages), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);
	KUNIT_ASSERT_EQ(test, ret, addr);
}

/* Write one byte to every page, so the VMA gets its anon_vma and pages. */
static inline void fault(struct kunit *test, unsigned long addr, unsigned long pages)
{
	char byte = 0x5a;
	unsigned long i;

	for (i = 0; i < pages; i++)
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)
						   (addr + NPAGES(i)),
						   &byte, 1), 0UL);
}

/* The byte at @addr of the current mm, as fault() wrote it (0x5a). */
static inline char byte_at(struct kunit *test, unsigned long addr)
{
	char byte = 0;

	KUNIT_EXPECT_EQ(test, copy_from_user(&byte, (void __user *)addr, 1),
			0UL);
	return byte;
}

struct vma_info {
	bool found;
	bool borrowed;	/* a fork copy without a count of its own */
	unsigned long start, end, pgoff;
};

static inline struct vma_info vma_at(struct mm_struct *mm, unsigned long addr)
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
		info.borrowed = anon_space_borrowed(vma);
	}
	mmap_read_unlock(mm);
	return info;
}

/* Does @mm's family's allocator leave out @mm's ranges at identity? */
static inline bool identity_mode(struct mm_struct *mm)
{
	return anon_space_identity_mode(mm);
}

/* @mm's identity index of @addr (struct anon_space_node). */
static inline unsigned long id_index(struct mm_struct *mm, unsigned long addr)
{
	return anon_space_identity_base(mm) + (addr >> PAGE_SHIFT);
}

/* Users of @index: recorded, or implicit in identity mode. */
static inline unsigned long users(struct mm_struct *mm, unsigned long index)
{
	return anon_space_users(mm, index);
}

static inline int range_cmp(const void *a, const void *b)
{
	const struct vma_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/*
 * Number of ranges of @r covering @index: the recorded ones if @recorded,
 * else the VMAs' (a parked range is recorded, and no VMA's).
 */
static inline unsigned long cover(const struct vma_range *r, int n,
				  unsigned long index, bool recorded)
{
	unsigned long c = 0;
	int i;

	for (i = 0; i < n; i++)
		if (index >= r[i].start && index - r[i].start < r[i].nr &&
		    !(recorded && (r[i].implicit || r[i].borrowed)) &&
		    (recorded || !r[i].parked))
			c++;
	return c;
}

/* How many borrowed ranges of @r cover @index. */
static inline unsigned long borrowers(const struct vma_range *r, int n,
				      unsigned long index)
{
	unsigned long c = 0;
	int i;

	for (i = 0; i < n; i++)
		if (r[i].borrowed && index >= r[i].start &&
		    index - r[i].start < r[i].nr)
			c++;
	return c;
}

#if BUILTIN_TEST
static inline unsigned long tree_last(struct vm_area_struct *vma)
{
	return vma->vm_pgoff + vma_pages(vma) - 1;
}

static inline unsigned long subtree_last(struct rb_node *node)
{
	struct vm_area_struct *vma;

	if (!node)
		return 0;
	vma = rb_entry(node, struct vm_area_struct, shared.rb);
	return vma->shared.rb_subtree_last;
}

/*
 * The subtree at @rb is a red-black tree, its nodes linked to their
 * parents: no red node has a red child, and every path down meets as many
 * black nodes.  Returns that number.
 */
static inline int rb_black_height(struct kunit *test, struct rb_node *rb)
{
	int left, right;

	if (!rb)
		return 1;
	left = rb_black_height(test, rb->rb_left);
	right = rb_black_height(test, rb->rb_right);
	KUNIT_EXPECT_EQ(test, left, right);
	if (rb->rb_left)
		KUNIT_EXPECT_PTR_EQ(test, rb_parent(rb->rb_left), rb);
	if (rb->rb_right)
		KUNIT_EXPECT_PTR_EQ(test, rb_parent(rb->rb_right), rb);
	if (rb_is_black(rb))
		return left + 1;
	KUNIT_EXPECT_FALSE(test, rb->rb_left && rb_is_red(rb->rb_left));
	KUNIT_EXPECT_FALSE(test, rb->rb_right && rb_is_red(rb->rb_right));
	return left;
}

/*
 * @root is a balanced interval tree of VMAs: keys in start order, subtree
 * maxima as the current ranges say, red-black, its first node cached.
 */
static inline void check_vma_tree(struct kunit *test,
				  struct rb_root_cached *root)
{
	unsigned long prev_start = 0;
	struct vm_area_struct *t;
	struct rb_node *node;

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
	node = root->rb_root.rb_node;
	if (!node)
		return;
	KUNIT_EXPECT_TRUE(test, rb_is_black(node));
	KUNIT_EXPECT_NULL(test, rb_parent(node));
	rb_black_height(test, node);
	KUNIT_EXPECT_PTR_EQ(test, root->rb_leftmost, rb_first(&root->rb_root));
}

/*
 * @mm's node's tree holds the purely anonymous VMAs of @mm that may have
 * pages (every one with an anon_vma), each once and under its current
 * range, and nothing else.
 */
static inline void check_mm_tree(struct kunit *test, struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	unsigned long nr_vmas = 0, nr_tree = 0;
	struct anon_space_tree *tree;
	struct vm_area_struct *vma, *t;
	struct rb_root_cached *root;

	mmap_read_lock(mm);
	if (!mm->anon_node) {
		/* No node, no purely anonymous VMA. */
		for_each_vma(vmi, vma)
			KUNIT_EXPECT_FALSE(test, anon_space_vma(vma));
		mmap_read_unlock(mm);
		return;
	}
	tree = &mm->anon_node->tree;
	root = &tree->i_mmap;
	anon_space_lock_read(tree);
	/*
	 * Every VMA of the mm that has an anon_vma is in the tree, found by
	 * its own range, and so is every VMA marked in it; one without an
	 * anon_vma may be (it was merged or split off one in the tree).
	 */
	for_each_vma(vmi, vma) {
		bool found = false;

		if (!anon_space_vma(vma))
			continue;
		if (vma->anon_vma)
			KUNIT_EXPECT_FALSE_MSG(test, RB_EMPTY_NODE(&vma->shared.rb),
					       "vma [%lx, %lx) has an anon_vma, not in tree",
					       vma->vm_start, vma->vm_end);
		if (RB_EMPTY_NODE(&vma->shared.rb))
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
	check_vma_tree(test, root);
	anon_space_unlock_read(tree);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, nr_tree, nr_vmas);
}

/*
 * The family's nodes: each mm's tree holds exactly its purely anonymous
 * VMAs, and every mm of @mms has a node of the same space.
 */
static inline void check_tree(struct kunit *test, struct mm_struct **mms,
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
static inline void check_tree(struct kunit *test, struct mm_struct **mms,
			      int nr_mms)
{
	KUNIT_FAIL(test, "the tree check needs the suite built in");
}
#endif

static inline void check_rmap(struct kunit *test, struct mm_struct **mms,
			      int nr_mms);

/* Add a node's range of @nr indexes from @start, if any, to @r[@n]. */
static inline int node_range(struct vma_range *r, int n, unsigned long start,
			     unsigned long nr)
{
	if (!nr || n >= MAX_RANGES)
		return n;
	r[n].start = start;
	r[n].nr = nr;
	r[n].implicit = false;
	r[n].parked = true;
	r[n].borrowed = false;
	return n + 1;
}

/*
 * The allocator of the family of @mms covers each index exactly as often as
 * the purely anonymous VMAs of @mms do, and uses no other index; and the
 * family's tree holds exactly those VMAs (check_tree()).  The VMAs of an
 * mm in identity mode (struct anon_space_node) that are at its identity
 * index are left out of the allocator, and no other VMA uses an index of
 * theirs; the first mm in identity mode has no fork relative.  A range an
 * mm's node parked (struct anon_space_node) is one more user of its
 * indexes, held by no VMA (in identity mode it may lie under the mm's VMA
 * at identity that moved home).  A fork copy that borrows its range
 * (anon_space_borrowed()) is no user: its indexes must be in use all the
 * same, by the count it relies on.  Indexes that a release stranded for
 * want of memory are the one excess allowed: the allocator's users then
 * sum to the VMAs' pages plus the stranded ones.
 */
static inline void check(struct kunit *test, struct mm_struct **mms, int nr_mms)
{
	struct anon_index *ai = &mms[0]->anon_space->index;
	struct anon_index_stats st;
	unsigned long uni = 0, end = 0, idx, bad = 0, shared = 0, pages = 0;
	struct vma_range *r;
	int n = 0, i, m;

	r = kunit_kcalloc(test, MAX_RANGES, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, mms[0]->anon_space);
	if (identity_mode(mms[0]) && !anon_space_identity_base(mms[0])) {
		KUNIT_EXPECT_EQ(test, nr_mms, 1);
		KUNIT_EXPECT_NULL(test, mms[0]->anon_node->parent);
		KUNIT_EXPECT_TRUE(test, list_empty(&mms[0]->anon_node->children));
	}

	for (m = 0; m < nr_mms; m++) {
		VMA_ITERATOR(vmi, mms[m], 0);
		struct anon_space_node *node;
		struct vm_area_struct *vma;

		KUNIT_ASSERT_PTR_EQ(test, mms[m]->anon_space,
				    mms[0]->anon_space);
		mmap_read_lock(mms[m]);
		for_each_vma(vmi, vma) {
			if (!anon_space_vma(vma) || n == MAX_RANGES)
				continue;
			r[n].start = vma->vm_pgoff;
			r[n].nr = vma_pages(vma);
			r[n].implicit = identity_mode(mms[m]) &&
				vma->vm_pgoff == id_index(mms[m], vma->vm_start);
			r[n].parked = false;
			r[n].borrowed = anon_space_borrowed(vma);
			n++;
		}
		/*
		 * What the mm's node holds, no VMA's: the ranges for its next
		 * mappings, the growth room for its last VMA to grow, and the
		 * room below its stack.
		 */
		node = mms[m]->anon_node;
		if (node && node->parked)
			n = node_range(r, n, node->fresh, node->nr_fresh);
		if (node && node->spare_parked)
			n = node_range(r, n, node->spare, node->nr_spare);
		if (node)
			n = node_range(r, n, node->reserve, node->nr_reserve);
		if (node)
			n = node_range(r, n, node->below, node->nr_below);
		mmap_read_unlock(mms[m]);
	}
	KUNIT_ASSERT_LT(test, n, MAX_RANGES);

	/* Every index of every range, and the one on either side of it. */
	anon_index_stats(ai, &st);
	for (i = 0; i < n; i++) {
		unsigned long last = r[i].start + r[i].nr;

		if (!r[i].implicit && !r[i].borrowed)
			pages += r[i].nr;
		for (idx = r[i].start ? r[i].start - 1 : 0; idx <= last; idx++) {
			unsigned long got = anon_index_users(ai, idx);
			unsigned long want = cover(r, n, idx, true);

			if ((st.nr_stranded ? got < want : got != want) &&
			    !bad++)
				KUNIT_FAIL(test, "index %#lx: %lu users, %lu VMAs",
					   idx, got, want);
			/* A borrowed index relies on a count that is there. */
			if (!got && borrowers(r, n, idx) && !bad++)
				KUNIT_FAIL(test, "index %#lx: free, %lu VMAs borrow it",
					   idx, borrowers(r, n, idx));
			if (r[i].implicit && idx >= r[i].start && idx < last &&
			    cover(r, n, idx, false) > 1 && !shared++)
				KUNIT_FAIL(test, "index %#lx: %lu VMAs, one at identity",
					   idx, cover(r, n, idx, false));
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, shared, 0UL);

	/* Size of the union of the recorded ranges. */
	sort(r, n, sizeof(*r), range_cmp, NULL);
	for (i = 0; i < n; i++) {
		unsigned long s = max(r[i].start, end);
		unsigned long e = r[i].start + r[i].nr;

		if (r[i].implicit || r[i].borrowed)
			continue;
		if (e > s)
			uni += e - s;
		end = max(end, e);
	}
	KUNIT_EXPECT_EQ(test, anon_index_refs(ai), pages + st.nr_stranded);
	if (st.nr_stranded) {
		KUNIT_EXPECT_GE(test, st.nr_used, uni);
		KUNIT_EXPECT_LE(test, st.nr_used, uni + st.nr_stranded);
	} else {
		KUNIT_EXPECT_EQ(test, st.nr_used, uni);
	}

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
static inline struct anon_space_verify verify(struct kunit *test,
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

static inline unsigned long overlaps(struct mm_struct *mm)
{
	struct anon_index_stats st;

	anon_index_stats(&mm->anon_space->index, &st);
	return st.nr_overlap;
}

/* Indexes a release could not drop for want of memory (anon_index.c). */
static inline unsigned long stranded(struct mm_struct *mm)
{
	struct anon_index_stats st;

	anon_index_stats(&mm->anon_space->index, &st);
	return st.nr_stranded;
}

/*
 * The reverse map of every mm of the family: exact, and no collision
 * unless a growth shared an unrelated VMA's indexes as its last resort
 * (anon_space_nr_unrelated()); a growth over a fork relative's indexes
 * (counted as overlap) is none.
 */
static inline void check_rmap(struct kunit *test, struct mm_struct **mms, int nr_mms)
{
	unsigned long collisions = 0;
	int m;

	if (!HAVE_VERIFY) {
		KUNIT_FAIL(test, "the reverse-map check needs CONFIG_DEBUG_ANON_SPACE");
		return;
	}
	for (m = 0; m < nr_mms; m++)
		collisions += verify(test, mms[m]).collisions;
	if (!anon_space_nr_unrelated(mms[0]))
		KUNIT_EXPECT_EQ(test, collisions, 0UL);
}

static inline void check1(struct kunit *test, struct mm_struct *mm)
{
	check(test, &mm, 1);
}

/* A fork child of @mm, or NULL if dup_mm() failed; the caller mmput()s it. */
static inline struct mm_struct *dup_child(struct mm_struct *mm)
{
	struct mm_struct *child = dup_mm_kunit(mm);

#ifdef CONFIG_MEMCG
	/* Actions run in another thread than the mm's owner. */
	if (child)
		RCU_INIT_POINTER(child->owner, NULL);
#endif
	return child;
}

/* A fork child of @mm, or NULL if dup_mm() failed; mmput() at the end. */
static inline struct mm_struct *try_fork_mm(struct kunit *test, struct mm_struct *mm)
{
	struct mm_struct *child = dup_child(mm);

	if (!child)
		return NULL;
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, mmput_action, child), 0);
	return child;
}

/* A stack-like (MAP_GROWSDOWN) VMA of @pages at @s, each page written. */
static inline void map_stack(struct kunit *test, unsigned long s,
			     unsigned long pages)
{
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, s, NPAGES(pages),
				      PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, 0),
			s);
	fault(test, s, pages);
}

#if BUILTIN_TEST
/* expand_downwards() of @mm's stack-like VMA at @s down to @addr. */
static inline int grow_down(struct mm_struct *mm, unsigned long s,
			    unsigned long addr)
{
	struct vm_area_struct *vma;
	int err = -ENOENT;

	mmap_write_lock(mm);
	vma = vma_lookup(mm, s);
	if (vma && (vma->vm_flags & VM_GROWSDOWN))
		err = expand_downwards(vma, addr);
	mmap_write_unlock(mm);
	return err;
}
#endif

/* A fork child of @mm; mmput() at the end of the case. */
static inline struct mm_struct *fork_mm(struct kunit *test, struct mm_struct *mm)
{
	struct mm_struct *child = try_fork_mm(test, mm);

	KUNIT_ASSERT_NOT_NULL(test, child);
	return child;
}

/* Run the test thread on @to instead of @from (only EXPECTs in between). */
static inline void switch_mm_to(struct mm_struct *from, struct mm_struct *to)
{
	kthread_unuse_mm(from);
	kthread_use_mm(to);
}

static inline void need_verify(struct kunit *test)
{
	if (!HAVE_VERIFY)
		kunit_skip(test, "needs CONFIG_DEBUG_ANON_SPACE");
}

struct page_info {
	unsigned long pfn;
	unsigned long index;
	bool exclusive;		/* PageAnonExclusive() */
};

/* The page mapped at @addr and its index, or pfn 0 if none. */
static inline struct page_info page_at(struct mm_struct *mm, unsigned long addr)
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
		pi.exclusive = folio_test_anon(folio) &&
			       PageAnonExclusive(fw.page);
		folio_walk_end(&fw, vma);
	}
	mmap_read_unlock(mm);
#endif
	return pi;
}

/*
 * The verifier's totals since boot, printed as each suite ends; make check
 * reads the last such line of the kernel log.
 */
static inline void anon_mm_suite_exit(struct kunit_suite *suite)
{
	struct anon_space_verify t;

	if (!HAVE_VERIFY)
		return;
	anon_space_verify_totals(&t);
	pr_info("# anon_space verifier totals: walks %lu mappings %lu visits %lu in_vain %lu in_vain_family %lu collisions %lu collisions_naive %lu collisions_large %lu mismatches %lu overflows %lu\n",
		t.folios, t.mappings, t.visits, t.in_vain, t.in_vain_family,
		t.collisions, t.collisions_naive, t.collisions_large,
		t.mismatches, t.overflows);
}

#endif /* _MM_TESTS_ANON_MM_KUNIT_H */
