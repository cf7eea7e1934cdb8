// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for anon_index, the index range allocator of the anonymous
 * address space (mm/anon_index.c).
 *
 * The zones are small so that index 0, the top index and exhaustion are
 * reached for real.  The same file also builds into a host program (the
 * anon_space project's host/ directory) so that Valgrind can run it.
 */

#include <kunit/test.h>
#include <linux/anon_index.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>

static unsigned int churn_iterations = 10000;
module_param(churn_iterations, uint, 0444);
MODULE_PARM_DESC(churn_iterations, "operations of the churn test");

static unsigned long churn_seed = 1;
module_param(churn_seed, ulong, 0444);
MODULE_PARM_DESC(churn_seed, "seed of the churn test");

/* Identity zone [0, 64), relocation zone [64, 127]. */
#define ID_END	64UL
#define LIMIT	127UL
#define NONE	ANON_INDEX_NO_HINT

KUNIT_DEFINE_ACTION_WRAPPER(anon_index_destroy_action, anon_index_destroy,
			    struct anon_index *);

static struct anon_index *ai_new(struct kunit *test, unsigned long id_end,
				 unsigned long limit,
				 enum anon_index_policy policy)
{
	struct anon_index *ai;
	int ret;

	ai = kunit_kzalloc(test, sizeof(*ai), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ai);
	KUNIT_ASSERT_EQ(test, anon_index_init(ai, id_end, limit), 0);
	ret = kunit_add_action_or_reset(test, anon_index_destroy_action, ai);
	KUNIT_ASSERT_EQ(test, ret, 0);
	if (policy != ANON_INDEX_SPACE)
		anon_index_set_policy(ai, policy);
	return ai;
}

static int alloc_hint(struct anon_index *ai, unsigned long nr,
		      unsigned long after, unsigned long before,
		      unsigned long identity, unsigned long *start)
{
	struct anon_index_hint hint = {
		.after = after,
		.before = before,
		.identity = identity,
	};

	return anon_index_alloc(ai, nr, &hint, start);
}

static int alloc_id(struct anon_index *ai, unsigned long nr,
		    unsigned long identity, unsigned long *start)
{
	return alloc_hint(ai, nr, NONE, NONE, identity, start);
}

/* Expect every index of [first, first + nr) to have @users users. */
static void expect_users(struct kunit *test, struct anon_index *ai,
			 unsigned long first, unsigned long nr,
			 unsigned long users)
{
	unsigned long i;

	for (i = first; i < first + nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, anon_index_users(ai, i), users,
				    "index %lu", i);
}

static struct anon_index_stats stats(struct anon_index *ai)
{
	struct anon_index_stats st;

	anon_index_stats(ai, &st);
	return st;
}

static void test_init_rejects_bad_zones(struct kunit *test)
{
	struct anon_index *ai = kunit_kzalloc(test, sizeof(*ai), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ai);
	KUNIT_EXPECT_EQ(test, anon_index_init(ai, 10, 9), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_init(ai, 0, ULONG_MAX), -EINVAL);
	KUNIT_ASSERT_EQ(test, anon_index_init(ai, 10, 10), 0);
	anon_index_destroy(ai);
}

static void test_alloc_identity(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	struct anon_index_stats st;
	unsigned long s;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &s), 0);
	KUNIT_EXPECT_EQ(test, s, 10);
	expect_users(test, ai, 10, 4, 1);
	expect_users(test, ai, 9, 1, 0);
	expect_users(test, ai, 14, 1, 0);
	st = stats(ai);
	KUNIT_EXPECT_EQ(test, st.nr_used, 4);
	KUNIT_EXPECT_EQ(test, st.nr_segments, 1);
	KUNIT_EXPECT_EQ(test, st.nr_identity, 1);
	KUNIT_EXPECT_EQ(test, st.nr_reloc, 0);
	KUNIT_EXPECT_EQ(test, st.reloc_span, 0);
	KUNIT_EXPECT_EQ(test, st.lowest, 10);
	KUNIT_EXPECT_EQ(test, st.highest, 13);
}

static void test_alloc_index_zero(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long s = NONE;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 1, 0, &s), 0);
	KUNIT_EXPECT_EQ(test, s, 0);
	expect_users(test, ai, 0, 1, 1);
	expect_users(test, ai, 1, 1, 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, 0, 1, 3), 0);
	expect_users(test, ai, 0, 4, 1);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 0, 4), 0);
	expect_users(test, ai, 0, 4, 0);
	/* The whole identity zone, from 0. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, ID_END, 0, &s), 0);
	KUNIT_EXPECT_EQ(test, s, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, ID_END);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_reloc_used, 0);
}

static void test_alloc_top_of_range(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	struct anon_index_stats st;
	unsigned long s = 0;

	/* A merge hint may point at the very last index. */
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 1, LIMIT, NONE, NONE, &s), 0);
	KUNIT_EXPECT_EQ(test, s, LIMIT);
	expect_users(test, ai, LIMIT, 1, 1);
	st = stats(ai);
	KUNIT_EXPECT_EQ(test, st.highest, LIMIT);
	KUNIT_EXPECT_EQ(test, st.reloc_span, LIMIT + 1 - ID_END);
	/* Nothing exists above it. */
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, LIMIT, 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, alloc_hint(ai, 2, LIMIT, NONE, NONE, &s), 0);
	KUNIT_EXPECT_NE(test, s, LIMIT);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, s, 2), 0);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, LIMIT, 1), 0);
	/* The whole relocation zone, ending at the top. */
	KUNIT_ASSERT_EQ(test, anon_index_alloc(ai, LIMIT + 1 - ID_END, NULL,
					       &s), 0);
	KUNIT_EXPECT_EQ(test, s, ID_END);
	expect_users(test, ai, LIMIT, 1, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_reloc_used, LIMIT + 1 - ID_END);
	KUNIT_EXPECT_EQ(test, stats(ai).reloc_largest_gap, 0);
}

