/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim of the KUnit API: just enough of include/kunit/test.h for the
 * anon_space suites to build and run as an ordinary program (runner in
 * host/main.c).  Output is KTAP as printed by lib/kunit.
 */
#ifndef _HOST_KUNIT_TEST_H
#define _HOST_KUNIT_TEST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/gfp.h>

#define KUNIT_SUBTEST_INDENT		"    "
#define KUNIT_SUBSUBTEST_INDENT		"        "

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

typedef void (kunit_action_t)(void *);

struct kunit_action_node {
	struct kunit_action_node *next;
	kunit_action_t *action;
	void *ctx;
};

struct kunit {
	const char *name;
	enum kunit_status status;
	char status_comment[256];
	jmp_buf abort;
	struct kunit_action_node *actions;
	void *priv;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }

struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

/* Implemented by host/main.c. */
void kunit_host_register(struct kunit_suite **suites, size_t nr);
void kunit_host_param(const char *name, void *ptr, size_t size, bool is_bool);
void kunit_host_fail(struct kunit *test, bool fatal, const char *file,
		     int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void kunit_host_fail_binary(struct kunit *test, bool fatal, const char *file,
			    int line, const char *left, const char *op,
			    const char *right, long long lv, long long rv,
			    const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));
void kunit_host_skip(struct kunit *test, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx);
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx);
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

#define KUNIT_DEFINE_ACTION_WRAPPER(wrapper, orig, arg_type)		\
	static void wrapper(void *in)					\
	{								\
		orig((arg_type)in);					\
	}

#define kunit_test_suites(...)						\
	static struct kunit_suite *__kunit_host_suites[] = { __VA_ARGS__ }; \
	static void __attribute__((constructor)) __kunit_host_init(void) \
	{								\
		kunit_host_register(__kunit_host_suites,		\
				    sizeof(__kunit_host_suites) /	\
				    sizeof(__kunit_host_suites[0]));	\
	}
#define kunit_test_suite(suite)	kunit_test_suites(&suite)

/* module_param(name, type, perm): settable as name=value on the command line */
#define module_param(name, type, perm)					\
	static void __attribute__((constructor)) __kunit_param_##name(void) \
	{								\
		kunit_host_param(#name, &name, sizeof(name),		\
				 __builtin_types_compatible_p(typeof(name), bool)); \
	}

#define kunit_info(test, fmt, ...)					\
	printf(KUNIT_SUBTEST_INDENT "# %s: " fmt "\n", (test)->name, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)
#define kunit_log(lvl, test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)

