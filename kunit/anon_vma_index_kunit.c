// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the index ranges of anonymous VMAs (suite anon_vma_index).
 *
 * Every purely anonymous VMA takes [vm_pgoff, vm_pgoff + vma_pages) from its
 * family's anon_index, and the allocator's coverage must always equal the
 * multiset of those ranges over the family's mms.  The cases drive real mms
 * through mmap, munmap, brk, mremap, mprotect, fork, exit and stack growth,
 * and check() that equality, the anon_space trees and the reverse map after
 * every step (anon_mm_kunit.h).
 */

#include "anon_mm_kunit.h"

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

/* The pages of the VMA that grows in grow_busy_indexes(). */
enum grow_pages {
	GROW_NO_PAGES,
	GROW_OWN_PAGES,
	GROW_SHARED_PAGES,	/* a fork child maps them too */
	GROW_CHILD_GONE,	/* shared by fork, but the child has exited */
};

/*
 * Free addresses after a VMA, but the indexes after its range are held by
 * pages moved away from there; @pages: what the VMA has.
 */
static void grow_busy_indexes(struct kunit *test, enum grow_pages pages)
{
	bool faulted = pages != GROW_NO_PAGES;
	bool shared = pages == GROW_SHARED_PAGES;
	struct mm_struct *child = NULL;
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long c = base + NPAGES(16), x = c + NPAGES(2);
	unsigned long y = base + NPAGES(64);
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[2] = {};
	unsigned long before, i;
	int nr_mms = 1;
	struct vma_info v;
	long ret;

	if (!HAVE_MREMAP || !BUILTIN_TEST)
		kunit_skip(test, "needs a built-in suite with sys_mremap()");
	/* Faulted pages at y keep the indexes of x. */
	map_at(test, x, 4);
	fault(test, x, 4);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	map_at(test, c, 2);
	if (faulted) {
		fault(test, c, 2);
		for (i = 0; i < 2; i++)
			pi[i] = page_at(mm, c + NPAGES(i));
	}
	if (pages >= GROW_SHARED_PAGES)
		child = fork_mm(test, mm);
	if (shared)
		mms[nr_mms++] = child;
	if (pages == GROW_CHILD_GONE) {
		kunit_release_action(test, mmput_action, child);
		/* Mapped once now, but still as fork left them. */
		for (i = 0; i < 2; i++)
			KUNIT_ASSERT_FALSE(test,
					   page_at(mm, c + NPAGES(i)).exclusive);
	}
	check(test, mms, nr_mms);
	before = overlaps(mm);

	ret = do_mremap(c, NPAGES(2), NPAGES(4), 0, 0);
	KUNIT_ASSERT_EQ(test, ret, (long)c);
	v = vma_at(mm, c);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.end, c + NPAGES(4));
	check(test, mms, nr_mms);
	/*
	 * Without pages, or with pages of its own (taken along, their
	 * indexes rewritten; those fork shared with a child that is gone
	 * are its own too), the VMA moves to a fresh range: nothing is
	 * shared.  With pages the child maps too, the indexes' user y is
	 * of another anon_vma: the VMA takes copies of its pages first, as
	 * a write fault would, and moves with the copies; the child keeps
	 * the pages at their indexes, and c's old range: the release of it
	 * lent a count to every VMA the child borrowed, y's copy too.
	 */
	KUNIT_EXPECT_NE(test, v.pgoff, c >> PAGE_SHIFT);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, users(mm, (x >> PAGE_SHIFT) + i),
				shared ? 2UL : 1UL);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, users(mm, (c >> PAGE_SHIFT) + i),
				shared ? 1UL : 0UL);
	KUNIT_EXPECT_EQ(test, overlaps(mm), before);
	for (i = 0; faulted && i < 2; i++) {
		struct page_info now = page_at(mm, c + NPAGES(i));

		KUNIT_EXPECT_EQ_MSG(test, now.index, v.pgoff + i, "page %lu", i);
		KUNIT_EXPECT_EQ_MSG(test, byte_at(test, c + NPAGES(i)), 0x5a,
				    "page %lu", i);
		if (!shared) {
			KUNIT_EXPECT_EQ_MSG(test, now.pfn, pi[i].pfn,
					    "page %lu", i);
			continue;
		}
		KUNIT_EXPECT_NE_MSG(test, now.pfn, pi[i].pfn, "page %lu", i);
		KUNIT_EXPECT_TRUE_MSG(test, now.exclusive, "page %lu", i);
		now = page_at(child, c + NPAGES(i));
		KUNIT_EXPECT_EQ_MSG(test, now.pfn, pi[i].pfn, "page %lu", i);
		KUNIT_EXPECT_EQ_MSG(test, now.index, pi[i].index, "page %lu", i);
	}
	fault(test, c, 4);
	KUNIT_EXPECT_EQ(test, page_at(mm, c + NPAGES(3)).index, v.pgoff + 3);
	check(test, mms, nr_mms);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
}

/*
 * An unfaulted VMA whose next indexes are in use grows in place (as in
 * mainline) into a fresh range: no index is shared.
 */
static void test_mremap_grow_busy_indexes(struct kunit *test)
{
	grow_busy_indexes(test, GROW_NO_PAGES);
}

/*
 * A faulted VMA whose pages are its own does the same, and takes its
 * pages to the fresh range: each gets the index of its place there.
 */
static void test_mremap_grow_busy_indexes_faulted(struct kunit *test)
{
	grow_busy_indexes(test, GROW_OWN_PAGES);
}

/*
 * A faulted VMA whose pages a fork child maps too, and so cannot take
 * along, grows in place all the same: the indexes' user is unrelated, so
 * the VMA copies its pages (unshares them) and moves with the copies.
 */
static void test_mremap_grow_busy_indexes_shared(struct kunit *test)
{
	grow_busy_indexes(test, GROW_SHARED_PAGES);
}

/*
 * Pages fork shared with a child that has exited are mapped once, not
 * PageAnonExclusive until written: they are the VMA's own all the same,
 * and go with it to the fresh range.
 */
static void test_mremap_grow_busy_indexes_child_gone(struct kunit *test)
{
	grow_busy_indexes(test, GROW_CHILD_GONE);
}

/*
 * A faulted VMA whose pages a fork child maps too grows in place into
 * indexes that another VMA of its own mm holds (b, faulted after the fork
 * and moved away: its pages keep c's next indexes).  The growing VMA
 * cannot move its pages, but b can: b moves to a fresh range with its
 * pages, and c grows into the indexes it left, nothing shared.
 */
static void test_mremap_grow_shared_moves_blocker(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long c = base + NPAGES(16), b = c + NPAGES(2);
	unsigned long y = base + NPAGES(64), before, i;
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[2];
	struct vma_info v;

	if (!HAVE_MREMAP || !BUILTIN_TEST)
		kunit_skip(test, "needs a built-in suite with sys_mremap()");
	map_at(test, c, 2);
	fault(test, c, 2);
	mms[1] = fork_mm(test, mm);
	/* VM_NORESERVE keeps b from merging with c. */
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, b, NPAGES(2), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_NORESERVE | MAP_FIXED_NOREPLACE, 0),
			b);
	fault(test, b, 2);
	KUNIT_ASSERT_EQ(test, vma_at(mm, b).pgoff, (c >> PAGE_SHIFT) + 2);
	KUNIT_ASSERT_EQ(test, do_mremap(b, NPAGES(2), NPAGES(2),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	for (i = 0; i < 2; i++)
		pi[i] = page_at(mm, y + NPAGES(i));
	KUNIT_ASSERT_EQ(test, pi[0].index, (c >> PAGE_SHIFT) + 2);
	check(test, mms, 2);
	before = overlaps(mm);

	KUNIT_ASSERT_EQ(test, do_mremap(c, NPAGES(2), NPAGES(4), 0, 0), (long)c);
	v = vma_at(mm, c);
	KUNIT_EXPECT_EQ(test, v.pgoff, c >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, v.end, c + NPAGES(4));
	KUNIT_EXPECT_EQ(test, overlaps(mm), before);
	KUNIT_EXPECT_EQ(test, users(mm, (c >> PAGE_SHIFT) + 2), 1UL);
	v = vma_at(mm, y);
	KUNIT_EXPECT_NE(test, v.pgoff, (c >> PAGE_SHIFT) + 2);
	for (i = 0; i < 2; i++) {
		struct page_info now = page_at(mm, y + NPAGES(i));

		KUNIT_EXPECT_EQ_MSG(test, now.pfn, pi[i].pfn, "page %lu", i);
		KUNIT_EXPECT_EQ_MSG(test, now.index, v.pgoff + i, "page %lu", i);
	}
	fault(test, c + NPAGES(2), 2);
	check(test, mms, 2);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
}

/*
 * A fork child's copy of a faulted VMA grows in place into the indexes its
 * parent's VMA grew into first, which a second child, forked after that
 * growth, borrows too: all are of one anon_vma root (walks of the
 * parent's pages visit the children in mainline too), so the copy shares
 * them, counted as overlap, and keeps its pages: no copy is made.
 */
static void test_mremap_grow_over_relative_shares(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128), c = base + NPAGES(16);
	struct mm_struct *mms[3] = { mm };
	struct page_info pi[4];
	unsigned long before, i;
	struct vma_info v;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, c, 4);
	fault(test, c, 4);
	for (i = 0; i < 4; i++)
		pi[i] = page_at(mm, c + NPAGES(i));
	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_EQ(test, do_mremap(c, NPAGES(4), NPAGES(6), 0, 0), (long)c);
	KUNIT_ASSERT_EQ(test, vma_at(mm, c).pgoff, c >> PAGE_SHIFT);
	/* A second child borrows the grown range: a relative without a count. */
	mms[2] = fork_mm(test, mm);
	KUNIT_ASSERT_TRUE(test, vma_at(mms[2], c).borrowed);
	check(test, mms, 3);
	before = overlaps(mm);

	switch_mm_to(mm, mms[1]);
	KUNIT_EXPECT_EQ(test, do_mremap(c, NPAGES(4), NPAGES(6), 0, 0), (long)c);
	switch_mm_to(mms[1], mm);
	v = vma_at(mms[1], c);
	KUNIT_EXPECT_EQ(test, v.end, c + NPAGES(6));
	KUNIT_EXPECT_EQ(test, v.pgoff, c >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, overlaps(mm) - before, 2UL);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ_MSG(test, page_at(mms[1], c + NPAGES(i)).pfn,
				    pi[i].pfn, "page %lu", i);
	check(test, mms, 3);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions +
				verify(test, mms[1]).collisions +
				verify(test, mms[2]).collisions, 0UL);
}