static void test_alloc_exhaustion(struct kunit *test)
{
	static const unsigned long want[] = { 72, 88, 104, 64, 80, 96, 112,
					      120 };
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long s, i;

	/*
	 * 8 indexes at a time: padded first fit while a 24-index gap is
	 * left, then plain first fit into the padding.
	 */
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_ASSERT_EQ(test, anon_index_alloc(ai, 8, NULL, &s), 0);
		KUNIT_EXPECT_EQ_MSG(test, s, want[i], "allocation %lu", i);
	}
	expect_users(test, ai, ID_END, LIMIT + 1 - ID_END, 1);
	KUNIT_EXPECT_EQ(test, anon_index_alloc(ai, 1, NULL, &s), -ENOMEM);
	/* The identity zone is never used for relocation. */
	KUNIT_EXPECT_EQ(test, alloc_id(ai, 1, ID_END, &s), -ENOMEM);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, LIMIT + 1 - ID_END);

	KUNIT_ASSERT_EQ(test, anon_index_release(ai, 96, 8), 0);
	KUNIT_EXPECT_EQ(test, stats(ai).reloc_largest_gap, 8);
	KUNIT_EXPECT_EQ(test, anon_index_alloc(ai, 9, NULL, &s), -ENOMEM);
	KUNIT_ASSERT_EQ(test, anon_index_alloc(ai, 8, NULL, &s), 0);
	KUNIT_EXPECT_EQ(test, s, 96);
}

static void test_reject_invalid(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	struct anon_index *naive = ai_new(test, ID_END, LIMIT,
					  ANON_INDEX_NAIVE);
	unsigned long s;

	KUNIT_EXPECT_EQ(test, alloc_id(ai, 0, 10, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, alloc_id(ai, ULONG_MAX, 10, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, alloc_id(ai, LIMIT + 2, 0, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, alloc_id(naive, 0, 10, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, alloc_id(naive, 2, LIMIT, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, alloc_id(naive, 4, ULONG_MAX - 1, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, alloc_id(naive, 1, NONE, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_alloc(naive, 1, NULL, &s), -EINVAL);

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &s), 0);
	KUNIT_EXPECT_EQ(test, anon_index_share(ai, 10, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 10, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, 10, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, 10, 4, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, 10, 4, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, 10, 4, 11), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, 10, 4, ULONG_MAX),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, ULONG_MAX - 1, 4),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_share(ai, LIMIT, 2), -EINVAL);
	/* Ranges with a free index: nothing to share or release. */
	KUNIT_EXPECT_EQ(test, anon_index_share(ai, 10, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 9, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 20, 1), -EINVAL);
	/* Growing a range whose edge is free. */
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, 10, 5, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, 9, 4, 1), -EINVAL);

	/* None of it changed anything. */
	expect_users(test, ai, 10, 4, 1);
	expect_users(test, ai, 9, 1, 0);
	expect_users(test, ai, 14, 1, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 4);
	KUNIT_EXPECT_EQ(test, stats(naive).nr_used, 0);
}

static void test_alloc_merge_after(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b, c;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &a), 0);
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 3, a + 4, NONE, 40, &b), 0);
	KUNIT_EXPECT_EQ(test, b, 14);
	/* One run of equal counts: one segment. */
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_merge, 1);
	/* The place after is taken: identity. */
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 3, a + 4, NONE, 40, &c), 0);
	KUNIT_EXPECT_EQ(test, c, 40);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_merge, 1);
}

static void test_alloc_merge_before(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b, c;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 20, &a), 0);
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 5, NONE, a, 40, &b), 0);
	KUNIT_EXPECT_EQ(test, b, 15);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 1);
	/* Not enough room below: identity. */
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 5, NONE, 2, 40, &c), 0);
	KUNIT_EXPECT_EQ(test, c, 40);
	/* Both hints: a range that fits exactly between two neighbours. */
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 2, 45, 47, 50, &c), 0);
	KUNIT_EXPECT_EQ(test, c, 45);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 40, 5), 0);
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 2, NONE, 45, 50, &c), 0);
	KUNIT_EXPECT_EQ(test, c, 43);
}

static void test_alloc_relocates_with_room(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b;

	/* Identity range crossing the end of the identity zone. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, ID_END - 2, &a), 0);
	KUNIT_EXPECT_EQ(test, a, ID_END + 4);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_reloc, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).reloc_span, 8);
	/* It can double at either end. */
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, a, 4, 4), 0);
	KUNIT_ASSERT_EQ(test, anon_index_alloc(ai, 4, NULL, &b), 0);
	KUNIT_EXPECT_EQ(test, b, a + 8 + 4);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, b, 4, 4), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, a, 8, 4), 0);
	expect_users(test, ai, ID_END, 20, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 1);
}