#define kunit_skip(test, fmt, ...)	kunit_host_skip(test, fmt, ##__VA_ARGS__)
#define kunit_mark_skipped(test, fmt, ...)				\
	do {								\
		(test)->status = KUNIT_SKIPPED;				\
		snprintf((test)->status_comment,			\
			 sizeof((test)->status_comment), fmt, ##__VA_ARGS__); \
	} while (0)

#define KUNIT_FAIL(test, fmt, ...)					\
	kunit_host_fail(test, false, __FILE__, __LINE__, "\n" fmt, ##__VA_ARGS__)

/* Binary comparisons of integers, enums, bools and pointers. */
#define __KUNIT_BINARY(test, fatal, left, op, right, fmt, ...)		\
	do {								\
		const typeof(left) __left = (left);			\
		const typeof(right) __right = (right);			\
									\
		if (!(__left op __right))				\
			kunit_host_fail_binary(test, fatal, __FILE__, __LINE__, \
					       #left, #op, #right,	\
					       (long long)__left,	\
					       (long long)__right,	\
					       fmt, ##__VA_ARGS__);	\
	} while (0)

#define __KUNIT_UNARY(test, fatal, cond, expect, fmt, ...)		\
	do {								\
		if ((bool)(cond) != (expect))				\
			kunit_host_fail(test, fatal, __FILE__, __LINE__, \
					KUNIT_SUBTEST_INDENT "Expected %s to be %s, but is %s" fmt, \
					#cond, (expect) ? "true" : "false", \
					(expect) ? "false" : "true",	\
					##__VA_ARGS__);			\
	} while (0)

#define __KUNIT_NULL(test, fatal, ptr, want_null, fmt, ...)		\
	do {								\
		const void *__ptr = (ptr);				\
									\
		if ((__ptr == NULL) != (want_null))			\
			kunit_host_fail(test, fatal, __FILE__, __LINE__, \
					KUNIT_SUBTEST_INDENT "Expected %s %s null, but is%s" fmt, \
					#ptr, (want_null) ? "is" : "is not", \
					(want_null) ? " not" : "",	\
					##__VA_ARGS__);			\
	} while (0)

#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, false, l, ==, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, false, l, !=, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, false, l, <, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, false, l, <=, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, false, l, >, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, false, l, >=, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, fmt, ...) __KUNIT_BINARY(t, false, (uintptr_t)(l), ==, (uintptr_t)(r), "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, fmt, ...) __KUNIT_BINARY(t, false, (uintptr_t)(l), !=, (uintptr_t)(r), "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...)	__KUNIT_UNARY(t, false, c, true, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...)	__KUNIT_UNARY(t, false, c, false, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL_MSG(t, p, fmt, ...)	__KUNIT_NULL(t, false, p, true, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, fmt, ...) __KUNIT_NULL(t, false, p, false, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, true, l, ==, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, true, l, !=, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, true, l, <, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, true, l, <=, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, true, l, >, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, fmt, ...)	__KUNIT_BINARY(t, true, l, >=, r, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, fmt, ...) __KUNIT_BINARY(t, true, (uintptr_t)(l), ==, (uintptr_t)(r), "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(t, l, r, fmt, ...) __KUNIT_BINARY(t, true, (uintptr_t)(l), !=, (uintptr_t)(r), "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...)	__KUNIT_UNARY(t, true, c, true, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...)	__KUNIT_UNARY(t, true, c, false, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL_MSG(t, p, fmt, ...)	__KUNIT_NULL(t, true, p, true, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, fmt, ...) __KUNIT_NULL(t, true, p, false, "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, l, r)	__KUNIT_BINARY(t, false, l, ==, r, "")
#define KUNIT_EXPECT_NE(t, l, r)	__KUNIT_BINARY(t, false, l, !=, r, "")
#define KUNIT_EXPECT_LT(t, l, r)	__KUNIT_BINARY(t, false, l, <, r, "")
#define KUNIT_EXPECT_LE(t, l, r)	__KUNIT_BINARY(t, false, l, <=, r, "")
#define KUNIT_EXPECT_GT(t, l, r)	__KUNIT_BINARY(t, false, l, >, r, "")
#define KUNIT_EXPECT_GE(t, l, r)	__KUNIT_BINARY(t, false, l, >=, r, "")
#define KUNIT_EXPECT_PTR_EQ(t, l, r)	__KUNIT_BINARY(t, false, (uintptr_t)(l), ==, (uintptr_t)(r), "")
#define KUNIT_EXPECT_PTR_NE(t, l, r)	__KUNIT_BINARY(t, false, (uintptr_t)(l), !=, (uintptr_t)(r), "")
#define KUNIT_EXPECT_TRUE(t, c)		__KUNIT_UNARY(t, false, c, true, "")
#define KUNIT_EXPECT_FALSE(t, c)	__KUNIT_UNARY(t, false, c, false, "")
#define KUNIT_EXPECT_NULL(t, p)		__KUNIT_NULL(t, false, p, true, "")
#define KUNIT_EXPECT_NOT_NULL(t, p)	__KUNIT_NULL(t, false, p, false, "")

#define KUNIT_ASSERT_EQ(t, l, r)	__KUNIT_BINARY(t, true, l, ==, r, "")
#define KUNIT_ASSERT_NE(t, l, r)	__KUNIT_BINARY(t, true, l, !=, r, "")
#define KUNIT_ASSERT_LT(t, l, r)	__KUNIT_BINARY(t, true, l, <, r, "")
#define KUNIT_ASSERT_LE(t, l, r)	__KUNIT_BINARY(t, true, l, <=, r, "")
#define KUNIT_ASSERT_GT(t, l, r)	__KUNIT_BINARY(t, true, l, >, r, "")
#define KUNIT_ASSERT_GE(t, l, r)	__KUNIT_BINARY(t, true, l, >=, r, "")
#define KUNIT_ASSERT_PTR_EQ(t, l, r)	__KUNIT_BINARY(t, true, (uintptr_t)(l), ==, (uintptr_t)(r), "")
#define KUNIT_ASSERT_PTR_NE(t, l, r)	__KUNIT_BINARY(t, true, (uintptr_t)(l), !=, (uintptr_t)(r), "")
#define KUNIT_ASSERT_TRUE(t, c)		__KUNIT_UNARY(t, true, c, true, "")
#define KUNIT_ASSERT_FALSE(t, c)	__KUNIT_UNARY(t, true, c, false, "")
#define KUNIT_ASSERT_NULL(t, p)		__KUNIT_NULL(t, true, p, true, "")
#define KUNIT_ASSERT_NOT_NULL(t, p)	__KUNIT_NULL(t, true, p, false, "")

#endif /* _HOST_KUNIT_TEST_H */