/*
 * The same growth in the child, into the indexes of a VMA its parent
 * mapped there and has not faulted (d: in no tree, it has no anon_vma yet;
 * the child unmapped its own copy of it).  No walk sees d now, but its
 * pages will have an anon_vma of their own: the allocator's count of d's
 * indexes is explained by no relative of the child's VMA, so the copy
 * takes copies of its pages and moves to a fresh range, and d's pages
 * never share an index with it.
 */
static void test_mremap_grow_over_unfaulted_unshares(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128), c = base + NPAGES(16);
	unsigned long d = c + NPAGES(2), i;
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[2];
	struct vma_info v;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, c, 2);
	fault(test, c, 2);
	for (i = 0; i < 2; i++)
		pi[i] = page_at(mm, c + NPAGES(i));
	/* VM_NORESERVE keeps d from merging with c. */
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, d, NPAGES(2), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_NORESERVE | MAP_FIXED_NOREPLACE, 0),
			d);
	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_EQ(test, vma_at(mm, d).pgoff, d >> PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, vma_at(mms[1], c).pgoff, c >> PAGE_SHIFT);

	switch_mm_to(mm, mms[1]);
	KUNIT_EXPECT_EQ(test, vm_munmap(d, NPAGES(2)), 0);
	KUNIT_EXPECT_EQ(test, do_mremap(c, NPAGES(2), NPAGES(4), 0, 0), (long)c);
	switch_mm_to(mms[1], mm);
	v = vma_at(mms[1], c);
	KUNIT_EXPECT_EQ(test, v.end, c + NPAGES(4));
	KUNIT_EXPECT_NE(test, v.pgoff, c >> PAGE_SHIFT);
	for (i = 0; i < 2; i++) {
		struct page_info now = page_at(mms[1], c + NPAGES(i));

		KUNIT_EXPECT_NE_MSG(test, now.pfn, pi[i].pfn, "page %lu", i);
		KUNIT_EXPECT_EQ_MSG(test, now.index, v.pgoff + i, "page %lu", i);
		KUNIT_EXPECT_EQ_MSG(test, page_at(mm, c + NPAGES(i)).pfn,
				    pi[i].pfn, "page %lu", i);
	}
	KUNIT_EXPECT_EQ(test, users(mm, d >> PAGE_SHIFT), 1UL);
	fault(test, d, 2);
	check(test, mms, 2);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions +
				verify(test, mms[1]).collisions, 0UL);
}

/* Whose pages a fork child maps in move_grow_over_neighbour(). */
enum grow_neighbour {
	NEIGHBOUR_NOT_FORKED,
	NEIGHBOUR_FORKED,	/* both VMAs' pages */
	NEIGHBOUR_OWN,		/* the moving VMA's, not the neighbour's */
};

/*
 * realloc(): a faulted VMA with a neighbour right after it, in addresses
 * and so in identity indexes, grows by moving; mremap() succeeds as in
 * mainline.  The copy's range would grow over the neighbour's indexes;
 * @fork: which pages a fork child maps too.
 */
static void move_grow_over_neighbour(struct kunit *test,
				     enum grow_neighbour fork)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long a = base + NPAGES(16), b = a + NPAGES(4);
	bool shared = fork != NEIGHBOUR_NOT_FORKED;
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[4], pb[4];
	unsigned long before, i;
	int nr_mms = 1;
	struct vma_info v;
	long ret;

	if (!HAVE_MREMAP || !BUILTIN_TEST)
		kunit_skip(test, "needs a built-in suite with sys_mremap()");
	map_at(test, a, 4);
	fault(test, a, 4);
	for (i = 0; i < 4; i++)
		pi[i] = page_at(mm, a + NPAGES(i));
	/* Forked before b is mapped, the child has no copy of b. */
	if (fork == NEIGHBOUR_OWN)
		mms[nr_mms++] = fork_mm(test, mm);
	/*
	 * A neighbour with pages under an anon_vma of its own: VM_NORESERVE
	 * keeps it from merging with a or taking a's anon_vma.  (A walk only
	 * visits VMAs that may have pages: one without any is not in the
	 * tree.)
	 */
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, b, NPAGES(4), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_NORESERVE | MAP_FIXED_NOREPLACE, 0),
			b);
	fault(test, b, 4);
	for (i = 0; i < 4; i++)
		pb[i] = page_at(mm, b + NPAGES(i));
	if (fork == NEIGHBOUR_FORKED)
		mms[nr_mms++] = fork_mm(test, mm);
	check(test, mms, nr_mms);
	before = overlaps(mm);

	ret = do_mremap(a, NPAGES(4), NPAGES(8), MREMAP_MAYMOVE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ret));
	KUNIT_EXPECT_NE(test, (unsigned long)ret, a);
	v = vma_at(mm, ret);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.start, (unsigned long)ret);
	KUNIT_EXPECT_EQ(test, v.end, ret + NPAGES(8));
	/*
	 * The pages go with the copy; where the child maps them too and b
	 * (of another anon_vma) holds the indexes the copy grows into, the
	 * copy takes copies of them (it unshares them, as a write fault
	 * would) and moves to a fresh range with those.
	 */
	for (i = 0; i < 4; i++) {
		struct page_info now = page_at(mm, ret + NPAGES(i));

		if (fork == NEIGHBOUR_FORKED) {
			KUNIT_EXPECT_NE_MSG(test, now.pfn, pi[i].pfn,
					    "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test, page_at(mms[1], a + NPAGES(i)).pfn,
					    pi[i].pfn, "page %lu", i);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, now.pfn, pi[i].pfn,
					    "page %lu", i);
		}
		KUNIT_EXPECT_EQ_MSG(test, now.index, v.pgoff + i, "page %lu", i);
		KUNIT_EXPECT_EQ_MSG(test, byte_at(test, ret + NPAGES(i)), 0x5a,
				    "page %lu", i);
	}
	check(test, mms, nr_mms);
	fault(test, ret + NPAGES(4), 4);
	if (fork == NEIGHBOUR_OWN) {
		struct vma_info vb = vma_at(mm, b);

		/*
		 * The pages keep their indexes (the child maps them there),
		 * the copy's range grows over b's, counted as overlap; b's
		 * pages are its own, so b makes way: it moves to a fresh
		 * range with them, and nothing is shared after all.
		 */
		KUNIT_EXPECT_EQ(test, v.pgoff, a >> PAGE_SHIFT);
		KUNIT_ASSERT_TRUE(test, vb.found);
		KUNIT_EXPECT_NE(test, vb.pgoff, b >> PAGE_SHIFT);
		for (i = 0; i < 4; i++) {
			struct page_info now = page_at(mm, b + NPAGES(i));

			KUNIT_EXPECT_EQ_MSG(test, now.pfn, pb[i].pfn,
					    "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test, now.index, vb.pgoff + i,
					    "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test,
					    users(mm, (b >> PAGE_SHIFT) + i),
					    1UL, "index %lu", i);
		}
		KUNIT_EXPECT_EQ(test, overlaps(mm) - before, 4UL);
		if (HAVE_VERIFY)
			KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
	} else if (shared) {
		/*
		 * The copy moved to a fresh range with copies of its pages:
		 * b's indexes are b's and its copy's in the child (which the
		 * move's release of a's old range lent a count), a's old ones
		 * the child's copy's, nothing is shared with b.
		 */
		KUNIT_EXPECT_NE(test, v.pgoff, a >> PAGE_SHIFT);
		KUNIT_EXPECT_FALSE(test, vma_at(mms[1], b).borrowed);
		KUNIT_EXPECT_EQ(test, users(mm, b >> PAGE_SHIFT), 2UL);
		KUNIT_EXPECT_EQ(test, users(mm, a >> PAGE_SHIFT), 1UL);
		KUNIT_EXPECT_EQ(test, overlaps(mm), before);
		if (HAVE_VERIFY)
			KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
	} else {
		/*
		 * The pages are the VMA's own: the copy moved to a fresh
		 * range with them, their indexes rewritten, and b's indexes
		 * and a's old ones are b's and nobody's.
		 */
		KUNIT_EXPECT_NE(test, v.pgoff, a >> PAGE_SHIFT);
		KUNIT_EXPECT_EQ(test, users(mm, b >> PAGE_SHIFT), 1UL);
		KUNIT_EXPECT_EQ(test, users(mm, a >> PAGE_SHIFT), 0UL);
		KUNIT_EXPECT_EQ(test, overlaps(mm), before);
		KUNIT_EXPECT_EQ(test, page_at(mm, ret + NPAGES(7)).index,
				v.pgoff + 7);
		if (HAVE_VERIFY)
			KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
	}
	check(test, mms, nr_mms);
}

static void test_mremap_move_grow_over_neighbour(struct kunit *test)
{
	move_grow_over_neighbour(test, NEIGHBOUR_NOT_FORKED);
}

static void test_mremap_move_grow_over_neighbour_shared(struct kunit *test)
{
	move_grow_over_neighbour(test, NEIGHBOUR_FORKED);
}

/*
 * The moving VMA's pages are shared, its neighbour's are not: the
 * neighbour moves to a fresh range with them, out of the copy's way.
 */