static void test_grow_end_brk(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long heap, other, nr = 1, i;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 1, 10, &heap), 0);
	for (i = 0; i < 20; i++, nr++)
		KUNIT_ASSERT_EQ(test, anon_index_grow_end(ai, heap, nr, 1), 0);
	expect_users(test, ai, 10, 21, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 1);

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 2, 40, &other), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, heap, nr, 10), -EBUSY);
	expect_users(test, ai, 31, 9, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, nr + 2);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, heap, nr, 9), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, heap, nr + 9, 1),
			-EBUSY);
	expect_users(test, ai, 10, 32, 1);
}

static void test_grow_start_stack(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long stack, other, nr = 2, i;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 2, 50, &stack), 0);
	for (i = 0; i < 10; i++, nr++, stack--)
		KUNIT_ASSERT_EQ(test, anon_index_grow_start(ai, stack, nr, 1),
				0);
	KUNIT_EXPECT_EQ(test, stack, 40);
	expect_users(test, ai, 40, 12, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 1);

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 5, 30, &other), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, stack, nr, 6), -EBUSY);
	expect_users(test, ai, 35, 5, 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, stack, nr, 5), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, 35, nr + 5, 1),
			-EBUSY);

	/* Down to index 0 and no further. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 2, 2, &other), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, 2, 2, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, 2, 2, 2), 0);
	expect_users(test, ai, 0, 4, 1);
}

static void test_share_then_release(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &a), 0);
	KUNIT_ASSERT_EQ(test, anon_index_share(ai, a, 4), 0);
	expect_users(test, ai, a, 4, 2);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 4);

	/* The parent unmaps: the child still holds the range. */
	KUNIT_ASSERT_EQ(test, anon_index_release(ai, a, 4), 0);
	expect_users(test, ai, a, 4, 1);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &b), 0);
	KUNIT_EXPECT_GE(test, b, ID_END);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, b, 4), 0);

	/* The last user unmaps: free. */
	KUNIT_ASSERT_EQ(test, anon_index_release(ai, a, 4), 0);
	expect_users(test, ai, a, 4, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 0);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &b), 0);
	KUNIT_EXPECT_EQ(test, b, 10);
}

static void test_share_across_segments(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a;

	/* Parent [10, 20) shared, then the parent alone grows to 24. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 10, 10, &a), 0);
	KUNIT_ASSERT_EQ(test, anon_index_share(ai, a, 10), 0);
	KUNIT_ASSERT_EQ(test, anon_index_grow_end(ai, a, 10, 4), 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 2);
	/* A grandchild copies the whole parent: counts 3 and 2. */
	KUNIT_ASSERT_EQ(test, anon_index_share(ai, a, 14), 0);
	expect_users(test, ai, 10, 10, 3);
	expect_users(test, ai, 20, 4, 2);
	KUNIT_ASSERT_EQ(test, anon_index_release(ai, a, 14), 0);
	KUNIT_ASSERT_EQ(test, anon_index_release(ai, a, 14), 0);
	expect_users(test, ai, 10, 10, 1);
	expect_users(test, ai, 20, 4, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 10);
}

/* anon_index_users_in() of [first, last], the lock held as it asks. */
static unsigned long users_in(struct anon_index *ai, unsigned long first,
			      unsigned long last)
{
	unsigned long sum;

	anon_index_lock(ai);
	sum = anon_index_users_in(ai, first, last);
	anon_index_unlock(ai);
	return sum;
}

/*
 * The sum of the users of a range's indexes: segments cut at both ends,
 * free indexes between and around them, the top index.
 */
static void test_users_in(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b;

	/* [10, 20) twice, [20, 24) once, [24, 30) free, [30, 34) once. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 10, 10, &a), 0);
	KUNIT_ASSERT_EQ(test, anon_index_share(ai, a, 10), 0);
	KUNIT_ASSERT_EQ(test, anon_index_grow_end(ai, a, 10, 4), 0);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 30, &b), 0);
	KUNIT_ASSERT_EQ(test, b, 30UL);
	KUNIT_EXPECT_EQ(test, users_in(ai, 10, 23), 24UL);
	KUNIT_EXPECT_EQ(test, users_in(ai, 0, LIMIT), 28UL);
	/* Cut inside a segment at either end, or both. */
	KUNIT_EXPECT_EQ(test, users_in(ai, 18, 21), 6UL);
	KUNIT_EXPECT_EQ(test, users_in(ai, 12, 13), 4UL);
	KUNIT_EXPECT_EQ(test, users_in(ai, 22, 31), 4UL);
	/* Free indexes: between, before and after the segments. */
	KUNIT_EXPECT_EQ(test, users_in(ai, 24, 29), 0UL);
	KUNIT_EXPECT_EQ(test, users_in(ai, 0, 9), 0UL);
	KUNIT_EXPECT_EQ(test, users_in(ai, LIMIT, LIMIT), 0UL);
	KUNIT_EXPECT_EQ(test, users_in(ai, 33, 33), 1UL);
	KUNIT_ASSERT_EQ(test, anon_index_release(ai, b, 4), 0);
	KUNIT_EXPECT_EQ(test, users_in(ai, 0, LIMIT), 24UL);
}

