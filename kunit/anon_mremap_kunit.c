// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mremap() on anonymous memory (suite anon_mremap): every
 * kind of mremap() moves VMA boundaries, never a page's index: each page is
 * found at its new address, the same page with the same index, and the
 * reverse map finds it there.  (Only a growth over indexes in use moves a
 * VMA's own pages to a fresh range: suite anon_vma_index.)
 */

#include "anon_mm_kunit.h"

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

/* Map [@addr, @addr + @n pages), fault every page and record it in @pi. */
static void map_faulted(struct kunit *test, struct mm_struct *mm,
			unsigned long addr, int n, struct page_info *pi)
{
	map_at(test, addr, n);
	fault(test, addr, n);
	record(test, mm, addr, n, pi);
}

/* Move @n pages from @from to @to, the same size (MREMAP_FIXED). */
static void move_fixed(struct kunit *test, unsigned long from, int n,
		       unsigned long to)
{
	KUNIT_ASSERT_EQ(test, do_mremap(from, NPAGES(n), NPAGES(n),
					MREMAP_MAYMOVE | MREMAP_FIXED, to),
			(long)to);
}

/* Every page of @pi has @want users of its index. */
static void expect_users(struct kunit *test, struct mm_struct *mm,
			 const struct page_info *pi, int n,
			 unsigned long want, const char *what)
{
	int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, users(mm, pi[i].index), want,
				    "%s, page %d", what, i);
}

static void test_move(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct page_info pi[8];

	need_pages(test);
	map_faulted(test, mm, x, 8, pi);
	move_fixed(test, x, 8, y);
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
	map_faulted(test, mm, x, 8, pi);
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
	map_faulted(test, mm, x, 4, pi);
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
	map_faulted(test, mm, x, 4, pi);
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
	map_faulted(test, mm, x, 8, pi);
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
	map_faulted(test, mm, x, 4, pi);
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
	move_fixed(test, x, 4, z);
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
	map_faulted(test, mm, x, 4, pi);
	move_fixed(test, x, 4, y);
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
	/* The policy places every range: none may stay implicit. */
	mmap_write_lock(mm);
	KUNIT_ASSERT_EQ(test, anon_space_end_identity(mm), 0);
	mmap_write_unlock(mm);
	anon_index_set_policy(&mm->anon_space->index, policy);
	KUNIT_ASSERT_EQ(test, mm->anon_space->index.policy, policy);
	need_pages(test);
	need_verify(test);
	base = free_area(test, 128);
	x = base + NPAGES(16);
	y = base + NPAGES(64);
	map_faulted(test, mm, x, 4, pi);
	move_fixed(test, x, 4, y);
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
	map_faulted(test, mm, x, 4, pi);
	move_fixed(test, x, 4, y);
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
 * A move that neither grows nor keeps its old VMA hands the range over to
 * the copy: the allocator's count of each index stays what it was (1, the
 * mover's, whether or not a fork child's copy borrows the range), the old
 * part's unmap releases nothing, and the copy's own unmap later releases
 * the range, all of it, after it lent the child's copy a count of its own.
 * In identity mode (a recorded range moved on) and after a fork.
 */
static void test_move_hands_range_over(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 256);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	unsigned long z = base + NPAGES(112), w = base + NPAGES(160);
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[4], sh[4];

	need_pages(test);
	map_faulted(test, mm, x, 4, pi);
	/* Away from identity: recorded; then on, from recorded to recorded. */
	move_fixed(test, x, 4, y);
	move_fixed(test, y, 4, z);
	expect_pages(test, mm, z, 4, pi);
	expect_users(test, mm, pi, 4, 1, "after two moves");
	check1(test, mm);

	/* After a fork: the pages at z are shared with the child. */
	mms[1] = try_fork_mm(test, mm);
	KUNIT_ASSERT_NOT_NULL(test, mms[1]);
	KUNIT_ASSERT_FALSE(test, identity_mode(mm));
	move_fixed(test, z, 4, w);
	expect_pages(test, mm, w, 4, pi);
	KUNIT_EXPECT_TRUE(test, vma_at(mms[1], z).borrowed);
	expect_users(test, mm, pi, 4, 1, "shared, after the move");
	/* And a range of the parent's own, mapped after the fork. */
	map_faulted(test, mm, x, 4, sh);
	move_fixed(test, x, 4, y);
	expect_pages(test, mm, y, 4, sh);
	expect_users(test, mm, sh, 4, 1, "own, after the move");
	check(test, mms, 2);

	/*
	 * Unmapped, the copies give their ranges back, all of them; the
	 * parent's own range, the one it took last, to its node (parked).
	 */
	KUNIT_ASSERT_EQ(test, vm_munmap(y, NPAGES(4)), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(w, NPAGES(4)), 0);
	KUNIT_EXPECT_TRUE(test, mm->anon_node->parked);
	KUNIT_EXPECT_EQ(test, mm->anon_node->fresh, sh[0].index);
	expect_users(test, mm, sh, 4, 1, "own, unmapped, parked");
	KUNIT_EXPECT_FALSE(test, vma_at(mms[1], z).borrowed);
	expect_users(test, mm, pi, 4, 1, "shared, unmapped by the parent");
	check(test, mms, 2);
}

