// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for struct anon_space, the anonymous address space of a
 * process family (mm/anon_space.c), on real mm_structs: created lazily,
 * shared by fork (dup_mm(), as copy_mm() does it), and freed by the
 * exit_mmap() of the last mm of the family, in either exit order.
 *
 * The mms are not attached to the test thread: mm_alloc() is what exec()
 * uses for its new mm, dup_mm() is fork() without the task, and mmput()
 * is their exit.  Every mm is put by a KUnit action, so a failed assertion
 * does not leak it; a test "exits" an mm early with kunit_release_action().
 *
 * Freeing is observed through anon_space_nr_live(), the number of spaces
 * allocated and not freed, taken relative to its value when the test
 * starts (no other task may create or free spaces meanwhile).
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/anon_index.h>
#include <linux/anon_space.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

KUNIT_DEFINE_ACTION_WRAPPER(mmput_action, mmput, struct mm_struct *);

/*
 * mm_init() made the test thread the mm's memcg owner, but the mm outlives
 * that thread (actions run in another one): owner NULL, as dup_mm() sets
 * it before it puts an mm it failed to build.
 */
static struct mm_struct *mm_track(struct kunit *test, struct mm_struct *mm)
{
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, mm);
#ifdef CONFIG_MEMCG
	RCU_INIT_POINTER(mm->owner, NULL);
#endif
	ret = kunit_add_action_or_reset(test, mmput_action, mm);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return mm;
}

/* A fresh mm, as exec() gets one. */
static struct mm_struct *mm_new(struct kunit *test)
{
	return mm_track(test, mm_alloc());
}

/* The mm of a fork child of @oldmm. */
static struct mm_struct *mm_fork(struct kunit *test, struct mm_struct *oldmm)
{
	return mm_track(test, dup_mm_kunit(oldmm));
}

/* The last user of @mm goes now: __mmput(), exit_mmap(). */
static void mm_exit(struct kunit *test, struct mm_struct *mm)
{
	kunit_release_action(test, mmput_action, mm);
}

/* As the first anonymous VMA will: under mmap_lock held for write. */
static int prepare(struct mm_struct *mm)
{
	int ret;

	mmap_write_lock(mm);
	ret = anon_space_prepare(mm);
	mmap_write_unlock(mm);
	return ret;
}

static unsigned int users(struct anon_space *space)
{
	return refcount_read(&space->refcount);
}

static int alloc_id(struct anon_space *space, unsigned long nr,
		    unsigned long identity, unsigned long *start)
{
	struct anon_index_hint hint = {
		.after = ANON_INDEX_NO_HINT,
		.before = ANON_INDEX_NO_HINT,
		.identity = identity,
	};

	return anon_index_alloc(&space->index, nr, &hint, start);
}

static void test_fresh_mm_has_no_space(struct kunit *test)
{
	long live = anon_space_nr_live();
	struct mm_struct *mm = mm_new(test);

	KUNIT_EXPECT_NULL(test, mm->anon_space);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live);
}

static void test_prepare_creates_once(struct kunit *test)
{
	long live = anon_space_nr_live();
	struct mm_struct *mm = mm_new(test);
	struct anon_space *space;

	KUNIT_ASSERT_EQ(test, prepare(mm), 0);
	space = mm->anon_space;
	KUNIT_ASSERT_NOT_NULL(test, space);
	KUNIT_EXPECT_EQ(test, users(space), 1U);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 1);

	/* The mm's node: an empty tree, its lock free. */
	KUNIT_ASSERT_NOT_NULL(test, mm->anon_node);
	KUNIT_EXPECT_PTR_EQ(test, mm->anon_node->space, space);
	KUNIT_EXPECT_NULL(test, mm->anon_node->parent);
	KUNIT_EXPECT_TRUE(test,
			  RB_EMPTY_ROOT(&mm->anon_node->tree.i_mmap.rb_root));
	anon_space_lock_write(&mm->anon_node->tree);
	anon_space_unlock_write(&mm->anon_node->tree);

	/* Again: the same space, no new reference. */
	KUNIT_ASSERT_EQ(test, prepare(mm), 0);
	KUNIT_EXPECT_PTR_EQ(test, mm->anon_space, space);
	KUNIT_EXPECT_EQ(test, users(space), 1U);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 1);

	mm_exit(test, mm);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live);
}