static void test_release_shrinks(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 10, 10, &a), 0);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 15, 5), 0);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 10, 2), 0);
	expect_users(test, ai, 10, 2, 0);
	expect_users(test, ai, 12, 3, 1);
	expect_users(test, ai, 15, 5, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 3);
	/* A hole in the middle splits the run. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 10, 30, &a), 0);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, 33, 2), 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 3);
	expect_users(test, ai, 33, 2, 0);
	expect_users(test, ai, 35, 5, 1);
	/* The hole can be reused. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 2, 33, &a), 0);
	KUNIT_EXPECT_EQ(test, a, 33);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 2);
}

/*
 * Linus' scenario (2004): a VMA gets indexes at its address X; mremap
 * moves it and it keeps them; a new VMA is created at X.
 */
static void linus_scenario(struct kunit *test, enum anon_index_policy policy,
			   unsigned long *moved, unsigned long *fresh,
			   struct anon_index **aip)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, policy);

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 16, moved), 0);
	KUNIT_ASSERT_EQ(test, *moved, 16);
	/* mremap: the VMA now lives elsewhere but still covers [16, 20). */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 16, fresh), 0);
	*aip = ai;
}

/* Growth over used indexes: both users counted, the overlap too. */
static void test_cover_overlaps(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &a), 0);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 16, &b), 0);
	/* [10, 14) cannot grow by 4 in place: 16 and 17 are b's. */
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, a, 4, 4), -EBUSY);
	KUNIT_ASSERT_EQ(test, anon_index_cover(ai, a + 4, 4, NULL), 0);
	expect_users(test, ai, 14, 2, 1);
	expect_users(test, ai, 16, 2, 2);
	expect_users(test, ai, 18, 2, 1);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_overlap, 2);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 10);
	KUNIT_EXPECT_EQ(test, anon_index_cover(ai, LIMIT, 2, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_cover(ai, 0, 0, NULL), -EINVAL);

	/* Each user releases what it holds; b's indexes outlive a's. */
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, a, 8), 0);
	expect_users(test, ai, 10, 6, 0);
	expect_users(test, ai, 16, 4, 1);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, b, 4), 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, 0);
}

/*
 * Slots of 16 indexes (ID_END 64: four).  A range stays in its slot, off
 * the slot's guards (its last index, and its first but in slot 0): no
 * placement, growth or cover reaches another slot from outside it.
 */
static void test_slots(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b, s;

	KUNIT_EXPECT_EQ(test, anon_index_set_slots(ai, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_set_slots(ai, 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_set_slots(ai, 5), 0);
	KUNIT_EXPECT_EQ(test, anon_index_set_slots(ai, 4), 0);

	/* Slot 0 from index 0; its last index is a guard. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 0, &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 12, &b), 0);
	KUNIT_EXPECT_GE(test, b, ID_END);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, b, 4), 0);
	KUNIT_EXPECT_EQ(test, anon_index_take(ai, 15, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_take(ai, 16, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_take(ai, 14, 4), -EINVAL);

	/* [11, 15) is as far as a range in slot 0 goes. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 11, &b), 0);
	KUNIT_EXPECT_EQ(test, b, 11);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, b, 4, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, anon_index_cover(ai, 15, 2, NULL), -EINVAL);
	/* Neither hint reaches slot 1: the range is relocated. */
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 2, 15, NONE, NONE, &s), 0);
	KUNIT_EXPECT_GE(test, s, ID_END);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, s, 2), 0);
	expect_users(test, ai, 15, 2, 0);

	/* In slot 1: from its second index to its last but one. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 14, 17, &s), 0);
	KUNIT_EXPECT_EQ(test, s, 17);
	KUNIT_EXPECT_EQ(test, anon_index_grow_start(ai, s, 14, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, s, 14, 1), -EBUSY);
	KUNIT_ASSERT_EQ(test, alloc_hint(ai, 1, NONE, 17, NONE, &b), 0);
	KUNIT_EXPECT_GE(test, b, ID_END);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, b, 1), 0);
	expect_users(test, ai, 16, 1, 0);
	expect_users(test, ai, 31, 2, 0);
	/* The relocation zone has no slots. */
	KUNIT_EXPECT_EQ(test, anon_index_take(ai, ID_END + 14, 4), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, ID_END + 14, 4, 4), 0);
}

/*
 * A release whose store cannot get memory (anon_index_fail_store()) still
 * returns 0: the indexes it could not drop keep their user, are counted as
 * stranded, and are never given out again.
 */
static void test_release_strands(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	struct anon_index_stats before;
	unsigned long a, b, c, d;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 10, 10, &a), 0);
	KUNIT_ASSERT_EQ(test, anon_index_share(ai, a, 10), 0);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 30, &b), 0);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 34, &d), 0);
	KUNIT_ASSERT_EQ(test, anon_index_share(ai, d, 4), 0);
	before = stats(ai);
	KUNIT_EXPECT_EQ(test, anon_index_refs(ai), 20 + 4 + 8);

	/* Its one store fails: the whole range stays, stranded. */
	anon_index_fail_store(ai, 1);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, a, 10), 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_stranded, 10);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, before.nr_used);
	expect_users(test, ai, a, 10, 2);
	/* The other user goes; the indexes keep the one that is gone. */
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, a, 10), 0);
	expect_users(test, ai, a, 10, 1);
	KUNIT_EXPECT_EQ(test, anon_index_refs(ai), 4 + 8 + 10);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 10, 10, &c), 0);
	KUNIT_EXPECT_TRUE(test, c + 10 <= a || c >= a + 10);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, c, 10), 0);

	/*
	 * The second store fails: [30, 34) is released, [34, 38) (one user
	 * more) is stranded.
	 */
	anon_index_fail_store(ai, 2);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, b, 8), 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_stranded, 14);
	expect_users(test, ai, b, 4, 0);
	expect_users(test, ai, d, 4, 2);
	KUNIT_EXPECT_EQ(test, anon_index_release(ai, d, 4), 0);
	KUNIT_EXPECT_EQ(test, anon_index_refs(ai), 10 + 4);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 14);
}