static void test_mremap_move_grow_neighbour_makes_way(struct kunit *test)
{
	move_grow_over_neighbour(test, NEIGHBOUR_OWN);
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
	unsigned long ps = s >> PAGE_SHIFT;
	struct vma_info v;

	map_stack(test, s, 4);
	check1(test, mm);
	KUNIT_ASSERT_EQ(test, grow_down(mm, s, s - NPAGES(4)), 0);

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

/*
 * A stack growth that shares used indexes (counted as overlap) and then
 * fails (RLIMIT_STACK) leaves the allocator as it was, the overlap count
 * included; the same growth allowed counts it.
 */
static void test_stack_growth_refused(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test), *mms[2] = { mm };
	unsigned long base = free_area(test, 1024), s = base + NPAGES(512);
	struct rlimit *rlim = &current->signal->rlim[RLIMIT_STACK];
	unsigned long ps, saved, before;
	int err;

	map_stack(test, s, 4);
	ps = vma_at(mm, s).pgoff;
	/* The child's stack takes the two indexes below the shared range. */
	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(2)), 0);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 2), 1UL);
	before = overlaps(mm);
	check(test, mms, 2);

	/* The parent's growth by 4 covers them, then the rlimit refuses it. */
	saved = rlim->rlim_cur;
	rlim->rlim_cur = NPAGES(6);
	err = grow_down(mm, s, s - NPAGES(4));
	rlim->rlim_cur = saved;
	KUNIT_EXPECT_EQ(test, err, -ENOMEM);
	KUNIT_EXPECT_EQ(test, vma_at(mm, s).start, s);
	KUNIT_EXPECT_EQ(test, overlaps(mm), before);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 4), 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 2), 1UL);
	check(test, mms, 2);

	KUNIT_ASSERT_EQ(test, grow_down(mm, s, s - NPAGES(4)), 0);
	KUNIT_EXPECT_EQ(test, overlaps(mm), before + 2);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 2), 2UL);
	check(test, mms, 2);
#else
	kunit_skip(test, "expand_downwards() not exported");
#endif
}

/*
 * A fork child's stack, its pages shared with the parent, grows a page at
 * a time into the indexes the parent's growth took: the first growth
 * tries to move the child's pages to a fresh range and is refused, the
 * next ones do not try again (vma->anon_unmovable) and share the
 * relative's indexes at once.  The mark is a hint that only a move
 * clears: once the child's pages are its own it still shares a
 * relative's indexes, never an unrelated VMA's.
 */
static void test_stack_unmovable_tries_once(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test), *mms[2] = { mm };
	unsigned long base = free_area(test, 1024), s = base + NPAGES(512);
	unsigned long ps, refused;
	int k;

	need_verify(test);
	map_stack(test, s, 4);
	ps = vma_at(mm, s).pgoff;
	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_EQ(test, grow_down(mm, s, s - NPAGES(8)), 0);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 8), 1UL);

	refused = anon_space_rekey_refusals();
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(1)), 0);
	KUNIT_EXPECT_EQ(test, anon_space_rekey_refusals() - refused, 1UL);
	for (k = 2; k <= 4; k++)
		KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(k)), 0);
	KUNIT_EXPECT_EQ(test, anon_space_rekey_refusals() - refused, 1UL);
	KUNIT_EXPECT_EQ(test, vma_at(mms[1], s).pgoff, ps - 4);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 4), 2UL);
	/*
	 * The first growth's room below: 32 indexes, more than the VMA has,
	 * the lower ones free before (the parent grew by 8); 29 left.
	 */
	KUNIT_EXPECT_EQ(test, mms[1]->anon_node->nr_below, 29UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 8), 2UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 9), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 33), 1UL);
	check(test, mms, 2);

	/* The child's pages made its own: the hint stays until a move. */
	switch_mm_to(mm, mms[1]);
	fault(test, s - NPAGES(4), 8);
	switch_mm_to(mms[1], mm);
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(5)), 0);
	KUNIT_EXPECT_EQ(test, anon_space_rekey_refusals() - refused, 1UL);
	KUNIT_EXPECT_EQ(test, vma_at(mms[1], s).pgoff, ps - 5);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 5), 2UL);
	KUNIT_EXPECT_EQ(test, mms[1]->anon_node->nr_below, 28UL);
	check(test, mms, 2);
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
	/* The copy has the parent's range, and borrows the parent's count. */
	KUNIT_EXPECT_EQ(test, vma_at(child, x).pgoff, vma_at(mm, x).pgoff);
	KUNIT_EXPECT_TRUE(test, vma_at(child, x).borrowed);
	KUNIT_EXPECT_FALSE(test, vma_at(mm, x).borrowed);
	KUNIT_EXPECT_EQ(test, users(mm, px), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 1UL);
	both[0] = mm;
	both[1] = child;
	check(test, both, 2);

	/* The child unmaps it: the parent's count stays. */
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
	unsigned long px = x >> PAGE_SHIFT, refs;
	struct anon_index_stats before, after;
	struct mm_struct *child, *both[2];

	map_at(test, x, 4);
	fault(test, x, 2);
	/* As the fork will: the allocator records every range from now on. */
	mmap_write_lock(mm);
	KUNIT_ASSERT_EQ(test, anon_space_end_identity(mm), 0);
	mmap_write_unlock(mm);
	anon_index_stats(&mm->anon_space->index, &before);
	refs = anon_index_refs(&mm->anon_space->index);
	child = fork_mm(test, mm);
	both[0] = mm;
	both[1] = child;
	check(test, both, 2);
	/* The fork counted nothing: the copy borrows. */
	KUNIT_EXPECT_EQ(test, anon_index_refs(&mm->anon_space->index), refs);
	KUNIT_EXPECT_TRUE(test, vma_at(child, x).borrowed);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 1UL);

	/* exit_mmap() of the child: nothing to release. */
	kunit_release_action(test, mmput_action, child);
	KUNIT_EXPECT_EQ(test, users(mm, px), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 3), 1UL);
	anon_index_stats(&mm->anon_space->index, &after);
	KUNIT_EXPECT_EQ(test, after.nr_used, before.nr_used);
	check1(test, mm);
}

/*
 * A fork puts its copies into the child's tree in start order, each after
 * the last, and makes the tree a balanced one once they are all in: the
 * child's tree is checked (order, exact maxima, red-black) for each size
 * from 1 to 40 copies.
 */
static void test_fork_copies_chained(struct kunit *test)
{
	struct mm_struct *mm = attach(test), *mms[2] = { mm };
	unsigned long base = free_area(test, 2 * 40), n;

	for (n = 1; n <= 40; n++) {
		unsigned long x = base + NPAGES(2 * (n - 1));

		/* One page apart, faulted each: 40 VMAs in the tree. */
		map_at(test, x, 1);
		fault(test, x, 1);
		mms[1] = fork_mm(test, mm);
		check(test, mms, 2);
		kunit_release_action(test, mmput_action, mms[1]);
	}
}

/*
 * A copy whose range starts before the last one's (an mremap() moved its
 * VMA above VMAs with higher indexes) ends the chain: the copies before it
 * become a balanced tree, it and those after it are inserted.
 */
static void test_fork_copies_out_of_order(struct kunit *test)
{
	struct mm_struct *mm = attach(test), *mms[2] = { mm };
	unsigned long base = free_area(test, 64), y = base + NPAGES(7), i;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	for (i = 0; i < 8; i++) {
		map_at(test, base + NPAGES(2 * i), 1);
		fault(test, base + NPAGES(2 * i), 1);
	}
	/* The first moves between the fourth and the fifth, with its index. */
	KUNIT_ASSERT_EQ(test, do_mremap(base, NPAGES(1), NPAGES(1),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	KUNIT_ASSERT_LT(test, vma_at(mm, y).pgoff,
			vma_at(mm, y - NPAGES(1)).pgoff);
	mms[1] = fork_mm(test, mm);
	check(test, mms, 2);
}

#if BUILTIN_TEST
/*
 * The VMAs of @vmas[0..@nr) whose ranges meet [@first, @last] are those
 * the tree at @root finds, each once.
 */
static void expect_lookup(struct kunit *test, struct rb_root_cached *root,
			  struct vm_area_struct *vmas, unsigned long nr,
			  unsigned long first, unsigned long last)
{
	unsigned long i, want = 0, found = 0;
	struct vm_area_struct *v;

	for (i = 0; i < nr; i++)
		if (vmas[i].vm_pgoff <= last && first <= tree_last(&vmas[i]))
			want++;
	vma_interval_tree_foreach(v, root, first, last) {
		KUNIT_EXPECT_TRUE(test, v->vm_pgoff <= last &&
				  first <= tree_last(v));
		found++;
	}
	KUNIT_EXPECT_EQ_MSG(test, found, want, "[%lu, %lu] in %lu", first,
			    last, nr);
}
#endif

/*
 * A tree filled by vma_interval_tree_append() answers each lookup as it
 * will once balanced, at every size; vma_interval_tree_balance() makes
 * it a balanced tree with exact maxima.  Ranges of 1 to 5 indexes, some
 * starting at the same index, most overlapping others.
 */
static void test_interval_chain_lookups(struct kunit *test)
{
#if BUILTIN_TEST
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct vm_area_struct *vmas;
	unsigned long nr = 24, i, q;

	vmas = kunit_kcalloc(test, nr, sizeof(*vmas), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vmas);
	for (i = 0; i < nr; i++) {
		vmas[i].vm_pgoff = i * 2 / 3;
		vmas[i].vm_start = PAGE_SIZE;
		vmas[i].vm_end = PAGE_SIZE * (2 + i * 7 % 5);
		vma_interval_tree_append(&vmas[i], i ? &vmas[i - 1] : NULL,
					 &root);
		for (q = 0; q < 24; q++) {
			expect_lookup(test, &root, vmas, i + 1, q, q);
			expect_lookup(test, &root, vmas, i + 1, q, q + 2);
		}
	}
	vma_interval_tree_balance(&root, nr);
	check_vma_tree(test, &root);
	for (q = 0; q < 24; q++) {
		expect_lookup(test, &root, vmas, nr, q, q);
		expect_lookup(test, &root, vmas, nr, q, q + 2);
	}
#else
	kunit_skip(test, "vma_interval_tree_append() not exported");
#endif
}

/* Each of the @n indexes from @first has @want users in @mm's family. */
static void expect_range_users(struct kunit *test, struct mm_struct *mm,
			       unsigned long first, unsigned long n,
			       unsigned long want, const char *what)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, users(mm, first + i), want,
				    "%s, index %lu of %lu", what, i, n);
}

