// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit proof that Valgrind's memcheck reports kernel memory errors in a
 * UML kernel built with CONFIG_UML_VALGRIND: each case makes one error on
 * purpose and expects memcheck's error count to grow by exactly one.  The
 * report itself (in the Valgrind log) names the line of the access and
 * the kernel stacks of the access, the allocation and the free.
 *
 * The errors are made only under Valgrind and only when asked for, with
 * the boot parameter uml_valgrind_kunit.provoke=1; otherwise every case
 * skips, so the suite is harmless in any run.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/valgrind.h>

static bool provoke;
module_param(provoke, bool, 0444);
MODULE_PARM_DESC(provoke,
		 "under Valgrind, make the memory errors memcheck must report");

static void need_valgrind(struct kunit *test)
{
	if (!valgrind_active())
		kunit_skip(test, "not running under Valgrind");
	if (!provoke)
		kunit_skip(test, "needs uml_valgrind_kunit.provoke=1");
}

struct vg_object {
	int value;
	int more[15];
};

/* A read of a kmalloc()ed object after kfree(). */
static void test_use_after_free(struct kunit *test)
{
	struct vg_object *obj;
	unsigned int errors;
	int value;

	need_valgrind(test);
	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	obj->more[7] = 42;
	kfree(obj);

	/*
	 * A field in the middle: memcheck describes an address by a live
	 * block it lies in or just after before it looks at freed ones, and
	 * the object before this one may be live.
	 */
	errors = valgrind_error_count();
	value = READ_ONCE(obj->more[7]);	/* memcheck: invalid read */
	KUNIT_EXPECT_EQ(test, valgrind_error_count() - errors, 1);
	kunit_info(test, "read %d from a freed object\n", value);
}

/* A branch on kmalloc()ed memory that nothing wrote. */
static void test_uninitialised_read(struct kunit *test)
{
	unsigned int errors;
	int *values;

	need_valgrind(test);
	values = kmalloc_array(4, sizeof(*values), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, values);
	values[0] = 1;

	errors = valgrind_error_count();
	/* a call in the branch: no conditional move in its place */
	if (READ_ONCE(values[1]) == 1234)	/* memcheck: uninitialised */
		kunit_info(test, "values[1] happened to be 1234\n");
	KUNIT_EXPECT_EQ(test, valgrind_error_count() - errors, 1);
	kfree(values);
}

/* A read one byte past the size asked of kmalloc(), inside its slot. */
static void test_out_of_bounds(struct kunit *test)
{
	unsigned int errors;
	char *buf;
	char c;

	need_valgrind(test);
	buf = kmalloc(13, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 'x', 13);

	errors = valgrind_error_count();
	c = READ_ONCE(buf[13]);		/* memcheck: invalid read */
	KUNIT_EXPECT_EQ(test, valgrind_error_count() - errors, 1);
	kfree(buf);
	kunit_info(test, "read %d past the end\n", c);
}

/* No report for what is right: a written, live object. */
static void test_clean_access(struct kunit *test)
{
	unsigned int errors;
	struct vg_object *obj;

	need_valgrind(test);
	errors = valgrind_error_count();
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	if (READ_ONCE(obj->more[3]) == 0)
		obj->value = 1;
	KUNIT_EXPECT_EQ(test, obj->value, 1);
	kfree(obj);
	KUNIT_EXPECT_EQ(test, valgrind_error_count() - errors, 0);
}

static struct kunit_case uml_valgrind_cases[] = {
	KUNIT_CASE(test_use_after_free),
	KUNIT_CASE(test_uninitialised_read),
	KUNIT_CASE(test_out_of_bounds),
	KUNIT_CASE(test_clean_access),
	{}
};

static struct kunit_suite uml_valgrind_suite = {
	.name = "uml_valgrind",
	.test_cases = uml_valgrind_cases,
};

kunit_test_suite(uml_valgrind_suite);

MODULE_DESCRIPTION("KUnit proof of memcheck's reports for a UML kernel under Valgrind");
MODULE_LICENSE("GPL");