/*
 * A cover whose growth then failed is undone: users and every counter,
 * the overlap included, are as before it.
 */
static void test_uncover_restores(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	struct anon_index_stats before;
	unsigned long a, b, c, overlap = 0;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 10, &a), 0);
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 16, &b), 0);
	KUNIT_ASSERT_EQ(test, anon_index_cover(ai, a + 4, 4, &overlap), 0);
	KUNIT_EXPECT_EQ(test, overlap, 2);
	/* A second, kept cover: its overlap stays counted. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 2, 22, &c), 0);
	KUNIT_ASSERT_EQ(test, anon_index_cover(ai, c + 2, 1, NULL), 0);
	before = stats(ai);
	KUNIT_EXPECT_EQ(test, before.nr_overlap, 2);

	KUNIT_ASSERT_EQ(test, anon_index_cover(ai, b + 4, 4, &overlap), 0);
	KUNIT_EXPECT_EQ(test, overlap, 2);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_overlap, 4);
	KUNIT_EXPECT_EQ(test, anon_index_uncover(ai, b + 4, 4, overlap), 0);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_overlap, before.nr_overlap);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, before.nr_used);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, before.nr_segments);
	expect_users(test, ai, 20, 2, 0);
	expect_users(test, ai, 22, 3, 1);
	expect_users(test, ai, 25, 1, 0);
	/* Not a cover's undo: a free index, more overlap than counted. */
	KUNIT_EXPECT_EQ(test, anon_index_uncover(ai, 30, 2, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_uncover(ai, a, 4, 9), -EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_uncover(ai, a, 4, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_overlap, before.nr_overlap);
}

/*
 * A growth and the room below it covered at once: the overlap of each
 * counted apart, so that the room alone can be undone; one store where
 * the two lie in one segment of counts; all or nothing on failure.
 */
static void test_cover_below(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	unsigned long a, b, overlap = 9, room_overlap = 9;
	struct anon_index_stats before;

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 8, 20, &a), 0);
	/* Room [18, 24): 18 and 19 free, 20-23 a's; range [24, 26) a's. */
	anon_index_lock(ai);
	KUNIT_EXPECT_EQ(test, anon_index_cover_below_locked(ai, a + 4, 2, 6,
							    &overlap,
							    &room_overlap), 0);
	anon_index_unlock(ai);
	KUNIT_EXPECT_EQ(test, overlap, 2);
	KUNIT_EXPECT_EQ(test, room_overlap, 4);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_overlap, 6);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 10);
	expect_users(test, ai, 18, 2, 1);
	expect_users(test, ai, 20, 6, 2);
	expect_users(test, ai, 26, 2, 1);
	/* The room alone undone: the growth's cover stays. */
	anon_index_lock(ai);
	KUNIT_EXPECT_EQ(test, anon_index_uncover_locked(ai, 18, 6,
							room_overlap), 0);
	anon_index_unlock(ai);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_overlap, 2);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 8);
	expect_users(test, ai, 18, 2, 0);
	expect_users(test, ai, 20, 4, 1);
	expect_users(test, ai, 24, 2, 2);

	/* Inside one segment ([40, 56) of b's): one store, not two. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 16, 40, &b), 0);
	before = stats(ai);
	anon_index_fail_store(ai, 2);
	anon_index_lock(ai);
	KUNIT_EXPECT_EQ(test, anon_index_cover_below_locked(ai, b + 8, 1, 4,
							    &overlap,
							    &room_overlap), 0);
	anon_index_unlock(ai);
	anon_index_fail_store(ai, 0);
	KUNIT_EXPECT_EQ(test, overlap, 1);
	KUNIT_EXPECT_EQ(test, room_overlap, 4);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, before.nr_segments + 2);
	expect_users(test, ai, b + 4, 5, 2);
	expect_users(test, ai, b + 9, 7, 1);

	/* A store that fails leaves everything as it was. */
	before = stats(ai);
	anon_index_fail_store(ai, 1);
	anon_index_lock(ai);
	KUNIT_EXPECT_EQ(test, anon_index_cover_below_locked(ai, b + 2, 1, 2,
							    &overlap,
							    &room_overlap),
			-ENOMEM);
	/* Not a range: the room below index 0, past the limit, nothing. */
	KUNIT_EXPECT_EQ(test, anon_index_cover_below_locked(ai, 1, 1, 2,
							    &overlap,
							    &room_overlap),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_cover_below_locked(ai, LIMIT, 2, 1,
							    &overlap,
							    &room_overlap),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, anon_index_cover_below_locked(ai, b, 0, 1,
							    &overlap,
							    &room_overlap),
			-EINVAL);
	anon_index_unlock(ai);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_overlap, before.nr_overlap);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, before.nr_used);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_segments, before.nr_segments);
	expect_users(test, ai, b, 4, 1);
}