/*
 * A stack's growth changes its key in its mm's tree in place where no VMA
 * of the tree sorts between the new key and the old, and else takes it
 * out and puts it back: here a MREMAP_DONTUNMAP copy of the stack's
 * lowest page, left below it by an unmap, starts between them.
 */
static void test_stack_growth_tree_order(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test), *mms[2] = { mm };
	unsigned long base = free_area(test, 1024), s = base + NPAGES(512);
	unsigned long y = base + NPAGES(64), ps;

	map_stack(test, s, 8);
	KUNIT_ASSERT_EQ(test, grow_down(mm, s, s - NPAGES(5)), 0);
	fault(test, s - NPAGES(5), 5);
	ps = vma_at(mm, s).pgoff;
	KUNIT_ASSERT_EQ(test, do_mremap(s - NPAGES(5), NPAGES(1), NPAGES(1),
					MREMAP_MAYMOVE | MREMAP_FIXED |
					MREMAP_DONTUNMAP, y),
			(long)y);
	KUNIT_ASSERT_EQ(test, vm_munmap(s - NPAGES(5), NPAGES(1)), 0);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).pgoff, ps);
	KUNIT_EXPECT_EQ(test, vma_at(mm, s).pgoff, ps + 1);
	/* Its pages shared with a child: it cannot move, it shares. */
	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_EQ(test, grow_down(mm, s, s - NPAGES(6)), 0);
	KUNIT_EXPECT_EQ(test, vma_at(mm, s - NPAGES(6)).pgoff, ps - 1);
	check_mm_tree(test, mm);
	check(test, mms, 2);
#else
	kunit_skip(test, "expand_downwards() not exported");
#endif
}

/*
 * A stack that grows over its relatives' indexes covers a room below the
 * growth with it (32 indexes, whatever the VMA's size), tested with it:
 * the next growths take the room's indexes, no cover (the overlap count
 * stays) and no test, until the room is used up; the growth after that
 * covers the next room.  A sibling's test of relatives counts the room as
 * a relative's, so the sibling shares too.  An unmap of the stack's lower
 * part gives the room back, and so does the mm's exit.
 */
static void test_stack_room_below(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test), *mms[3] = { mm };
	unsigned long base = free_area(test, 1024), s = base + NPAGES(512);
	struct anon_space_node *a;
	unsigned long ps, overlap;
	int k;

	need_verify(test);
	map_stack(test, s, 8);
	ps = vma_at(mm, s).pgoff;
	mms[1] = fork_mm(test, mm);
	mms[2] = fork_mm(test, mm);
	a = mms[1]->anon_node;
	KUNIT_ASSERT_EQ(test, grow_down(mm, s, s - NPAGES(64)), 0);

	/* One page over the parent's growth, and a room of 32 below it. */
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(1)), 0);
	KUNIT_EXPECT_EQ(test, a->below, ps - 33);
	KUNIT_EXPECT_EQ(test, a->nr_below, 32UL);
	expect_range_users(test, mm, ps - 33, 33, 2, "growth and room");
	KUNIT_EXPECT_EQ(test, users(mm, ps - 34), 1UL);
	check(test, mms, 3);

	/* Seven pages more out of the room: no cover. */
	overlap = overlaps(mm);
	for (k = 2; k <= 8; k++)
		KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(k)), 0);
	KUNIT_EXPECT_EQ(test, overlaps(mm), overlap);
	KUNIT_EXPECT_EQ(test, vma_at(mms[1], s).pgoff, ps - 8);
	KUNIT_EXPECT_EQ(test, a->nr_below, 25UL);
	expect_range_users(test, mm, ps - 33, 33, 2, "growth and room");
	check(test, mms, 3);

	/* A sibling grows there: the room is a relative's, it shares. */
	for (k = 1; k <= 2; k++)
		KUNIT_ASSERT_EQ(test, grow_down(mms[2], s, s - NPAGES(k)), 0);
	KUNIT_EXPECT_EQ(test, vma_at(mms[2], s).pgoff, ps - 2);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 2), 3UL);
	/* The parent's growth, both rooms (the sibling made its own). */
	KUNIT_EXPECT_EQ(test, users(mm, ps - 9), 3UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 33), 3UL);
	check(test, mms, 3);

	/* The growth unmapped: the room goes back. */
	switch_mm_to(mm, mms[1]);
	KUNIT_EXPECT_EQ(test, vm_munmap(s - NPAGES(8), NPAGES(8)), 0);
	switch_mm_to(mms[1], mm);
	KUNIT_EXPECT_EQ(test, a->nr_below, 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 9), 2UL);
	check(test, mms, 3);

	/* Grown again, room made again and used up: no cover till then. */
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(1)), 0);
	KUNIT_EXPECT_EQ(test, a->nr_below, 32UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 9), 3UL);
	overlap = overlaps(mm);
	for (k = 2; k <= 33; k++)
		KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(k)), 0);
	KUNIT_EXPECT_EQ(test, overlaps(mm), overlap);
	KUNIT_EXPECT_EQ(test, a->nr_below, 0UL);
	KUNIT_EXPECT_NULL(test, a->below_root);
	/* The parent's growth, this one's, the sibling's growth and room. */
	expect_range_users(test, mm, ps - 33, 33, 3, "growths");
	check(test, mms, 3);

	/* The next growth covers the next room, over free indexes too. */
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(34)), 0);
	KUNIT_EXPECT_EQ(test, a->below, ps - 66);
	KUNIT_EXPECT_EQ(test, a->nr_below, 32UL);
	expect_range_users(test, mm, ps - 64, 30, 2, "growth and room");
	KUNIT_EXPECT_EQ(test, users(mm, ps - 66), 1UL);
	check(test, mms, 3);

	/* The exit gives the stack's indexes and its room back. */
	kunit_release_action(test, mmput_action, mms[1]);
	mms[1] = mms[2];
	check(test, mms, 2);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 9), 2UL);
	KUNIT_EXPECT_EQ(test, users(mm, ps - 40), 1UL);
#else
	kunit_skip(test, "expand_downwards() not exported");
#endif
}

/*
 * A stack growth out of the room below it that the rlimit then refuses
 * gives the indexes back to the room: the room ends where the stack's
 * range starts again, with the users it had, and the next growth takes
 * from it without a cover.
 */
static void test_stack_room_refused(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test), *mms[2] = { mm };
	unsigned long base = free_area(test, 1024), s = base + NPAGES(512);
	struct rlimit *rlim = &current->signal->rlim[RLIMIT_STACK];
	struct anon_space_node *a;
	unsigned long ps, saved, overlap;
	int err;

	need_verify(test);
	map_stack(test, s, 8);
	ps = vma_at(mm, s).pgoff;
	mms[1] = fork_mm(test, mm);
	a = mms[1]->anon_node;
	KUNIT_ASSERT_EQ(test, grow_down(mm, s, s - NPAGES(64)), 0);
	/* The child's growth over the parent's makes a room of 32. */
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(1)), 0);
	KUNIT_ASSERT_EQ(test, a->nr_below, 32UL);
	overlap = overlaps(mm);

	/* Two pages from the room, then refused: the room is whole. */
	saved = rlim->rlim_cur;
	rlim->rlim_cur = NPAGES(9);
	err = grow_down(mms[1], s, s - NPAGES(3));
	rlim->rlim_cur = saved;
	KUNIT_EXPECT_EQ(test, err, -ENOMEM);
	KUNIT_EXPECT_EQ(test, vma_at(mms[1], s).pgoff, ps - 1);
	KUNIT_EXPECT_EQ(test, a->below, ps - 33);
	KUNIT_EXPECT_EQ(test, a->nr_below, 32UL);
	expect_range_users(test, mm, ps - 33, 33, 2, "growth and room");
	check(test, mms, 2);

	/* Allowed: out of the room, no cover. */
	KUNIT_ASSERT_EQ(test, grow_down(mms[1], s, s - NPAGES(3)), 0);
	KUNIT_EXPECT_EQ(test, vma_at(mms[1], s).pgoff, ps - 3);
	KUNIT_EXPECT_EQ(test, a->nr_below, 30UL);
	KUNIT_EXPECT_EQ(test, overlaps(mm), overlap);
	expect_range_users(test, mm, ps - 33, 33, 2, "growth and room");
	check(test, mms, 2);
#else
	kunit_skip(test, "expand_downwards() not exported");
#endif
}

/*
 * Fork copies borrow their parent's count, a grandchild's too.  The
 * parent's unmap lends every borrower in its subtree a count of its own
 * first; a borrower's exit releases nothing, and the grandchild that
 * borrowed through it goes on relying on the parent's count until the
 * parent's unmap lends it one.  The last user's exit frees the indexes.
 */
static void test_fork_lends(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long y = base + NPAGES(32), px, py;
	struct mm_struct *mms[3] = { mm };

	map_at(test, x, 4);
	fault(test, x, 4);
	map_at(test, y, 4);
	fault(test, y, 4);
	mms[1] = fork_mm(test, mm);
	mms[2] = fork_mm(test, mms[1]);
	px = vma_at(mm, x).pgoff;
	py = vma_at(mm, y).pgoff;
	KUNIT_EXPECT_TRUE(test, vma_at(mms[1], x).borrowed);
	KUNIT_EXPECT_TRUE(test, vma_at(mms[2], x).borrowed);
	KUNIT_EXPECT_EQ(test, vma_at(mms[2], x).pgoff, px);
	expect_range_users(test, mm, px, 4, 1, "the parent's, two borrow it");
	check(test, mms, 3);

	/* The parent unmaps x: child and grandchild get counts first. */
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_FALSE(test, vma_at(mms[1], x).borrowed);
	KUNIT_EXPECT_FALSE(test, vma_at(mms[2], x).borrowed);
	expect_range_users(test, mm, px, 4, 2, "the child's and grandchild's");
	/* Every VMA of their trees: y's copies too. */
	KUNIT_EXPECT_FALSE(test, vma_at(mms[2], y).borrowed);
	expect_range_users(test, mm, py, 4, 3, "all three counted");
	check(test, mms, 3);

	/* The child exits: its counts go, the grandchild's stay. */
	kunit_release_action(test, mmput_action, mms[1]);
	mms[1] = mms[2];
	expect_range_users(test, mm, px, 4, 1, "the grandchild's");
	expect_range_users(test, mm, py, 4, 2, "the parent's, the grandchild's");
	check(test, mms, 2);
	kunit_release_action(test, mmput_action, mms[2]);
	expect_range_users(test, mm, px, 4, 0, "free");
	expect_range_users(test, mm, py, 4, 1, "the parent's");
	check1(test, mm);
}