/*
 * In identity mode a move away from identity records the range, and the
 * move home gives the record back: a store each way.  The record given
 * up at home stays with the mm's node instead (parked), under the VMA
 * back at identity, and the next move away keeps it; a mapping placed at
 * identity over it, and the end of identity mode, give it back first.
 */
static void test_identity_move_home_parks(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[4];

	need_pages(test);
	KUNIT_ASSERT_TRUE(test, identity_mode(mm));
	map_faulted(test, mm, x, 4, pi);
	move_fixed(test, x, 4, y);
	expect_users(test, mm, pi, 4, 1, "away: recorded");
	move_fixed(test, y, 4, x);
	KUNIT_EXPECT_TRUE(test, identity_mode(mm));
	KUNIT_EXPECT_TRUE(test, mm->anon_node->parked);
	KUNIT_EXPECT_EQ(test, mm->anon_node->fresh, pi[0].index);
	/* The VMA at identity, and the record its node keeps. */
	expect_users(test, mm, pi, 4, 2, "home, the record parked");
	expect_pages(test, mm, x, 4, pi);
	check1(test, mm);

	/* Away again: the parked record is the move's. */
	move_fixed(test, x, 4, y);
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	expect_users(test, mm, pi, 4, 1, "away again");
	expect_pages(test, mm, y, 4, pi);
	check1(test, mm);

	/* Home and unmapped: a mapping at identity there gives it back. */
	move_fixed(test, y, 4, x);
	KUNIT_ASSERT_EQ(test, vm_munmap(x, NPAGES(4)), 0);
	KUNIT_EXPECT_TRUE(test, mm->anon_node->parked);
	expect_users(test, mm, pi, 4, 1, "unmapped, the record parked");
	check1(test, mm);
	map_faulted(test, mm, x, 4, pi);
	KUNIT_EXPECT_TRUE(test, identity_mode(mm));
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	KUNIT_EXPECT_EQ(test, vma_at(mm, x).pgoff, id_index(mm, x));
	expect_users(test, mm, pi, 4, 1, "mapped again at identity");
	check1(test, mm);

	/* Parked at a fork: identity mode ends, the record goes back first. */
	move_fixed(test, x, 4, y);
	move_fixed(test, y, 4, x);
	KUNIT_EXPECT_TRUE(test, mm->anon_node->parked);
	mms[1] = fork_mm(test, mm);
	KUNIT_EXPECT_FALSE(test, identity_mode(mm));
	KUNIT_EXPECT_FALSE(test, mm->anon_node->parked);
	KUNIT_EXPECT_TRUE(test, vma_at(mms[1], x).borrowed);
	expect_users(test, mm, pi, 4, 1, "shared with the child");
	check(test, mms, 2);
}

/*
 * anon_space_move_begin() of @n pages from @from to @to, as move_vma()
 * calls it, and anon_space_move_unmapped() after it if @unmapped: the
 * kernel's side of a move whose copy and unmap never happen here.
 */