static void test_linus_mremap_space(struct kunit *test)
{
	struct anon_index *ai;
	unsigned long moved, fresh;

	linus_scenario(test, ANON_INDEX_SPACE, &moved, &fresh, &ai);
	KUNIT_EXPECT_TRUE(test, fresh + 4 <= moved || moved + 4 <= fresh);
	expect_users(test, ai, moved, 4, 1);
	expect_users(test, ai, fresh, 4, 1);
	/* Expanding a VMA below into the old indexes is refused too. */
	KUNIT_ASSERT_EQ(test, alloc_id(ai, 4, 12, &fresh), 0);
	KUNIT_EXPECT_EQ(test, anon_index_grow_end(ai, 12, 4, 1), -EBUSY);
}

static void test_linus_mremap_naive(struct kunit *test)
{
	struct anon_index *ai;
	unsigned long moved, fresh;

	linus_scenario(test, ANON_INDEX_NAIVE, &moved, &fresh, &ai);
	/* The collision: two unrelated users of the same indexes. */
	KUNIT_EXPECT_EQ(test, fresh, moved);
	expect_users(test, ai, 16, 4, 2);
	KUNIT_EXPECT_EQ(test, stats(ai).nr_used, 4);
}

static void test_stats(struct kunit *test)
{
	struct anon_index *ai = ai_new(test, ID_END, LIMIT, ANON_INDEX_SPACE);
	struct anon_index_stats st;
	unsigned long a, b;

	st = stats(ai);
	KUNIT_EXPECT_EQ(test, st.nr_used, 0);
	KUNIT_EXPECT_EQ(test, st.reloc_span, 0);
	KUNIT_EXPECT_EQ(test, st.reloc_largest_gap, LIMIT + 1 - ID_END);

	KUNIT_ASSERT_EQ(test, alloc_id(ai, 3, 5, &a), 0);
	KUNIT_ASSERT_EQ(test, anon_index_alloc(ai, 4, NULL, &b), 0);
	KUNIT_EXPECT_EQ(test, b, ID_END + 4);
	st = stats(ai);
	KUNIT_EXPECT_EQ(test, st.nr_used, 7);
	KUNIT_EXPECT_EQ(test, st.nr_reloc_used, 4);
	KUNIT_EXPECT_EQ(test, st.nr_segments, 2);
	KUNIT_EXPECT_EQ(test, st.lowest, 5);
	KUNIT_EXPECT_EQ(test, st.highest, ID_END + 7);
	KUNIT_EXPECT_EQ(test, st.reloc_span, 8);
	KUNIT_EXPECT_EQ(test, st.reloc_largest_gap, LIMIT + 1 - (ID_END + 8));
	KUNIT_EXPECT_EQ(test, st.nr_identity, 1);
	KUNIT_EXPECT_EQ(test, st.nr_reloc, 1);
}

/*
 * Randomized churn against a brute-force model: per-index user counts and
 * a table of ranges (a range and its fork copies share an origin).
 */
#define CHURN_ID_END	256UL
#define CHURN_LIMIT	(CHURN_ID_END + (1UL << 16) - 1)
#define CHURN_RANGES	64
#define CHURN_MAX_NR	16
#define CHURN_FULL_CHECK	256

struct churn_range {
	unsigned long start;
	unsigned long nr;
	unsigned int origin;
	bool live;
};

struct churn {
	struct kunit *test;
	struct anon_index *ai;
	unsigned short *users;
	struct churn_range r[CHURN_RANGES];
	unsigned long used;
	unsigned long reloc_used;
	unsigned long peak;	/* peak of reloc_used */
	unsigned long max_nr;	/* longest range in the relocation zone */
	unsigned long op;
	unsigned int origins;
	u64 rng;
};