static void test_index_zones(struct kunit *test)
{
	struct mm_struct *mm = mm_new(test);
	const unsigned long nr = 16;
	/* The last slot's last index is its guard. */
	const unsigned long top = ANON_SPACE_IDENTITY_END - 1 - nr;
	struct anon_space *space;
	unsigned long a, b, c, slot;

	/* Every user address is in the identity zone... */
	KUNIT_EXPECT_LE(test, TASK_SIZE >> PAGE_SHIFT, ANON_SPACE_IDENTITY_END);
	/* ...and the end of every range fits in a loff_t. */
	KUNIT_EXPECT_LE(test, ANON_SPACE_INDEX_LIMIT + 1,
			(unsigned long)LLONG_MAX >> PAGE_SHIFT);

	KUNIT_ASSERT_EQ(test, prepare(mm), 0);
	space = mm->anon_space;
	KUNIT_ASSERT_NOT_NULL(test, space);
	KUNIT_EXPECT_EQ(test, space->index.identity_end,
			ANON_SPACE_IDENTITY_END);
	KUNIT_EXPECT_EQ(test, space->index.limit, ANON_SPACE_INDEX_LIMIT);
	KUNIT_EXPECT_TRUE(test, space->index.policy == ANON_INDEX_SPACE);
	/*
	 * A 64-bit identity zone has slots, each twice the user address
	 * space at least (struct anon_space_node).
	 */
	if (BITS_PER_LONG == 64)
		KUNIT_ASSERT_NE(test, space->index.slot_shift, 0);
	if (space->index.slot_shift) {
		slot = 1UL << space->index.slot_shift;
		KUNIT_EXPECT_GE(test, slot, 2 * (TASK_SIZE >> PAGE_SHIFT));
		KUNIT_EXPECT_GE(test, ANON_SPACE_IDENTITY_END / slot, 2UL);
	}

	/* The top of the identity zone is taken as is... */
	KUNIT_ASSERT_EQ(test, alloc_id(space, nr, top, &a), 0);
	KUNIT_EXPECT_EQ(test, a, top);
	/* ...and the same range again is relocated just above it. */
	KUNIT_ASSERT_EQ(test, alloc_id(space, nr, top, &b), 0);
	KUNIT_EXPECT_EQ(test, b, ANON_SPACE_IDENTITY_END + nr);
	KUNIT_EXPECT_EQ(test, anon_index_release(&space->index, a, nr), 0);
	KUNIT_EXPECT_EQ(test, anon_index_release(&space->index, b, nr), 0);
	if (!space->index.slot_shift)
		return;

	/* A slot's guards and a range across two slots are relocated. */
	KUNIT_ASSERT_EQ(test, alloc_id(space, nr, top + 1, &a), 0);
	KUNIT_EXPECT_GE(test, a, ANON_SPACE_IDENTITY_END);
	KUNIT_ASSERT_EQ(test, alloc_id(space, nr, slot, &b), 0);
	KUNIT_EXPECT_GE(test, b, ANON_SPACE_IDENTITY_END);
	KUNIT_ASSERT_EQ(test, alloc_id(space, nr, slot - nr / 2, &c), 0);
	KUNIT_EXPECT_GE(test, c, ANON_SPACE_IDENTITY_END);
	KUNIT_EXPECT_EQ(test, anon_index_release(&space->index, a, nr), 0);
	KUNIT_EXPECT_EQ(test, anon_index_release(&space->index, b, nr), 0);
	KUNIT_EXPECT_EQ(test, anon_index_release(&space->index, c, nr), 0);
	/* Inside slot 1, off its guards: as is. */
	KUNIT_ASSERT_EQ(test, alloc_id(space, nr, slot + 1, &a), 0);
	KUNIT_EXPECT_EQ(test, a, slot + 1);
	KUNIT_EXPECT_EQ(test, anon_index_release(&space->index, a, nr), 0);
}

static void test_fork_shares_space(struct kunit *test)
{
	long live = anon_space_nr_live();
	struct mm_struct *parent = mm_new(test);
	struct mm_struct *child, *grandchild;
	struct anon_space *space;

	KUNIT_ASSERT_EQ(test, prepare(parent), 0);
	space = parent->anon_space;
	KUNIT_ASSERT_NOT_NULL(test, space);

	child = mm_fork(test, parent);
	KUNIT_EXPECT_PTR_EQ(test, child->anon_space, space);
	KUNIT_EXPECT_EQ(test, users(space), 2U);

	grandchild = mm_fork(test, child);
	KUNIT_EXPECT_PTR_EQ(test, grandchild->anon_space, space);
	KUNIT_EXPECT_EQ(test, users(space), 3U);

	/* The child already has a space: prepare keeps the shared one. */
	KUNIT_ASSERT_EQ(test, prepare(child), 0);
	KUNIT_EXPECT_PTR_EQ(test, child->anon_space, space);
	KUNIT_EXPECT_EQ(test, users(space), 3U);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 1);
}