/*
 * The parent unmaps only one page at an edge of a range its child
 * borrows (@last: the last page, else the first): the release lends, the
 * edges of what the fork lent included; a release of a range the fork
 * never saw lends nothing.
 */
static void fork_lends_edge(struct kunit *test, bool last)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long y = base + NPAGES(32), px, edge = last ? 3 : 0;
	struct mm_struct *mms[2] = { mm };

	map_at(test, x, 4);
	fault(test, x, 4);
	mms[1] = fork_mm(test, mm);
	px = vma_at(mm, x).pgoff;
	KUNIT_ASSERT_TRUE(test, vma_at(mms[1], x).borrowed);

	/* Mapped after the fork: its release has no borrower to look for. */
	map_at(test, y, 2);
	fault(test, y, 2);
	KUNIT_ASSERT_EQ(test, vm_munmap(y, NPAGES(2)), 0);
	KUNIT_EXPECT_TRUE(test, vma_at(mms[1], x).borrowed);

	KUNIT_ASSERT_EQ(test, vm_munmap(x + NPAGES(edge), NPAGES(1)), 0);
	KUNIT_EXPECT_FALSE(test, vma_at(mms[1], x).borrowed);
	expect_range_users(test, mm, px + edge, 1, 1, "the child's");
	expect_range_users(test, mm, px + !edge, 3, 2,
			   "the parent's and the child's");
	check(test, mms, 2);
}

static void test_fork_lends_first_page(struct kunit *test)
{
	fork_lends_edge(test, false);
}

static void test_fork_lends_last_page(struct kunit *test)
{
	fork_lends_edge(test, true);
}

/*
 * A borrower's exit releases nothing, and the grandchild that borrowed
 * through it still relies on the parent's count, which the parent's
 * unmap then lends it: the subtree is searched through the exited
 * child's node.
 */
static void test_fork_lends_through_exited(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16), px;
	struct mm_struct *child, *grandchild, *mms[2] = { mm };

	map_at(test, x, 4);
	fault(test, x, 4);
	child = fork_mm(test, mm);
	grandchild = fork_mm(test, child);
	px = vma_at(mm, x).pgoff;
	kunit_release_action(test, mmput_action, child);
	mms[1] = grandchild;
	KUNIT_EXPECT_TRUE(test, vma_at(grandchild, x).borrowed);
	expect_range_users(test, mm, px, 4, 1, "the parent's, borrowed");
	check(test, mms, 2);

	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_FALSE(test, vma_at(grandchild, x).borrowed);
	expect_range_users(test, mm, px, 4, 1, "the grandchild's");
	check(test, mms, 2);
	kunit_release_action(test, mmput_action, grandchild);
	expect_range_users(test, mm, px, 4, 0, "free");
	check1(test, mm);
}

/*
 * Out of identity mode, the range an mm took last, free of other users,
 * stays with the mm's node when its VMA goes (parked), and the next
 * mapping that the allocator would place there takes it: an munmap and an
 * mmap of the same place cost the allocator nothing.  A mapping placed
 * elsewhere, and the mm's exit, give it back; a range a fork child shares
 * is not parked, so a new mapping at its old place gets other indexes.
 */
static void test_forked_munmap_parks_range(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 160);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	unsigned long z = base + NPAGES(96), w = base + NPAGES(128);
	struct mm_struct *mms[3] = { mm };
	unsigned long px, pz, pw;

	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_FALSE(test, identity_mode(mm));

	/* A mapping made after the fork, unmapped: its range is parked. */
	map_at(test, x, 4);
	px = vma_at(mm, x).pgoff;
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_TRUE(test, mm->anon_node->parked);
	KUNIT_EXPECT_EQ(test, mm->anon_node->fresh, px);
	expect_range_users(test, mm, px, 4, 1, "parked");
	check(test, mms, 2);

	/* Mapped again at the same place: the same range, taken back. */
	map_at(test, x, 4);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, px);
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	expect_range_users(test, mm, px, 4, 1, "mapped again");
	check(test, mms, 2);

	/* Part of it unmapped: given back, and the rest is not parked. */
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(2)), 0);
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	expect_range_users(test, mm, px, 2, 0, "part unmapped");
	expect_range_users(test, mm, px + 2, 2, 1, "part still mapped");
	KUNIT_ASSERT_EQ(test, vm_munmap(x + NPAGES(2), NPAGES(2)), 0);
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	expect_range_users(test, mm, px, 4, 0, "rest unmapped");
	check(test, mms, 2);

	/* Parked again, then a mapping of its size elsewhere: given back. */
	map_at(test, x, 4);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, px);
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_TRUE(test, mm->anon_node->parked);
	map_at(test, y, 4);
	KUNIT_EXPECT_NE(test, vma_at(mm, y).pgoff, px);
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	expect_range_users(test, mm, px, 4, 0, "given back");
	check(test, mms, 2);

	/* A faulted range a second child shares: never parked. */
	map_at(test, z, 4);
	fault(test, z, 4);
	pz = vma_at(mm, z).pgoff;
	mms[2] = fork_mm(test, mm);
	KUNIT_ASSERT_EQ(test, vm_munmap(z, NPAGES(4)), 0);
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	expect_range_users(test, mm, pz, 4, 1, "the child's");
	map_at(test, z, 4);
	KUNIT_EXPECT_NE(test, vma_at(mm, z).pgoff, pz);
	check(test, mms, 3);

	/*
	 * MREMAP_DONTUNMAP of the part a mapping merged in: the old VMA
	 * keeps the range the copy holds too, so the copy's unmap parks
	 * nothing.
	 */
	map_at(test, w, 4);
	map_at(test, w + NPAGES(4), 4);
	fault(test, w, 8);
	pw = vma_at(mm, w).pgoff + 4;
	KUNIT_EXPECT_EQ(test, mm->anon_node->fresh, pw);
	KUNIT_ASSERT_EQ(test, do_mremap(w + NPAGES(4), NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED |
					MREMAP_DONTUNMAP, x),
			(long)x);
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	expect_range_users(test, mm, pw, 4, 1, "the old VMA's");
	check(test, mms, 3);
	KUNIT_ASSERT_EQ(test, vm_munmap(w, NPAGES(8)), 0);

	/* The exit of an mm gives its parked range back. */
	mmap_write_lock(mms[1]);
	KUNIT_EXPECT_EQ(test, anon_space_end_identity(mms[1]), 0);
	mmap_write_unlock(mms[1]);
	switch_mm_to(mm, mms[1]);
	map_at(test, w, 4);
	KUNIT_EXPECT_EQ(test, vm_munmap(w, NPAGES(4)), 0);
	switch_mm_to(mms[1], mm);
	KUNIT_EXPECT_TRUE(test, mms[1]->anon_node->parked);
	pw = mms[1]->anon_node->fresh;
	expect_range_users(test, mm, pw, 4, 1, "parked by the child");
	check(test, mms, 3);
	kunit_release_action(test, mmput_action, mms[1]);
	expect_range_users(test, mm, pw, 4, 0, "after the child's exit");
	mms[1] = mms[2];
	check(test, mms, 2);
}

/*
 * The range an mm took before its last one is its spare, parked as the
 * last one is when its VMA goes: a program that maps two buffers and
 * unmaps both maps them again where they were without the allocator.
 * Taking the spare makes it the last range; a mapping placed elsewhere
 * gives both parked ranges back.
 */
static void test_forked_munmap_parks_spare(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 96), x = base + NPAGES(16);
	unsigned long y = base + NPAGES(40), z = base + NPAGES(64);
	struct mm_struct *mms[2] = { mm };
	struct anon_space_node *node;
	unsigned long px, py;

	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_FALSE(test, identity_mode(mm));
	node = mm->anon_node;
	map_at(test, x, 4);
	map_at(test, y, 4);
	px = vma_at(mm, x).pgoff;
	py = vma_at(mm, y).pgoff;
	KUNIT_EXPECT_EQ(test, node->fresh, py);
	KUNIT_EXPECT_EQ(test, node->spare, px);

	/* Both unmapped, the older first: both parked. */
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_TRUE(test, node->spare_parked);
	KUNIT_EXPECT_FALSE(test, node->parked);
	KUNIT_ASSERT_EQ(test, vm_munmap(y, NPAGES(4)), 0);
	KUNIT_EXPECT_TRUE(test, node->parked);
	expect_range_users(test, mm, px, 4, 1, "spare, parked");
	expect_range_users(test, mm, py, 4, 1, "last, parked");
	check(test, mms, 2);

	/* Mapped again in the same order: each its range, kept. */
	map_at(test, x, 4);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, px);
	KUNIT_EXPECT_EQ(test, node->fresh, px);
	KUNIT_EXPECT_FALSE(test, node->parked);
	KUNIT_EXPECT_TRUE(test, node->spare_parked);
	map_at(test, y, 4);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).pgoff, py);
	KUNIT_EXPECT_FALSE(test, node->parked);
	KUNIT_EXPECT_FALSE(test, node->spare_parked);
	expect_range_users(test, mm, px, 4, 1, "mapped again");
	expect_range_users(test, mm, py, 4, 1, "mapped again");
	check(test, mms, 2);

	/* Parked again, then a mapping elsewhere: both given back. */
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(y, NPAGES(4)), 0);
	KUNIT_EXPECT_TRUE(test, node->parked && node->spare_parked);
	map_at(test, z, 8);
	KUNIT_EXPECT_FALSE(test, node->parked || node->spare_parked);
	expect_range_users(test, mm, px, 4, 0, "given back");
	expect_range_users(test, mm, py, 4, 0, "given back");
	check(test, mms, 2);
}