static u64 churn_rand(struct churn *c)	/* splitmix64 */
{
	u64 z = (c->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long churn_below(struct churn *c, unsigned long n)
{
	return churn_rand(c) % n;
}

static void model_add(struct churn *c, unsigned long start, unsigned long nr,
		      int delta)
{
	unsigned long i;

	for (i = start; i < start + nr; i++) {
		if (delta > 0 && c->users[i]++ == 0) {
			c->used++;
			c->reloc_used += i >= CHURN_ID_END;
		} else if (delta < 0 && --c->users[i] == 0) {
			c->used--;
			c->reloc_used -= i >= CHURN_ID_END;
		}
	}
}

static bool model_valid(unsigned long start, unsigned long nr)
{
	return nr && start <= CHURN_LIMIT && nr - 1 <= CHURN_LIMIT - start;
}

static bool model_free(struct churn *c, unsigned long start, unsigned long nr)
{
	unsigned long i;

	if (start == NONE || !model_valid(start, nr))
		return false;
	for (i = start; i < start + nr; i++)
		if (c->users[i])
			return false;
	return true;
}

static unsigned long model_first_fit(struct churn *c, unsigned long size)
{
	unsigned long i, run = 0;

	for (i = CHURN_ID_END; i <= CHURN_LIMIT; i++) {
		run = c->users[i] ? 0 : run + 1;
		if (run == size)
			return i + 1 - size;
	}
	return NONE;
}

/* Where the policy says a new range goes, or NONE (-ENOMEM). */
static unsigned long model_place(struct churn *c, unsigned long nr,
				 const struct anon_index_hint *h)
{
	unsigned long s;

	if (model_free(c, h->after, nr))
		return h->after;
	if (h->before != NONE && h->before >= nr &&
	    model_free(c, h->before - nr, nr))
		return h->before - nr;
	if (h->identity != NONE && h->identity + nr <= CHURN_ID_END &&
	    model_free(c, h->identity, nr))
		return h->identity;
	s = model_first_fit(c, 3 * nr);
	if (s != NONE)
		return s + nr;
	return model_first_fit(c, nr);
}

/*
 * Robson's first-fit bound M * H_m / ln 2, rounded up, in integers:
 * H_m in 2^-20 units rounded up, 1 / ln 2 < 1.442696.
 */
static unsigned long robson_bound(unsigned long m_total, unsigned long m)
{
	u64 h = 0, k;

	for (k = 1; k <= m; k++)
		h += ((1ULL << 20) + k - 1) / k;
	h = (h * 1442696 + 999999) / 1000000;
	return (m_total * h + (1ULL << 20) - 1) >> 20;
}

static unsigned long churn_span_bound(struct churn *c)
{
	/* Padded first fit: a range of n takes 3n of search space. */
	return robson_bound(3 * c->peak, 3 * c->max_nr);
}

static struct churn_range *churn_pick(struct churn *c, bool live)
{
	unsigned long i, n = churn_below(c, CHURN_RANGES);

	for (i = 0; i < CHURN_RANGES; i++) {
		struct churn_range *r = &c->r[(n + i) % CHURN_RANGES];

		if (r->live == live)
			return r;
	}
	return NULL;
}

/* No two live ranges of different origins overlap. */
static void churn_check_disjoint(struct churn *c, struct churn_range *r)
{
	struct churn_range *o;

	for (o = c->r; o < c->r + CHURN_RANGES; o++) {
		if (!o->live || o == r || o->origin == r->origin)
			continue;
		KUNIT_ASSERT_TRUE_MSG(c->test, r->start + r->nr <= o->start ||
				      o->start + o->nr <= r->start,
				      "op %lu: [%lu, +%lu) overlaps [%lu, +%lu)",
				      c->op, r->start, r->nr, o->start, o->nr);
	}
}

static void churn_check_range(struct churn *c, unsigned long start,
			      unsigned long nr)
{
	unsigned long i, first = start ? start - 1 : 0;
	unsigned long last = min(start + nr, CHURN_LIMIT);

	for (i = first; i <= last; i++)
		KUNIT_ASSERT_EQ_MSG(c->test, anon_index_users(c->ai, i),
				    (unsigned long)c->users[i],
				    "op %lu: index %lu", c->op, i);
}

static void churn_check_all(struct churn *c)
{
	unsigned long i, top = 0, segs = 0, gap = 0, run = 0;
	struct anon_index_stats st;

	anon_index_stats(c->ai, &st);
	for (i = 0; i <= CHURN_LIMIT; i++) {
		if (c->users[i]) {
			top = i;
			segs += !i || c->users[i] != c->users[i - 1];
		}
		if (i >= CHURN_ID_END) {
			run = c->users[i] ? 0 : run + 1;
			gap = max(gap, run);
		}
	}
	for (i = 0; i <= min(max(top, st.highest) + 1, CHURN_LIMIT); i++)
		KUNIT_ASSERT_EQ_MSG(c->test, anon_index_users(c->ai, i),
				    (unsigned long)c->users[i],
				    "op %lu: index %lu", c->op, i);
	KUNIT_ASSERT_EQ(c->test, st.nr_segments, segs);
	KUNIT_ASSERT_EQ(c->test, st.reloc_largest_gap, gap);
	KUNIT_ASSERT_EQ(c->test, st.reloc_span,
			top >= CHURN_ID_END ? top + 1 - CHURN_ID_END : 0);
}

static void churn_alloc(struct churn *c, struct churn_range *r)
{
	struct churn_range *n = churn_pick(c, true);
	struct anon_index_hint h = { NONE, NONE, NONE };
	unsigned long nr = 1 + churn_below(c, CHURN_MAX_NR), want, s = NONE;
	int ret;

	if (churn_below(c, 8))
		h.identity = churn_below(c, CHURN_ID_END + 32);
	if (n && !churn_below(c, 4))
		h.after = n->start + n->nr;
	else if (n && !churn_below(c, 3))
		h.before = n->start;
	want = model_place(c, nr, &h);
	ret = anon_index_alloc(c->ai, nr, &h, &s);
	if (want == NONE) {
		KUNIT_ASSERT_EQ(c->test, ret, -ENOMEM);
		return;
	}
	KUNIT_ASSERT_EQ_MSG(c->test, ret, 0, "op %lu", c->op);
	KUNIT_ASSERT_EQ_MSG(c->test, s, want, "op %lu: alloc %lu", c->op, nr);
	KUNIT_ASSERT_TRUE_MSG(c->test, model_free(c, s, nr), "op %lu", c->op);
	model_add(c, s, nr, 1);
	*r = (struct churn_range){ s, nr, c->origins++, true };
}

static void churn_grow(struct churn *c, struct churn_range *r, bool up)
{
	unsigned long delta = 1 + churn_below(c, 8);
	unsigned long at = up ? r->start + r->nr : r->start - delta;
	int want, ret;

	if (up) {
		want = !model_valid(at, delta) ? -EINVAL :
		       model_free(c, at, delta) ? 0 : -EBUSY;
		ret = anon_index_grow_end(c->ai, r->start, r->nr, delta);
	} else {
		want = delta > r->start ? -EINVAL :
		       model_free(c, at, delta) ? 0 : -EBUSY;
		ret = anon_index_grow_start(c->ai, r->start, r->nr, delta);
	}
	KUNIT_ASSERT_EQ_MSG(c->test, ret, want, "op %lu", c->op);
	if (ret)
		return;
	model_add(c, at, delta, 1);
	r->nr += delta;
	if (!up)
		r->start = at;
}

static void churn_step(struct churn *c)
{
	struct churn_range *free = churn_pick(c, false);
	struct churn_range *r = churn_pick(c, true);
	unsigned long op = churn_below(c, 100), k, at;

	if (!r || (op < 35 && free)) {
		churn_alloc(c, free);
		r = free;
	} else if (op < 55) {
		KUNIT_ASSERT_EQ(c->test, anon_index_release(c->ai, r->start,
							    r->nr), 0);
		model_add(c, r->start, r->nr, -1);
		r->live = false;
	} else if (op < 65 && r->nr > 1) {
		/* munmap or mremap shrinking: give up the tail or the head */
		k = 1 + churn_below(c, r->nr - 1);
		at = churn_below(c, 2) ? r->start + r->nr - k : r->start;
		KUNIT_ASSERT_EQ(c->test, anon_index_release(c->ai, at, k), 0);
		model_add(c, at, k, -1);
		if (at == r->start)
			r->start += k;
		r->nr -= k;
	} else if (op < 78) {
		churn_grow(c, r, true);
	} else if (op < 88) {
		churn_grow(c, r, false);
	} else if (free) {
		KUNIT_ASSERT_EQ(c->test, anon_index_share(c->ai, r->start,
							  r->nr), 0);
		model_add(c, r->start, r->nr, 1);
		*free = *r;
	}

	if (r && r->live) {
		churn_check_range(c, r->start, r->nr);
		churn_check_disjoint(c, r);
		if (r->start + r->nr > CHURN_ID_END)
			c->max_nr = max(c->max_nr, r->nr);
	}
}

static void test_churn(struct kunit *test)
{
	struct churn *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct anon_index_stats st;
	unsigned long bound = 0, peak = 0, max_nr = 0;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->users = kunit_kcalloc(test, CHURN_LIMIT + 1, sizeof(*c->users),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->users);
	c->test = test;
	c->rng = churn_seed;
	c->ai = ai_new(test, CHURN_ID_END, CHURN_LIMIT, ANON_INDEX_SPACE);

	for (c->op = 0; c->op < churn_iterations; c->op++) {
		churn_step(c);
		anon_index_stats(c->ai, &st);
		KUNIT_ASSERT_EQ_MSG(test, st.nr_used, c->used, "op %lu", c->op);
		KUNIT_ASSERT_EQ_MSG(test, st.nr_reloc_used, c->reloc_used,
				    "op %lu", c->op);
		c->peak = max(c->peak, c->reloc_used);
		if (c->peak != peak || c->max_nr != max_nr) {
			peak = c->peak;
			max_nr = c->max_nr;
			bound = churn_span_bound(c);
		}
		KUNIT_ASSERT_LE_MSG(test, st.reloc_span, bound,
				    "op %lu: peak %lu, longest %lu", c->op,
				    c->peak, c->max_nr);
		if (!(c->op % CHURN_FULL_CHECK))
			churn_check_all(c);
	}
	churn_check_all(c);
	anon_index_stats(c->ai, &st);
	kunit_info(test,
		   "seed %lu, %u ops: peak %lu, span %lu, bound %lu, %lu merge, %lu identity, %lu relocated",
		   churn_seed, churn_iterations, c->peak, st.reloc_span, bound,
		   st.nr_merge, st.nr_identity, st.nr_reloc);
}

static struct kunit_case anon_index_test_cases[] = {
	KUNIT_CASE(test_init_rejects_bad_zones),
	KUNIT_CASE(test_alloc_identity),
	KUNIT_CASE(test_alloc_index_zero),
	KUNIT_CASE(test_alloc_top_of_range),
	KUNIT_CASE(test_alloc_exhaustion),
	KUNIT_CASE(test_reject_invalid),
	KUNIT_CASE(test_alloc_merge_after),
	KUNIT_CASE(test_alloc_merge_before),
	KUNIT_CASE(test_alloc_relocates_with_room),
	KUNIT_CASE(test_grow_end_brk),
	KUNIT_CASE(test_grow_start_stack),
	KUNIT_CASE(test_share_then_release),
	KUNIT_CASE(test_share_across_segments),
	KUNIT_CASE(test_users_in),
	KUNIT_CASE(test_release_shrinks),
	KUNIT_CASE(test_cover_overlaps),
	KUNIT_CASE(test_slots),
	KUNIT_CASE(test_uncover_restores),
	KUNIT_CASE(test_cover_below),
	KUNIT_CASE(test_release_strands),
	KUNIT_CASE(test_linus_mremap_space),
	KUNIT_CASE(test_linus_mremap_naive),
	KUNIT_CASE(test_stats),
	KUNIT_CASE(test_churn),
	{}
};

static struct kunit_suite anon_index_test_suite = {
	.name = "anon_index",
	.test_cases = anon_index_test_cases,
};

kunit_test_suite(anon_index_test_suite);

MODULE_DESCRIPTION("KUnit tests for the anon_index allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
