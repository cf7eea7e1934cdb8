// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the reverse map through the anon_space (suite
 * anon_space_rmap): the walk finds exactly the real mappings of pages
 * private to a mm, shared after fork and copied on write; a seeded random
 * sequence of mmap, munmap, mremap, mprotect, brk, fork, exit and faults
 * across a family (with allocation failures injected, under
 * CONFIG_FAIL_ANON_SPACE) keeps check() after each step; workloads shaped
 * like a pre-fork server, a shell, thread stacks and a fork tree; and with
 * CONFIG_ANON_SPACE_RMAP the kernel's own walks (migration, referenced).
 */

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/shmem_fs.h>

#include "anon_mm_kunit.h"

static unsigned long family_steps = 300;
module_param(family_steps, ulong, 0444);
MODULE_PARM_DESC(family_steps, "steps of the random family sequence");
static unsigned long family_seed = 1;
module_param(family_seed, ulong, 0444);
MODULE_PARM_DESC(family_seed, "seed of the random family sequence");

static unsigned long family_trace = ULONG_MAX;
module_param(family_trace, ulong, 0444);
MODULE_PARM_DESC(family_trace,
		 "print every step of the random family sequence from this one on, with each mm's VMAs");

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

/*
 * A visit in vain that anon_vma spares (in_vain_family).  A VMA whose
 * pages it shares with its parent cannot take them to a fresh range, so
 * where it grows in place over indexes that only fork relatives use, it
 * shares them.  The relative here is the VMA's other half, moved away
 * before the fork: in the child the two halves have anon_vmas of their
 * own, of one root.  A page the child then writes in the grown part is
 * found through the child's node, whose tree has the other half over
 * that index too; anon_vma_chain does not link that half to the page's
 * anon_vma, so mainline's walk spares the visit.
 */