/*
 * A growth in place at a VMA's end out of identity mode takes growth room
 * after it (as many indexes more as the VMA has, up to 32), which the
 * mm's node holds: the next growths there take it without the allocator,
 * a shrink gives the grown part back to it, and another placement in the
 * mm gives it back to the allocator first.
 */
static void test_forked_growth_room(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long z = base + NPAGES(40);
	struct mm_struct *mms[2] = { mm };
	struct anon_space_node *node;
	unsigned long px;

	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_FALSE(test, identity_mode(mm));
	node = mm->anon_node;
	map_at(test, x, 4);
	fault(test, x, 4);
	px = vma_at(mm, x).pgoff;

	/* Grown in place by 4: 4 more indexes of room after it. */
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(8), 0, 0), (long)x);
	KUNIT_EXPECT_EQ(test, node->reserve, px + 8);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 4UL);
	expect_range_users(test, mm, px, 12, 1, "grown, and its room");
	check(test, mms, 2);

	/* Shrunk back: the grown part goes back to the room. */
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(8), NPAGES(4), 0, 0), (long)x);
	KUNIT_EXPECT_FALSE(test, node->parked);
	KUNIT_EXPECT_EQ(test, node->reserve, px + 4);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 8UL);
	expect_range_users(test, mm, px + 4, 8, 1, "shrunk, the room");
	check(test, mms, 2);

	/* Grown by 2 and by 2 again: both from the room, in place. */
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(6), 0, 0), (long)x);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(6), NPAGES(8), 0, 0), (long)x);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, px);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).end, x + NPAGES(8));
	KUNIT_EXPECT_EQ(test, node->reserve, px + 8);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 4UL);
	expect_range_users(test, mm, px, 12, 1, "grown twice from the room");
	check(test, mms, 2);

	/*
	 * Grown by 6, more than the room holds: the allocator's indexes
	 * continue the fresh tail, so a shrink back to 4 gives all of
	 * them to the room, and growing to 8 again takes 4 of them.
	 */
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(8), NPAGES(14), 0, 0), (long)x);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, px);
	KUNIT_EXPECT_EQ(test, node->reserve, px + 14);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 8UL);
	check(test, mms, 2);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(14), NPAGES(4), 0, 0), (long)x);
	KUNIT_EXPECT_EQ(test, node->reserve, px + 4);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 18UL);
	expect_range_users(test, mm, px + 4, 18, 1, "the room, refilled");
	check(test, mms, 2);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(8), 0, 0), (long)x);
	KUNIT_EXPECT_EQ(test, node->reserve, px + 8);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 14UL);
	check(test, mms, 2);

	/* A mapping elsewhere gives the room back first. */
	map_at(test, z, 1);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 0UL);
	KUNIT_EXPECT_EQ(test, users(mm, px + 8), 0UL);
	expect_range_users(test, mm, px, 8, 1, "the VMA's own");
	check(test, mms, 2);
}

/*
 * Only the fresh tail, which one user holds, goes back to the growth room:
 * a shrink that also cuts off indexes a fork child shares releases them
 * all to the allocator and leaves the room as it was.
 */
static void test_forked_growth_room_shared(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	struct mm_struct *mms[2] = { mm };
	struct anon_space_node *node;
	unsigned long px;

	map_at(test, x, 4);
	fault(test, x, 4);
	px = vma_at(mm, x).pgoff;
	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_FALSE(test, identity_mode(mm));
	node = mm->anon_node;
	expect_range_users(test, mm, px, 4, 1, "the child borrows");
	KUNIT_EXPECT_TRUE(test, vma_at(mms[1], x).borrowed);

	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(8), 0, 0), (long)x);
	KUNIT_EXPECT_EQ(test, node->reserve, px + 8);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 4UL);
	check(test, mms, 2);

	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(8), NPAGES(2), 0, 0), (long)x);
	KUNIT_EXPECT_EQ(test, node->reserve, px + 8);
	KUNIT_EXPECT_EQ(test, node->nr_reserve, 4UL);
	/* The shrink lent the child a count of its own first. */
	KUNIT_EXPECT_FALSE(test, vma_at(mms[1], x).borrowed);
	expect_range_users(test, mm, px, 2, 2, "the parent's and the child's");
	expect_range_users(test, mm, px + 2, 2, 1, "the child's alone");
	expect_range_users(test, mm, px + 4, 4, 0, "the grown part, given back");
	check(test, mms, 2);
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
 * MAP_FIXED over anonymous memory a fork child still maps: the replaced
 * range is released (and lent to the child's copy first), so its indexes
 * stay the child's, and the new mapping, which can never share a page
 * with the child, gets other indexes.  No walk visits in vain.
 */
static void test_map_fixed_over_forked(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 64), x = base + NPAGES(16);
	unsigned long px = x >> PAGE_SHIFT, at = x + NPAGES(2), i;
	struct mm_struct *mms[2] = { mm };
	struct vma_info v;

	map_at(test, x, 8);
	fault(test, x, 8);
	mms[1] = fork_mm(test, mm);
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, at, NPAGES(2),
				      PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
			at);
	fault(test, at, 2);
	v = vma_at(mm, at);
	KUNIT_ASSERT_TRUE(test, v.found);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_NE_MSG(test, v.pgoff + ((at - v.start) >> PAGE_SHIFT) + i,
				    px + 2 + i, "page %lu", i);
	KUNIT_EXPECT_FALSE(test, vma_at(mms[1], x).borrowed);
	expect_range_users(test, mm, px + 2, 2, 1, "the child's");
	check(test, mms, 2);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions +
				verify(test, mms[1]).collisions, 0UL);
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

/* Identity mode, with @recorded indexes in the allocator (the moved stack). */
static void expect_identity_mode(struct kunit *test, struct mm_struct *mm,
				 unsigned long recorded)
{
	struct anon_index_stats st;

	KUNIT_EXPECT_TRUE(test, identity_mode(mm));
	anon_index_stats(&mm->anon_space->index, &st);
	KUNIT_EXPECT_EQ(test, st.nr_used, recorded);
}

/*
 * A family of one mm whose VMAs sit at their identity index leaves them
 * out of its allocator (identity mode, struct anon_space): a mapping,
 * faults, a partial munmap, growth in place and the move of a VMA without
 * pages keep every VMA at identity and record nothing.  A move of pages
 * keeps their indexes, so the moved VMA's range is recorded, and given
 * back when it moves home.  A mapping where the moved VMA was, whose
 * identity indexes are the moved VMA's, ends the mode: from then on the
 * allocator records every range, and no index is shared.
 */
static void test_identity_mode(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 512), x = base + NPAGES(16);
	unsigned long y = base + NPAGES(128), z = base + NPAGES(256);

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	check1(test, mm);
	expect_identity_mode(test, mm, 0);
	map_at(test, x, 8);
	fault(test, x, 4);
	KUNIT_EXPECT_EQ(test, vm_munmap(x + NPAGES(6), NPAGES(2)), 0);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(6), NPAGES(8), 0, 0), (long)x);
	map_at(test, y, 4);
	KUNIT_ASSERT_EQ(test, do_mremap(y, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, z),
			(long)z);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).end, x + NPAGES(8));
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, x >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, vma_at(mm, z).pgoff, z >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, users(mm, (x >> PAGE_SHIFT) + 7), 1UL);
	KUNIT_EXPECT_EQ(test, users(mm, y >> PAGE_SHIFT), 0UL);
	expect_identity_mode(test, mm, 0);
	check1(test, mm);

	/* The pages of x move to y with their indexes: y is recorded. */
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(8), NPAGES(8),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).pgoff, x >> PAGE_SHIFT);
	expect_identity_mode(test, mm, 8);
	KUNIT_EXPECT_EQ(test, anon_index_users(&mm->anon_space->index,
					       x >> PAGE_SHIFT), 1UL);
	check1(test, mm);
	/*
	 * Home again, at identity: the VMA needs no record; the one it gave
	 * up stays with the mm's node (parked) for its next move away.
	 */
	KUNIT_ASSERT_EQ(test, do_mremap(y, NPAGES(8), NPAGES(8),
					MREMAP_MAYMOVE | MREMAP_FIXED, x),
			(long)x);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, x >> PAGE_SHIFT);
	expect_identity_mode(test, mm, 8);
	KUNIT_EXPECT_TRUE(test, mm->anon_node->parked);
	check1(test, mm);
	/* Away and growing: the range and the indexes after it recorded. */
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(8), NPAGES(12),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).end, y + NPAGES(12));
	expect_identity_mode(test, mm, 12);
	check1(test, mm);

	/* x's identity indexes are y's now: a mapping there goes elsewhere. */
	map_at(test, x, 4);
	KUNIT_EXPECT_FALSE(test, identity_mode(mm));
	KUNIT_EXPECT_NE(test, vma_at(mm, x).pgoff, x >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, anon_index_users(&mm->anon_space->index,
					       x >> PAGE_SHIFT), 1UL);
	KUNIT_EXPECT_EQ(test, anon_index_users(&mm->anon_space->index,
					       z >> PAGE_SHIFT), 1UL);
	fault(test, x, 4);
	fault(test, y, 12);
	check1(test, mm);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
}

/* A mapping of 2 pages at @addr that merges with no neighbour, faulted. */
static void map_apart(struct kunit *test, unsigned long addr)
{
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, addr, NPAGES(2),
				      PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_NORESERVE | MAP_FIXED_NOREPLACE, 0),
			addr);
	fault(test, addr, 2);
}