static void test_fork_without_space(struct kunit *test)
{
	long live = anon_space_nr_live();
	struct mm_struct *parent = mm_new(test);
	struct mm_struct *child = mm_fork(test, parent);

	KUNIT_EXPECT_NULL(test, child->anon_space);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live);

	/* No anonymous VMA was copied: the child starts its own space. */
	KUNIT_ASSERT_EQ(test, prepare(child), 0);
	KUNIT_ASSERT_NOT_NULL(test, child->anon_space);
	KUNIT_EXPECT_EQ(test, users(child->anon_space), 1U);
	KUNIT_EXPECT_NULL(test, parent->anon_space);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 1);
}

/* A CLONE_VM thread of an mm: copy_mm() takes an mm_users reference. */
struct clone_vm_thread {
	struct mm_struct *mm;
	unsigned long addr;
	struct anon_space *space;
	struct completion done;
};

static int clone_vm_thread_fn(void *arg)
{
	struct clone_vm_thread *t = arg;

	mmget(t->mm);
	kthread_use_mm(t->mm);
	t->addr = vm_mmap(NULL, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, 0);
	t->space = t->mm->anon_space;
	kthread_unuse_mm(t->mm);
	/* The thread exits: exit_mm() puts an mm others still use. */
	mmput(t->mm);
	complete(&t->done);
	return 0;
}

/*
 * A second task on the same mm (as CLONE_VM makes one) maps anonymous
 * memory first: it creates the mm's space, which outlives the thread.
 */
static void test_clone_vm_shares_mm(struct kunit *test)
{
	struct mm_struct *mm = mm_new(test);
	struct clone_vm_thread t = { .mm = mm };
	struct task_struct *task;

	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	init_completion(&t.done);
	task = kthread_run(clone_vm_thread_fn, &t, "anon_space_clone_vm");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&t.done);

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(t.addr));
	KUNIT_ASSERT_NOT_NULL(test, t.space);
	KUNIT_EXPECT_PTR_EQ(test, mm->anon_space, t.space);
	KUNIT_EXPECT_EQ(test, users(t.space), 1U);
	/* The thread's mapping is the mm's, its range in the space. */
	KUNIT_EXPECT_EQ(test, anon_space_users(mm, t.addr >> PAGE_SHIFT), 1UL);
	mmap_read_lock(mm);
	KUNIT_EXPECT_NOT_NULL(test, vma_lookup(mm, t.addr));
	mmap_read_unlock(mm);
}

static void test_parent_exits_first(struct kunit *test)
{
	long live = anon_space_nr_live();
	struct mm_struct *parent = mm_new(test);
	struct mm_struct *child;
	struct anon_space *space;
	unsigned long start;

	KUNIT_ASSERT_EQ(test, prepare(parent), 0);
	space = parent->anon_space;
	KUNIT_ASSERT_NOT_NULL(test, space);
	child = mm_fork(test, parent);
	KUNIT_ASSERT_PTR_EQ(test, child->anon_space, space);

	mm_exit(test, parent);
	/* The child's reference keeps the space. */
	KUNIT_EXPECT_PTR_EQ(test, child->anon_space, space);
	KUNIT_EXPECT_EQ(test, users(space), 1U);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 1);
	KUNIT_EXPECT_EQ(test, alloc_id(space, 4, 0x1000, &start), 0);
	KUNIT_EXPECT_EQ(test, start, 0x1000UL);

	/* The last mm of the family frees it. */
	mm_exit(test, child);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live);
}

static void test_child_exits_first(struct kunit *test)
{
	long live = anon_space_nr_live();
	struct mm_struct *parent = mm_new(test);
	struct mm_struct *child;
	struct anon_space *space;

	KUNIT_ASSERT_EQ(test, prepare(parent), 0);
	space = parent->anon_space;
	KUNIT_ASSERT_NOT_NULL(test, space);
	child = mm_fork(test, parent);
	KUNIT_ASSERT_PTR_EQ(test, child->anon_space, space);
	KUNIT_EXPECT_EQ(test, users(space), 2U);

	mm_exit(test, child);
	KUNIT_EXPECT_PTR_EQ(test, parent->anon_space, space);
	KUNIT_EXPECT_EQ(test, users(space), 1U);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 1);

	mm_exit(test, parent);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live);
}

/*
 * The nodes of @top's subtree in walk order into @nodes (at most @max);
 * their number.
 */
static int subtree(struct anon_space_node *top, struct anon_space_node **nodes,
		   int max)
{
	struct anon_space_node *node;
	int n = 0;

	down_read(&top->space->fork_rwsem);
	for (node = top; node && n < max; node = anon_space_node_next(node, top))
		nodes[n++] = node;
	up_read(&top->space->fork_rwsem);
	return n;
}

/* A walk of @top's subtree takes the @n nodes of @want, in that order. */
static void expect_walk(struct kunit *test, struct anon_space_node *top,
			struct anon_space_node *const *want, int n)
{
	struct anon_space_node *nodes[8];
	int i;