static void test_rmap_grow_over_relative(struct kunit *test)
{
	struct mm_struct *mm = attach(test), *child, *both[2];
	unsigned long base = free_area(test, 128), a = base + NPAGES(16);
	unsigned long b = base + NPAGES(64);
	struct anon_space_verify v;
	struct vma_info va, vb;
	long ret;

	need_verify(test);
	if (!HAVE_MREMAP)
		kunit_skip(test, "sys_mremap() not callable here");
	map_at(test, a, 8);
	fault(test, a, 8);
	KUNIT_ASSERT_EQ(test, do_mremap(a + NPAGES(4), NPAGES(4), NPAGES(4),
					MREMAP_MAYMOVE | MREMAP_FIXED, b),
			(long)b);
	child = fork_mm(test, mm);
	va = vma_at(child, a);
	vb = vma_at(child, b);
	KUNIT_ASSERT_TRUE(test, va.found);
	KUNIT_ASSERT_TRUE(test, vb.found);
	/* The moved half kept its indexes, right above the other's. */
	KUNIT_ASSERT_EQ(test, vb.pgoff, va.pgoff + 4);

	switch_mm_to(mm, child);
	ret = do_mremap(a, NPAGES(4), NPAGES(6), 0, 0);
	if (ret == (long)a)
		fault(test, a + NPAGES(4), 1);
	switch_mm_to(child, mm);
	KUNIT_ASSERT_EQ(test, ret, (long)a);
	/* Grown in place over the other half's first indexes. */
	KUNIT_EXPECT_EQ(test, vma_at(child, a).pgoff, va.pgoff);
	KUNIT_EXPECT_EQ(test, page_at(child, a + NPAGES(4)).index,
			va.pgoff + 4);

	v = verify(test, child);
	KUNIT_EXPECT_EQ(test, v.in_vain_family, 1UL);
	KUNIT_EXPECT_EQ(test, v.collisions, 0UL);
	both[0] = mm;
	both[1] = child;
	check(test, both, 2);
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
 * The random family sequence's trace (family_trace): every purely
 * anonymous VMA of the family, its index range, anon_vma root and marks,
 * as a step left them.  The roots tell relatives apart: the verifier
 * counts a collision where VMAs of different roots (or none) cover one
 * index.
 */
static void trace_mms(struct mm_struct **mms, int nr)
{
	struct vm_area_struct *vma;
	int m;

	for (m = 0; m < nr; m++) {
		VMA_ITERATOR(vmi, mms[m], 0);

		mmap_read_lock(mms[m]);
		for_each_vma(vmi, vma) {
			if (!anon_space_vma(vma))
				continue;
			pr_info("  mm%d %#lx-%#lx pgoff %#lx-%#lx root %p%s\n",
				m, vma->vm_start, vma->vm_end, vma->vm_pgoff,
				vma->vm_pgoff + vma_pages(vma),
				vma->anon_vma ? vma->anon_vma->root : NULL,
				anon_space_borrowed(vma) ? " borrowed" : "");
		}
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
 * The allocations whose failure fails the call: all but the allocator's
 * releases, which strand indexes instead.
 */
#define CALL_FAIL_SITES	(ANON_SPACE_FAIL_ALL & ~ANON_SPACE_FAIL_RELEASE)

/*
 * The failures injected that fail a call (CALL_FAIL_SITES) since @*count
 * was last taken (FAIL_ANON_SPACE), and @*count brought up to date.
 */
static unsigned long injected_since(unsigned long *count)
{
	unsigned long now = anon_space_fail_count(CALL_FAIL_SITES);
	unsigned long n = now - *count;

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
	unsigned long count = anon_space_fail_count(CALL_FAIL_SITES);
	unsigned long releases = anon_space_fail_count(ANON_SPACE_FAIL_RELEASE);
	struct reloc_zone z = {};
	int nr = 1, cur = 0;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, family_seed);
	anon_space_verify_totals(&before);
	if (failing) {
		fail_on(test, fail_sites, fail_interval);
		count = anon_space_fail_count(CALL_FAIL_SITES);
		releases = anon_space_fail_count(ANON_SPACE_FAIL_RELEASE);
	}

	for (step = 0; step < steps; step++) {
		u32 r = prandom_u32_state(&rnd);
		enum family_op op = r % NR_FAMILY_OPS;
		unsigned long a = base + NPAGES((r >> 8) % FAMILY_WINDOW);
		unsigned long b = base + NPAGES((r >> 16) % FAMILY_WINDOW);
		unsigned long len = NPAGES(1 + (r >> 24) % 8);
		unsigned long len2 = NPAGES(1 + (r >> 28) % 8);
		int who = prandom_u32_state(&rnd) % nr;
		bool moved_from_hole = false;
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
			/* mremap()'s -EFAULT: not one VMA, whatever fails. */
			moved_from_hole = op != OP_MPROTECT &&
					  (!v.found || a + len > v.end);
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
			if (IS_ERR_VALUE(ret) && ret != -ENOMEM &&
			    !(ret == -EFAULT && moved_from_hole))
				KUNIT_FAIL(test, "op %d: %ld after an injected failure",
					   op, ret);
		}
		if (step >= family_trace) {
			pr_info("seed %lu step %lu: op %d (%#lx, %#lx, %#lx, %#lx) in mm %d of %d: %ld\n",
				family_seed, step, op, a, len, b, len2, cur, nr,
				ret);
			trace_mms(mms, nr);
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
		releases = anon_space_fail_count(ANON_SPACE_FAIL_RELEASE) -
			   releases;
		kunit_info(test, "seed %lu: %lu steps with an injected failure, %lu of them -ENOMEM; %lu release stores failed, %lu indexes stranded\n",
			   family_seed, fails, enomem, releases, stranded(mm));
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
		KUNIT_EXPECT_GT(test, fails + releases, 0UL);
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
	{ ANON_SPACE_FAIL_RELEASE, 7, "release" },
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
	unsigned long base, s;
	struct workload w;
	int i;

	need_verify(test);
	workload_begin(&w, test);
	base = free_area(test, 1024);
	s = base + NPAGES(768);
	map_stack(test, s, 4);
	for (i = 0; i < 4; i++)
		workload_fork(&w, 0);
	for (i = 0; i < w.nr; i++) {
		unsigned long depth = NPAGES(2 + 3 * i);

		workload_use(&w, i);
		KUNIT_ASSERT_EQ(test, grow_down(w.mms[i], s, s - depth), 0);
		fault(test, s - depth, (depth >> PAGE_SHIFT) + 4);
	}
	workload_end(&w, "stacks", false);
#else
	kunit_skip(test, "expand_downwards() not exported");
#endif
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
	unsigned long x, i, walks, pinned;
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
	pinned = anon_space_rmap_walks_pinned();
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
	/*
	 * Only the walk that maps a copy back pins its anon_vma: the copy is
	 * not mapped yet (the walk that unmaps a mapped folio needs no pin).
	 */
	KUNIT_EXPECT_EQ(test, anon_space_rmap_walks_pinned() - pinned,
			(unsigned long)nr_folios);

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
	unsigned long x, i, walks, pinned, vm_flags, checked, unchecked;
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
			pinned = anon_space_rmap_walks_pinned();
			checked = anon_space_rmap_checks(&unchecked);
			KUNIT_EXPECT_EQ(test, folio_referenced(folio, 0, NULL,
							       &vm_flags),
					want);
			KUNIT_EXPECT_EQ(test, anon_space_rmap_walks() - walks,
					1UL);
			/* A mapped folio is walked without a pin. */
			KUNIT_EXPECT_EQ(test, anon_space_rmap_walks_pinned() -
					pinned, 0UL);
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

#if BUILTIN_TEST && IS_ENABLED(CONFIG_ANON_SPACE_RMAP)
struct chain_info {
	bool found;
	unsigned long in_tree;		/* in their anon_vma's rb_root */
	unsigned long out;		/* in none, or the verifier's */
	unsigned long num_chains;	/* of the VMA's own anon_vma */
	bool locked_update;		/* vma_in_anon_vma_tree() */
};

/* Where the anon_vma_chains of @mm's VMA at @addr are. */
static struct chain_info chains_at(struct mm_struct *mm, unsigned long addr)
{
	struct chain_info ci = {};
	struct anon_vma_chain *avc;
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma && vma->anon_vma) {
		ci.found = true;
		anon_vma_lock_read(vma->anon_vma);
		list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
			if (anon_vma_chain_tree(avc) == &avc->anon_vma->rb_root)
				ci.in_tree++;
			else
				ci.out++;
		ci.num_chains = vma->anon_vma->num_chains;
		anon_vma_unlock_read(vma->anon_vma);
		ci.locked_update = vma_in_anon_vma_tree(vma);
	}
	mmap_read_unlock(mm);
	return ci;
}

static void expect_chains(struct kunit *test, struct mm_struct *mm,
			  unsigned long addr, unsigned long in_tree,
			  unsigned long out, unsigned long num_chains)
{
	struct chain_info ci = chains_at(mm, addr);

	KUNIT_ASSERT_TRUE(test, ci.found);
	KUNIT_EXPECT_EQ(test, ci.in_tree, in_tree);
	KUNIT_EXPECT_EQ(test, ci.out, out);
	KUNIT_EXPECT_EQ(test, ci.num_chains, num_chains);
	/*
	 * A range update takes the anon_vma lock for a chain in any tree:
	 * the anon_vma's, or with DEBUG_ANON_SPACE the verifier's.
	 */
	KUNIT_EXPECT_EQ(test, ci.locked_update,
			in_tree > 0 ||
			(IS_ENABLED(CONFIG_DEBUG_ANON_SPACE) && out > 0));
}
#endif

#if BUILTIN_TEST && IS_ENABLED(CONFIG_KSM)
/* Back in KSM, as ksmd left it: __ksm_exit() takes it off KSM's list. */
static void ksm_rejoin_action(void *mm)
{
	set_bit(MMF_VM_MERGEABLE, &((struct mm_struct *)mm)->flags);
}
#endif

/*
 * The space is a purely anonymous VMA's only reverse-map tree: its
 * anon_vma_chains are in no anon_vma tree (with DEBUG_ANON_SPACE, in the
 * one the verifier walks), and each anon_vma counts its chains.  A private
 * file mapping's copied page is walked through its anon_vma: its chain is
 * in the tree.  An mm that enters KSM puts its chains into the anon_vma
 * trees, which walks of KSM folios use, and so does a child it forks; a
 * relative that did not enter keeps its own out.  One that has left KSM
 * keeps putting them there, as do the children it forks then: a swap
 * entry of a KSM page outlives its time in KSM (MMF_KSM_ENTERED).  An
 * update of a VMA's range takes the anon_vma lock only where a chain is
 * in a tree (vma_in_anon_vma_tree()).
 */
static void test_switch_anon_vma_tree(struct kunit *test)
{
#if BUILTIN_TEST && IS_ENABLED(CONFIG_ANON_SPACE_RMAP) && \
	IS_ENABLED(CONFIG_KSM) && IS_ENABLED(CONFIG_SHMEM)
	struct mm_struct *mms[3], *child;
	unsigned long x, f;
	struct file *file;

	switch_family(test, mms, &x);
	/* The parent's VMA links its anon_vma, which the child's links too. */
	expect_chains(test, mms[0], x, 0, 1, 2);
	/* The child's: the parent's anon_vma and its own. */
	expect_chains(test, mms[1], x, 0, 2, 1);

	file = shmem_file_setup("anon_space_kunit", NPAGES(2), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	f = vm_mmap(file, 0, NPAGES(2), PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	fput(file);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(f));
	fault(test, f, 1);
	expect_chains(test, mms[0], f, 1, 0, 1);
	KUNIT_EXPECT_EQ(test, vm_munmap(f, NPAGES(2)), 0);

	KUNIT_ASSERT_EQ(test, do_madvise(mms[0], x, NPAGES(SWITCH_PAGES),
					 MADV_MERGEABLE), 0);
	expect_chains(test, mms[0], x, 1, 0, 2);
	expect_chains(test, mms[1], x, 0, 2, 1);
	mms[2] = fork_mm(test, mms[0]);
	expect_chains(test, mms[0], x, 1, 0, 3);
	expect_chains(test, mms[2], x, 2, 0, 1);
	switch_expect_words(test, mms, x);
	check(test, mms, 3);

	/*
	 * The parent leaves KSM: no VM_MERGEABLE VMA, its flag cleared as
	 * ksmd clears it (ksmd does not run here).  The VMA split off by an
	 * mprotect() and the copies of a child forked now (not in KSM) put
	 * their chains into the trees: the parent's anon_vma counts the
	 * split VMA's and the child's two.
	 */
	KUNIT_ASSERT_EQ(test, do_madvise(mms[0], x, NPAGES(SWITCH_PAGES),
					 MADV_UNMERGEABLE), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ksm_rejoin_action,
							mms[0]), 0);
	clear_bit(MMF_VM_MERGEABLE, &mms[0]->flags);
	KUNIT_ASSERT_EQ(test, do_mprotect(x, NPAGES(1), PROT_READ), 0);
	expect_chains(test, mms[0], x, 1, 0, 4);
	expect_chains(test, mms[0], x + NPAGES(1), 1, 0, 4);
	child = fork_mm(test, mms[0]);
	expect_chains(test, mms[0], x, 1, 0, 6);
	expect_chains(test, child, x, 2, 0, 1);
	expect_chains(test, child, x + NPAGES(1), 2, 0, 1);
#else
	kunit_skip(test, "needs the suite built in, ANON_SPACE_RMAP, KSM and SHMEM");
#endif
}

/*
 * mm_take_all_locks() (an mmu notifier's first registration on an mm)
 * keeps out every rmap walk that could reach the mm's page tables: with
 * ANON_SPACE_RMAP the walks of its purely anonymous VMAs' folios go
 * through its node's tree, under that tree's i_mmap_rwsem, which it must
 * hold too, as it holds a file's; mm_drop_all_locks() lets it go.
 */
static void test_take_all_locks_space(struct kunit *test)
{
#if BUILTIN_TEST && IS_ENABLED(CONFIG_ANON_SPACE_RMAP)
	struct mm_struct *mm = attach(test);
	unsigned long x = free_area(test, 8);
	struct anon_space_node *node;

	map_at(test, x, 4);
	fault(test, x, 4);
	node = mm->anon_node;
	KUNIT_ASSERT_NOT_NULL(test, node);
	mmap_write_lock(mm);
	KUNIT_ASSERT_EQ(test, mm_take_all_locks(mm), 0);
	KUNIT_EXPECT_TRUE(test, rwsem_is_locked(&node->tree.i_mmap_rwsem));
	KUNIT_EXPECT_TRUE(test, node->all_locked);
	mm_drop_all_locks(mm);
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&node->tree.i_mmap_rwsem));
	KUNIT_EXPECT_FALSE(test, node->all_locked);
	mmap_write_unlock(mm);
	/* A walk can run again: the pages are found, once each. */
	if (HAVE_VERIFY)
		KUNIT_EXPECT_EQ(test, verify(test, mm).mappings, 4UL);
#else
	kunit_skip(test, "needs the suite built in and ANON_SPACE_RMAP");
#endif
}

#if IS_ENABLED(CONFIG_ANON_SPACE_RMAP)
struct leaf_fork {
	struct mm_struct *mm;
	struct mm_struct *child;
	struct completion done;
};

static int leaf_fork_fn(void *arg)
{
	struct leaf_fork *lf = arg;

	lf->child = dup_child(lf->mm);
	complete(&lf->done);
	return 0;
}
#endif

/*
 * A walk of a mapped folio whose node has no children holds that node's
 * i_mmap_rwsem alone, not the family's fork_rwsem: a fork of the node's
 * mm must not link its child meanwhile, or the child could copy ptes of
 * the folio that the walk has not reached yet and never will.  The case
 * holds the lock as such a walk does and forks from another thread: the
 * fork waits, and links its child once the lock is dropped.
 */
static void test_fork_waits_for_leaf_walk(struct kunit *test)
{
#if IS_ENABLED(CONFIG_ANON_SPACE_RMAP)
	struct mm_struct *mm = attach(test);
	unsigned long x = free_area(test, 8);
	struct anon_space_node *node;
	struct task_struct *thread;
	struct leaf_fork lf = { .mm = mm };
	bool done_early, linked_early;

	map_at(test, x, 4);
	fault(test, x, 4);
	node = mm->anon_node;
	KUNIT_ASSERT_NOT_NULL(test, node);
	KUNIT_ASSERT_TRUE(test, list_empty(&node->children));
	init_completion(&lf.done);

	anon_space_lock_read(&node->tree);
	thread = kthread_run(leaf_fork_fn, &lf, "anon_leaf_fork");
	if (IS_ERR(thread)) {
		anon_space_unlock_read(&node->tree);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(thread));
		return;
	}
	done_early = wait_for_completion_timeout(&lf.done,
						 msecs_to_jiffies(100));
	linked_early = !list_empty(&node->children);
	anon_space_unlock_read(&node->tree);
	if (!done_early)
		wait_for_completion(&lf.done);

	KUNIT_EXPECT_FALSE(test, done_early);
	KUNIT_EXPECT_FALSE(test, linked_early);
	KUNIT_ASSERT_NOT_NULL(test, lf.child);
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, mmput_action, lf.child),
			0);
	KUNIT_EXPECT_FALSE(test, list_empty(&node->children));
	check(test, (struct mm_struct *[]){ mm, lf.child }, 2);
#else
	kunit_skip(test, "needs ANON_SPACE_RMAP");
#endif
}

static struct kunit_case anon_space_rmap_test_cases[] = {
	KUNIT_CASE(test_rmap_private_pages),
	KUNIT_CASE(test_rmap_fork_shared),
	KUNIT_CASE(test_rmap_cow),
	KUNIT_CASE(test_rmap_child_unmaps),
	KUNIT_CASE(test_rmap_exited_middle),
	KUNIT_CASE(test_rmap_grow_over_relative),
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
	KUNIT_CASE(test_switch_anon_vma_tree),
	KUNIT_CASE(test_take_all_locks_space),
	KUNIT_CASE(test_fork_waits_for_leaf_walk),
	{}
};

static struct kunit_suite anon_space_rmap_test_suite = {
	.name = "anon_space_rmap",
	.suite_exit = anon_mm_suite_exit,
	.test_cases = anon_space_rmap_test_cases,
};

kunit_test_suite(anon_space_rmap_test_suite);

MODULE_DESCRIPTION("KUnit tests for the reverse map through the anon_space");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