/*
 * In identity mode, a move that grows into indexes a VMA at identity uses
 * (x's neighbour w, at identity, holds the indexes after x's: realloc()
 * of a block whose next page is taken): x, whole, with pages of its own,
 * first takes its destination's identity indexes, its pages with it, so
 * that the copy lands at identity; the mode goes on and records nothing.
 * @own: else a fork child maps x's pages too (then there is no mode to
 * keep: the fork ended it).
 */
static void identity_move_grow_over_neighbour(struct kunit *test, bool own)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128), x = base + NPAGES(16);
	unsigned long w = x + NPAGES(4), y = base + NPAGES(64), before, i;
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[4];
	int nr_mms = 1;
	struct vma_info v;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 4);
	fault(test, x, 4);
	for (i = 0; i < 4; i++)
		pi[i] = page_at(mm, x + NPAGES(i));
	map_apart(test, w);
	expect_identity_mode(test, mm, 0);
	if (!own)
		mms[nr_mms++] = fork_mm(test, mm);
	before = overlaps(mm);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(8),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	v = vma_at(mm, y);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.end, y + NPAGES(8));
	if (own) {
		KUNIT_EXPECT_EQ(test, users(mm, w >> PAGE_SHIFT), 1UL);
		expect_identity_mode(test, mm, 0);
		KUNIT_EXPECT_EQ(test, v.pgoff, y >> PAGE_SHIFT);
		for (i = 0; i < 4; i++) {
			struct page_info now = page_at(mm, y + NPAGES(i));

			KUNIT_EXPECT_EQ_MSG(test, now.pfn, pi[i].pfn,
					    "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test, now.index,
					    (y >> PAGE_SHIFT) + i, "page %lu", i);
		}
	} else {
		/*
		 * Shared pages cannot go with the copy, and w (of another
		 * anon_vma) holds the indexes it grows into: the copy takes
		 * copies of the pages and moves to a fresh range with them.
		 * w's users: w and its copy in the child, which the move's
		 * release lent a count.
		 */
		KUNIT_EXPECT_FALSE(test, identity_mode(mm));
		KUNIT_EXPECT_NE(test, v.pgoff, x >> PAGE_SHIFT);
		KUNIT_EXPECT_FALSE(test, vma_at(mms[1], w).borrowed);
		KUNIT_EXPECT_EQ(test, users(mm, w >> PAGE_SHIFT), 2UL);
		for (i = 0; i < 4; i++) {
			struct page_info now = page_at(mm, y + NPAGES(i));

			KUNIT_EXPECT_NE_MSG(test, now.pfn, pi[i].pfn,
					    "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test, now.index, v.pgoff + i,
					    "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test, page_at(mms[1], x + NPAGES(i)).pfn,
					    pi[i].pfn, "page %lu", i);
		}
	}
	KUNIT_EXPECT_EQ(test, overlaps(mm), before);
	check(test, mms, nr_mms);
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
}

static void test_identity_move_grow_over_neighbour(struct kunit *test)
{
	identity_move_grow_over_neighbour(test, true);
}

/*
 * The same after a fork, x's pages shared with the child: the mode ended
 * at the fork, and the copy, which cannot take them along, takes copies.
 */
static void test_identity_move_grow_over_neighbour_forked(struct kunit *test)
{
	identity_move_grow_over_neighbour(test, false);
}

/*
 * In identity mode, a new mapping right after a moved VMA continues its
 * range only if no VMA at identity uses those indexes (w, the moved VMA's
 * old neighbour, does): else it takes its identity index.
 */
static void test_identity_neighbour_of_moved(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128), x = base + NPAGES(16);
	unsigned long w = x + NPAGES(4), y = base + NPAGES(64);

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 4);
	fault(test, x, 4);
	map_apart(test, w);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	expect_identity_mode(test, mm, 4);
	map_at(test, y + NPAGES(4), 2);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y + NPAGES(4)).pgoff,
			(y >> PAGE_SHIFT) + 4);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).end, y + NPAGES(4));
	expect_identity_mode(test, mm, 4);
	check1(test, mm);
}

/*
 * Identity mode bounds the indexes it recorded in the mm's slot, so that a
 * placement outside the bounds needs no look into the allocator; a look
 * inside them must find what is recorded there.  x's and o's pages moved
 * away keep their indexes recorded; a mapping ending at o's copy asks
 * first for the indexes before o's, which reach over x's record (refused:
 * it sits at its own identity, the mode on); a page mapped at x afterwards
 * must still find x's index recorded (it ends the mode and gets another).
 */
static void test_identity_bounds_keep_records(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 256), x = base + NPAGES(16);
	unsigned long o = x + NPAGES(8), y = base + NPAGES(64);
	unsigned long q = base + NPAGES(128), n = q - NPAGES(12);

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 4);
	fault(test, x, 4);
	map_at(test, o, 4);
	fault(test, o, 4);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	KUNIT_ASSERT_EQ(test, do_mremap(o, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, q),
			(long)q);
	expect_identity_mode(test, mm, 8);
	map_at(test, n, 12);
	KUNIT_EXPECT_EQ(test, vma_at(mm, n).pgoff, n >> PAGE_SHIFT);
	expect_identity_mode(test, mm, 8);
	map_at(test, x, 1);
	KUNIT_EXPECT_NE(test, vma_at(mm, x).pgoff, x >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).pgoff, x >> PAGE_SHIFT);
	check1(test, mm);
}

/*
 * A look into the allocator that finds an end of identity mode's record
 * bounds free narrows them, so that the next placement there needs no
 * look.  x's 12 pages moved away record x's indexes and give them back
 * when unmapped: the bounds stay [xi, xi + 11] until mappings at x find
 * the ends free; one in the middle leaves them, one over all empties them.
 */
static void test_identity_bounds_narrow(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 256), x = base + NPAGES(16);
	unsigned long y = base + NPAGES(64), xi = x >> PAGE_SHIFT;
	struct anon_space_node *node;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 12);
	fault(test, x, 12);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(12), NPAGES(12),
					MREMAP_MAYMOVE | MREMAP_FIXED, y),
			(long)y);
	expect_identity_mode(test, mm, 12);
	node = mm->anon_node;
	KUNIT_ASSERT_EQ(test, node->rec_first, xi);
	KUNIT_ASSERT_EQ(test, node->rec_last, xi + 11);
	KUNIT_ASSERT_EQ(test, vm_munmap(y, NPAGES(12)), 0);
	KUNIT_EXPECT_EQ(test, node->rec_first, xi);
	KUNIT_EXPECT_EQ(test, node->rec_last, xi + 11);

	map_at(test, x, 2);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, xi);
	KUNIT_EXPECT_EQ(test, node->rec_first, xi + 2);
	KUNIT_EXPECT_EQ(test, node->rec_last, xi + 11);
	map_at(test, x + NPAGES(10), 2);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x + NPAGES(10)).pgoff, xi + 10);
	KUNIT_EXPECT_EQ(test, node->rec_first, xi + 2);
	KUNIT_EXPECT_EQ(test, node->rec_last, xi + 9);
	map_at(test, x + NPAGES(5), 1);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x + NPAGES(5)).pgoff, xi + 5);
	KUNIT_EXPECT_EQ(test, node->rec_first, xi + 2);
	KUNIT_EXPECT_EQ(test, node->rec_last, xi + 9);

	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(12)), 0);
	map_at(test, x, 12);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, xi);
	KUNIT_EXPECT_EQ(test, node->rec_first, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, node->rec_last, 0UL);
	expect_identity_mode(test, mm, 0);
	check1(test, mm);
}

/* MREMAP_DONTUNMAP ends identity mode: the old VMA takes a fresh range. */
static void test_identity_dontunmap(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128), x = base + NPAGES(16);
	unsigned long y = base + NPAGES(64);

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, x, 4);
	fault(test, x, 4);
	expect_identity_mode(test, mm, 0);
	KUNIT_ASSERT_EQ(test, do_mremap(x, NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED |
					MREMAP_DONTUNMAP, y),
			(long)y);
	KUNIT_EXPECT_FALSE(test, identity_mode(mm));
	KUNIT_EXPECT_EQ(test, vma_at(mm, y).pgoff, x >> PAGE_SHIFT);
	KUNIT_EXPECT_NE(test, vma_at(mm, x).pgoff, x >> PAGE_SHIFT);
	check1(test, mm);
}

/*
 * A fork child starts in identity mode of its own: its identity index of an
 * address is that address's in a slot of the identity zone no other mm
 * places an index in (struct anon_space_node).  The copy of a VMA with
 * pages shares the parent's range, recorded; the copy of one without pages
 * and the child's new mappings sit at its identity, recorded nowhere.  Its
 * growth of what it inherited is the allocator's, and keeps the mode.  The
 * parent, which records every range since the fork, maps where the child
 * did at other indexes: no index is shared.
 */