static void begin_move(struct kunit *test, struct mm_struct *mm,
		       unsigned long from, int n, unsigned long to,
		       bool unmapped)
{
	struct anon_space_move am;
	struct vm_area_struct *vma;
	int ret;

	mmap_write_lock(mm);
	vma = vma_lookup(mm, from);
	ret = vma ? anon_space_move_begin(&am, vma, from, NPAGES(n),
					  NPAGES(n), to, false) : -EFAULT;
	if (!ret && unmapped)
		anon_space_move_unmapped(&am, mm);
	mmap_write_unlock(mm);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* Give back the range a move's copy would hold: @pgoff, @n pages, at @addr. */
static void release_copy(struct mm_struct *mm, unsigned long addr,
			 pgoff_t pgoff, int n)
{
	mmap_write_lock(mm);
	anon_space_release_range(mm, addr, pgoff, n);
	mmap_write_unlock(mm);
}

/*
 * Should the old part's unmap fail after a move that handed its range
 * over (move_vma() leaves the old VMA then, empty), the two VMAs share the
 * range: anon_space_move_unmapped() counts the second user.
 */
static void test_move_unmap_failed_shares(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 128);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[4];

	need_pages(test);
	map_faulted(test, mm, x, 4, pi);
	mms[1] = try_fork_mm(test, mm);
	KUNIT_ASSERT_NOT_NULL(test, mms[1]);
	/* The move and the unmap that failed: nothing released. */
	begin_move(test, mm, x, 4, y, true);
	/* x's VMA and the copy move_vma() made; the child's copy borrows. */
	expect_users(test, mm, pi, 4, 2, "after the failed unmap");
	/*
	 * Here no copy exists: give its share back for check().  The
	 * release lends the child's copy a count first.
	 */
	release_copy(mm, y, pi[0].index, 4);
	KUNIT_EXPECT_FALSE(test, vma_at(mms[1], x).borrowed);
	expect_users(test, mm, pi, 4, 2, "the copy's share given back");
	check(test, mms, 2);
}

/*
 * If even that share fails, the node keeps the handover until one of the
 * two VMAs releases exactly the range.  A move in the meantime must not
 * overwrite it: it shares its own range instead, and the handover left
 * behind still skips its release.
 */
static void test_move_keeps_pending_handover(struct kunit *test)
{
	struct mm_struct *mm = attach(test);
	unsigned long base = free_area(test, 256);
	unsigned long x = base + NPAGES(16), y = base + NPAGES(64);
	unsigned long z = base + NPAGES(112), w = base + NPAGES(160);
	struct mm_struct *mms[2] = { mm };
	struct page_info pi[4], pz[4];

	need_pages(test);
	map_faulted(test, mm, x, 4, pi);
	map_faulted(test, mm, z, 4, pz);
	mms[1] = try_fork_mm(test, mm);
	KUNIT_ASSERT_NOT_NULL(test, mms[1]);
	/* x's move began; its unmap and the share after it failed. */
	begin_move(test, mm, x, 4, y, false);
	KUNIT_ASSERT_EQ(test, mm->anon_node->nr_handover, 4UL);

	move_fixed(test, z, 4, w);
	expect_pages(test, mm, w, 4, pz);
	KUNIT_EXPECT_EQ(test, users(mm, pz[0].index), 2UL);
	KUNIT_EXPECT_EQ(test, mm->anon_node->nr_handover, 4UL);
	KUNIT_EXPECT_EQ(test, mm->anon_node->handover, pi[0].index);

	/* The copy that never was goes: its release is the one skipped. */
	release_copy(mm, y, pi[0].index, 4);
	KUNIT_EXPECT_EQ(test, mm->anon_node->nr_handover, 0UL);
	/*
	 * x's VMA and its copy in the child, which the release of z's old
	 * range lent a count, with the other ranges the child borrowed.
	 */
	KUNIT_EXPECT_FALSE(test, vma_at(mms[1], x).borrowed);
	KUNIT_EXPECT_EQ(test, users(mm, pi[0].index), 2UL);
	check(test, mms, 2);
}

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
	KUNIT_CASE(test_move_hands_range_over),
	KUNIT_CASE(test_move_unmap_failed_shares),
	KUNIT_CASE(test_move_keeps_pending_handover),
	KUNIT_CASE(test_identity_move_home_parks),
	{}
};

static struct kunit_suite anon_mremap_test_suite = {
	.name = "anon_mremap",
	.suite_exit = anon_mm_suite_exit,
	.test_cases = anon_mremap_test_cases,
};

kunit_test_suite(anon_mremap_test_suite);

MODULE_DESCRIPTION("KUnit tests for mremap() of anonymous memory");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