	KUNIT_ASSERT_LE(test, n, ARRAY_SIZE(nodes));
	KUNIT_ASSERT_EQ(test, subtree(top, nodes, ARRAY_SIZE(nodes)), n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, nodes[i], want[i], "node %d", i);
}

/*
 * Every mm of a family has a node, a fork child's below its parent's, and
 * a walk of a subtree takes parents before children, children in fork
 * order.  A node nothing else names goes with its mm: its children move
 * up to its parent, or become roots.
 */
static void test_fork_tree(struct kunit *test)
{
	struct mm_struct *parent = mm_new(test);
	struct mm_struct *child, *sibling, *grandchild;
	struct anon_space_node *p, *c, *s, *g;
	struct anon_space *space;

	KUNIT_ASSERT_EQ(test, prepare(parent), 0);
	space = parent->anon_space;
	child = mm_fork(test, parent);
	sibling = mm_fork(test, parent);
	grandchild = mm_fork(test, child);
	p = parent->anon_node;
	c = child->anon_node;
	s = sibling->anon_node;
	g = grandchild->anon_node;
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_EXPECT_PTR_EQ(test, c->space, space);
	KUNIT_EXPECT_PTR_EQ(test, g->space, space);
	KUNIT_EXPECT_NULL(test, p->parent);
	KUNIT_EXPECT_PTR_EQ(test, c->parent, p);
	KUNIT_EXPECT_PTR_EQ(test, s->parent, p);
	KUNIT_EXPECT_PTR_EQ(test, g->parent, c);
	/* One reference to the space per node. */
	KUNIT_EXPECT_EQ(test, users(space), 4U);

	expect_walk(test, p, (struct anon_space_node *[]){ p, c, g, s }, 4);
	/* A subtree's walk ends at its top. */
	expect_walk(test, c, (struct anon_space_node *[]){ c, g }, 2);
	expect_walk(test, s, &s, 1);
	expect_walk(test, g, &g, 1);

	/* No anon_vma names the child's node: it goes, g moves up. */
	mm_exit(test, child);
	KUNIT_EXPECT_PTR_EQ(test, g->parent, p);
	KUNIT_EXPECT_EQ(test, users(space), 3U);
	expect_walk(test, p, (struct anon_space_node *[]){ p, s, g }, 3);

	/* The root goes: its children become roots of the same space. */
	mm_exit(test, parent);
	KUNIT_EXPECT_NULL(test, s->parent);
	KUNIT_EXPECT_NULL(test, g->parent);
	expect_walk(test, s, &s, 1);
	expect_walk(test, g, &g, 1);
	KUNIT_EXPECT_EQ(test, users(space), 2U);
}

static void test_unrelated_mms_differ(struct kunit *test)
{
	long live = anon_space_nr_live();
	struct mm_struct *a = mm_new(test);
	struct mm_struct *b = mm_new(test);
	struct mm_struct *child;

	KUNIT_ASSERT_EQ(test, prepare(a), 0);
	KUNIT_ASSERT_EQ(test, prepare(b), 0);
	KUNIT_ASSERT_NOT_NULL(test, a->anon_space);
	KUNIT_ASSERT_NOT_NULL(test, b->anon_space);
	KUNIT_EXPECT_PTR_NE(test, a->anon_space, b->anon_space);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 2);

	/* A fork in one family leaves the other alone. */
	child = mm_fork(test, a);
	KUNIT_EXPECT_PTR_EQ(test, child->anon_space, a->anon_space);
	KUNIT_EXPECT_EQ(test, users(a->anon_space), 2U);
	KUNIT_EXPECT_EQ(test, users(b->anon_space), 1U);

	mm_exit(test, b);
	KUNIT_EXPECT_EQ(test, users(a->anon_space), 2U);
	KUNIT_EXPECT_EQ(test, anon_space_nr_live(), live + 1);
}

static struct kunit_case anon_space_test_cases[] = {
	KUNIT_CASE(test_fresh_mm_has_no_space),
	KUNIT_CASE(test_prepare_creates_once),
	KUNIT_CASE(test_index_zones),
	KUNIT_CASE(test_fork_shares_space),
	KUNIT_CASE(test_fork_without_space),
	KUNIT_CASE(test_clone_vm_shares_mm),
	KUNIT_CASE(test_parent_exits_first),
	KUNIT_CASE(test_child_exits_first),
	KUNIT_CASE(test_fork_tree),
	KUNIT_CASE(test_unrelated_mms_differ),
	{}
};

static struct kunit_suite anon_space_test_suite = {
	.name = "anon_space",
	.test_cases = anon_space_test_cases,
};

kunit_test_suite(anon_space_test_suite);

MODULE_DESCRIPTION("KUnit tests for the anonymous address space");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