static void test_identity_fork_child(struct kunit *test)
{
	struct mm_struct *mm = attach(test), *child, *mms[2];
	unsigned long base = free_area(test, 512), a = base + NPAGES(16);
	unsigned long b = base + NPAGES(64), c = base + NPAGES(128);
	struct anon_index *ai = &mm->anon_space->index;
	unsigned long cb;

	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, a, 4);
	fault(test, a, 4);
	map_at(test, b, 4);
	expect_identity_mode(test, mm, 0);
	child = fork_mm(test, mm);
	mms[0] = mm;
	mms[1] = child;
	KUNIT_EXPECT_FALSE(test, identity_mode(mm));
	KUNIT_ASSERT_TRUE(test, identity_mode(child));
	KUNIT_ASSERT_GT(test, child->anon_node->slot, 0U);
	cb = child->anon_node->base;
	KUNIT_EXPECT_EQ(test, cb, (unsigned long)child->anon_node->slot <<
				  ai->slot_shift);
	KUNIT_EXPECT_EQ(test, vma_at(child, a).pgoff, a >> PAGE_SHIFT);
	KUNIT_EXPECT_TRUE(test, vma_at(child, a).borrowed);
	KUNIT_EXPECT_EQ(test, anon_index_users(ai, a >> PAGE_SHIFT), 1UL);
	KUNIT_EXPECT_EQ(test, vma_at(child, b).pgoff, id_index(child, b));
	KUNIT_EXPECT_EQ(test, anon_index_users(ai, id_index(child, b)), 0UL);
	KUNIT_EXPECT_EQ(test, users(child, id_index(child, b)), 1UL);
	check(test, mms, 2);

	switch_mm_to(mm, child);
	map_at(test, c, 8);
	fault(test, c, 8);
	/* Inherited and growing in place: the allocator grows it. */
	KUNIT_EXPECT_EQ(test, do_mremap(a, NPAGES(4), NPAGES(8), 0, 0), (long)a);
	fault(test, a, 8);
	switch_mm_to(child, mm);
	/* The growth gave the child a count of what it borrowed first. */
	KUNIT_EXPECT_FALSE(test, vma_at(child, a).borrowed);
	KUNIT_EXPECT_EQ(test, anon_index_users(ai, a >> PAGE_SHIFT), 2UL);
	KUNIT_EXPECT_TRUE(test, identity_mode(child));
	KUNIT_EXPECT_EQ(test, vma_at(child, c).pgoff, id_index(child, c));
	KUNIT_EXPECT_EQ(test, anon_index_users(ai, id_index(child, c)), 0UL);
	KUNIT_EXPECT_EQ(test, users(child, id_index(child, c) + 7), 1UL);
	KUNIT_EXPECT_EQ(test, vma_at(child, a).end, a + NPAGES(8));
	KUNIT_EXPECT_EQ(test, anon_index_users(ai, (a >> PAGE_SHIFT) + 7), 1UL);

	/* The parent maps where the child did: other indexes. */
	map_at(test, c, 8);
	fault(test, c, 8);
	KUNIT_EXPECT_EQ(test, vma_at(mm, c).pgoff, c >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, anon_index_users(ai, c >> PAGE_SHIFT), 1UL);
	check(test, mms, 2);
	if (HAVE_VERIFY) {
		KUNIT_EXPECT_EQ(test, verify(test, mm).collisions, 0UL);
		KUNIT_EXPECT_EQ(test, verify(test, child).collisions, 0UL);
	}
}

/* A fork child of @mm that the caller mmput()s. */
static struct mm_struct *fork_child(struct kunit *test, struct mm_struct *mm)
{
	struct mm_struct *child = dup_child(mm);

	KUNIT_ASSERT_NOT_NULL(test, child);
	return child;
}

/*
 * Slots are the family's: an mm that exits gives its slot back for the
 * next fork child, unless it forked after it got it and a child still
 * holds a range there (one that exec'd or exited holds none); a child that
 * forks leaves identity mode, as the first mm does, and its child gets a
 * slot of its own.
 */
static void test_identity_fork_child_slots(struct kunit *test)
{
	struct mm_struct *mm = attach(test), *c1, *c2, *g;
	unsigned long x = free_area(test, 16), y = x + NPAGES(8);
	unsigned int s1, s2, sg;

	map_at(test, x, 4);
	fault(test, x, 4);
	c1 = fork_child(test, mm);
	c2 = fork_child(test, mm);
	s1 = c1->anon_node->slot;
	s2 = c2->anon_node->slot;
	KUNIT_EXPECT_NE(test, s1, 0U);
	KUNIT_EXPECT_NE(test, s2, 0U);
	KUNIT_EXPECT_NE(test, s1, s2);

	/* c2 exits without forking: the next child gets its slot. */
	mmput(c2);
	c2 = fork_child(test, mm);
	KUNIT_EXPECT_EQ(test, c2->anon_node->slot, s2);

	/* c1 maps y in its slot and forks: g shares y's range there. */
	switch_mm_to(mm, c1);
	map_at(test, y, 4);
	fault(test, y, 4);
	switch_mm_to(c1, mm);
	KUNIT_EXPECT_EQ(test, vma_at(c1, y).pgoff, id_index(c1, y));
	g = fork_child(test, c1);
	KUNIT_EXPECT_FALSE(test, identity_mode(c1));
	KUNIT_EXPECT_TRUE(test, identity_mode(g));
	KUNIT_EXPECT_EQ(test, vma_at(g, y).pgoff, id_index(c1, y));
	sg = g->anon_node->slot;
	KUNIT_EXPECT_NE(test, sg, 0U);
	KUNIT_EXPECT_NE(test, sg, s1);
	KUNIT_EXPECT_NE(test, sg, s2);
	/* c1 exits, g lives on with y: c1's slot is never given out again. */
	mmput(c1);
	c1 = fork_child(test, mm);
	KUNIT_EXPECT_NE(test, c1->anon_node->slot, s1);
	KUNIT_EXPECT_TRUE(test, identity_mode(c1));
	mmput(c1);
	mmput(g);

	/* c2 forks a child that exits first (fork+exec): c2's slot is free. */
	switch_mm_to(mm, c2);
	map_at(test, y, 4);
	fault(test, y, 4);
	switch_mm_to(c2, mm);
	g = fork_child(test, c2);
	mmput(g);
	mmput(c2);
	c2 = fork_child(test, mm);
	KUNIT_EXPECT_EQ(test, c2->anon_node->slot, s2);
	mmput(c2);
}

/*
 * exec() moves the new stack down with its pages and their indexes
 * (relocate_vma_down()): the stack leaves its identity, so the allocator
 * records its range.  A mapping later put where the stack was, whose
 * identity indexes are the stack's, ends identity mode and gets another
 * range: no index is shared.
 */
static void test_identity_stack_moved(struct kunit *test)
{
#if BUILTIN_TEST
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 256), s = base + NPAGES(128);
	unsigned long shift = NPAGES(64);
	struct vm_area_struct *vma;
	struct anon_space_verify res;
	struct vma_info v;
	int err = -ENOENT;

	map_at(test, s, 8);
	fault(test, s, 8);
	expect_identity_mode(test, mm, 0);
	mmap_write_lock(mm);
	vma = vma_lookup(mm, s);
	if (vma)
		err = relocate_vma_down(vma, shift);
	mmap_write_unlock(mm);
	KUNIT_ASSERT_EQ(test, err, 0);

	v = vma_at(mm, s - shift);
	KUNIT_ASSERT_TRUE(test, v.found);
	KUNIT_EXPECT_EQ(test, v.end, s - shift + NPAGES(8));
	KUNIT_EXPECT_EQ(test, v.pgoff, s >> PAGE_SHIFT);
	expect_identity_mode(test, mm, 8);
	check1(test, mm);

	map_at(test, s, 4);
	KUNIT_EXPECT_FALSE(test, identity_mode(mm));
	v = vma_at(mm, s);
	/* Clear of the stack's range [s >> PAGE_SHIFT, + 8). */
	KUNIT_EXPECT_TRUE(test, v.pgoff + 4 <= (s >> PAGE_SHIFT) ||
			  v.pgoff >= (s >> PAGE_SHIFT) + 8);
	fault(test, s, 4);
	check1(test, mm);
	res = verify(test, mm);
	KUNIT_EXPECT_EQ(test, res.collisions, 0UL);
#else
	kunit_skip(test, "relocate_vma_down() not exported");
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
	KUNIT_CASE(test_mremap_grow_busy_indexes_shared),
	KUNIT_CASE(test_mremap_grow_busy_indexes_child_gone),
	KUNIT_CASE(test_mremap_grow_shared_moves_blocker),
	KUNIT_CASE(test_mremap_grow_over_relative_shares),
	KUNIT_CASE(test_mremap_grow_over_unfaulted_unshares),
	KUNIT_CASE(test_mremap_move_grow_over_neighbour),
	KUNIT_CASE(test_mremap_move_grow_over_neighbour_shared),
	KUNIT_CASE(test_mremap_move_grow_neighbour_makes_way),
	KUNIT_CASE(test_mprotect_split_middle),
	KUNIT_CASE(test_stack_grows_down),
	KUNIT_CASE(test_stack_growth_refused),
	KUNIT_CASE(test_stack_unmovable_tries_once),
	KUNIT_CASE(test_stack_room_below),
	KUNIT_CASE(test_stack_room_refused),
	KUNIT_CASE(test_stack_growth_tree_order),
	KUNIT_CASE(test_fork_shares),
	KUNIT_CASE(test_exit_releases),
	KUNIT_CASE(test_fork_copies_chained),
	KUNIT_CASE(test_fork_copies_out_of_order),
	KUNIT_CASE(test_interval_chain_lookups),
	KUNIT_CASE(test_fork_lends),
	KUNIT_CASE(test_fork_lends_first_page),
	KUNIT_CASE(test_fork_lends_last_page),
	KUNIT_CASE(test_fork_lends_through_exited),
	KUNIT_CASE(test_forked_munmap_parks_range),
	KUNIT_CASE(test_forked_munmap_parks_spare),
	KUNIT_CASE(test_forked_growth_room),
	KUNIT_CASE(test_forked_growth_room_shared),
	KUNIT_CASE(test_new_vma_in_no_tree),
	KUNIT_CASE(test_map_fixed_over_anon_merges),
	KUNIT_CASE(test_map_fixed_over_forked),
	KUNIT_CASE(test_identity_mode),
	KUNIT_CASE(test_identity_dontunmap),
	KUNIT_CASE(test_identity_move_grow_over_neighbour),
	KUNIT_CASE(test_identity_move_grow_over_neighbour_forked),
	KUNIT_CASE(test_identity_neighbour_of_moved),
	KUNIT_CASE(test_identity_bounds_keep_records),
	KUNIT_CASE(test_identity_bounds_narrow),
	KUNIT_CASE(test_identity_stack_moved),
	KUNIT_CASE(test_identity_fork_child),
	KUNIT_CASE(test_identity_fork_child_slots),
	{}
};

static struct kunit_suite anon_vma_index_test_suite = {
	.name = "anon_vma_index",
	.suite_exit = anon_mm_suite_exit,
	.test_cases = anon_vma_index_test_cases,
};

kunit_test_suite(anon_vma_index_test_suite);

MODULE_DESCRIPTION("KUnit tests for the index ranges of anonymous VMAs");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
