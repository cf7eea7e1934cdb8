// SPDX-License-Identifier: GPL-2.0
/*
 * Host runner for the anon_space KUnit suites (see kunit/test.h here).
 *
 * Usage: anon_index_host [name=value ...]   (module parameters)
 * Prints KTAP version 1 like lib/kunit; exits 1 if a test failed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <errno.h>
#include <urcu.h>
#include <kunit/test.h>

void maple_tree_init(void);

#define MAX_SUITES	16
#define MAX_PARAMS	32

static struct kunit_suite *suites[MAX_SUITES];
static size_t nr_suites;

static struct {
	const char *name;
	void *ptr;
	size_t size;
	bool is_bool;
} params[MAX_PARAMS];
static size_t nr_params;

void kunit_host_register(struct kunit_suite **s, size_t nr)
{
	for (size_t i = 0; i < nr && nr_suites < MAX_SUITES; i++)
		suites[nr_suites++] = s[i];
}

void kunit_host_param(const char *name, void *ptr, size_t size, bool is_bool)
{
	if (nr_params < MAX_PARAMS)
		params[nr_params++] = (typeof(params[0])){ name, ptr, size, is_bool };
}

static int set_param(const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *dot;
	unsigned long long v;
	char *end;

	if (!eq)
		return -EINVAL;
	/* Accept "module.name=value" as on a kernel command line. */
	dot = memchr(arg, '.', eq - arg);
	if (dot)
		arg = dot + 1;
	for (size_t i = 0; i < nr_params; i++) {
		if (strlen(params[i].name) != (size_t)(eq - arg) ||
		    strncmp(params[i].name, arg, eq - arg))
			continue;
		errno = 0;
		v = strtoull(eq + 1, &end, 0);
		if (errno || *end || end == eq + 1)
			return -EINVAL;
		if (params[i].is_bool)
			*(bool *)params[i].ptr = !!v;
		else if (params[i].size == 1)
			*(uint8_t *)params[i].ptr = v;
		else if (params[i].size == 2)
			*(uint16_t *)params[i].ptr = v;
		else if (params[i].size == 4)
			*(uint32_t *)params[i].ptr = v;
		else
			*(uint64_t *)params[i].ptr = v;
		return 0;
	}
	return -ENOENT;
}

int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct kunit_action_node *n = malloc(sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->action = action;
	n->ctx = ctx;
	n->next = test->actions;
	test->actions = n;
	return 0;
}

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx)
{
	int ret = kunit_add_action(test, action, ctx);

	if (ret)
		action(ctx);
	return ret;
}

static void kunit_host_free(void *p)
{
	free(p);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = (gfp & __GFP_ZERO) ? calloc(n, size) : malloc(n * size);
	if (p && kunit_add_action_or_reset(test, kunit_host_free, p))
		return NULL;
	return p;
}

static void print_failure_header(struct kunit *test, bool fatal,
				 const char *file, int line)
{
	printf(KUNIT_SUBTEST_INDENT "# %s: %s FAILED at %s:%d\n", test->name,
	       fatal ? "ASSERTION" : "EXPECTATION", file, line);
}

static void finish_failure(struct kunit *test, bool fatal)
{
	test->status = KUNIT_FAILURE;
	fflush(stdout);
	if (fatal)
		longjmp(test->abort, 1);
}

void kunit_host_fail(struct kunit *test, bool fatal, const char *file,
		     int line, const char *fmt, ...)
{
	va_list ap;

	print_failure_header(test, fatal, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	finish_failure(test, fatal);
}

static bool is_literal(const char *text, long long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	return !strcmp(buf, text);
}

void kunit_host_fail_binary(struct kunit *test, bool fatal, const char *file,
			    int line, const char *left, const char *op,
			    const char *right, long long lv, long long rv,
			    const char *fmt, ...)
{
	va_list ap;

	print_failure_header(test, fatal, file, line);
	printf(KUNIT_SUBTEST_INDENT "Expected %s %s %s, but\n", left, op, right);
	if (!is_literal(left, lv))
		printf(KUNIT_SUBSUBTEST_INDENT "%s == %lld (0x%llx)\n", left,
		       lv, (unsigned long long)lv);
	if (!is_literal(right, rv))
		printf(KUNIT_SUBSUBTEST_INDENT "%s == %lld (0x%llx)\n", right,
		       rv, (unsigned long long)rv);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (*fmt)
		printf("\n");
	finish_failure(test, fatal);
}

void kunit_host_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	longjmp(test->abort, 1);
}

static void run_actions(struct kunit *test)
{
	struct kunit_action_node *n;

	while ((n = test->actions)) {
		test->actions = n->next;
		n->action(n->ctx);
		free(n);
	}
}

/* Returns the number of failed cases. */
static int run_suite(struct kunit_suite *suite, size_t *pass, size_t *fail,
		     size_t *skip)
{
	struct kunit_case *c;
	size_t n = 0, i = 0, p = 0, f = 0, s = 0;
	bool init_failed = false;

	for (c = suite->test_cases; c->run_case; c++)
		n++;
	printf(KUNIT_SUBTEST_INDENT "KTAP version 1\n");
	printf(KUNIT_SUBTEST_INDENT "# Subtest: %s\n", suite->name);
	printf(KUNIT_SUBTEST_INDENT "1..%zu\n", n);
	if (suite->suite_init && suite->suite_init(suite)) {
		init_failed = true;
		f = n;
	}
	for (c = suite->test_cases; !init_failed && c->run_case; c++) {
		/* volatile: read after longjmp */
		struct kunit *volatile test = calloc(1, sizeof(*test));

		if (!test)
			abort();
		test->name = c->name;
		test->status = KUNIT_SUCCESS;
		if (!setjmp(test->abort)) {
			if (!suite->init || !suite->init(test))
				c->run_case(test);
			else
				test->status = KUNIT_FAILURE;
		}
		if (suite->exit)
			suite->exit(test);
		run_actions(test);
		i++;
		if (test->status == KUNIT_SKIPPED) {
			printf(KUNIT_SUBTEST_INDENT "ok %zu %s # SKIP %s\n", i,
			       c->name, test->status_comment);
			s++;
		} else {
			printf(KUNIT_SUBTEST_INDENT "%s %zu %s\n",
			       test->status == KUNIT_SUCCESS ? "ok" : "not ok",
			       i, c->name);
			if (test->status == KUNIT_SUCCESS)
				p++;
			else
				f++;
		}
		fflush(stdout);
		free(test);
	}
	if (suite->suite_exit && !init_failed)
		suite->suite_exit(suite);
	/* Like kunit_print_suite_stats(): the suite, then its totals. */
	printf("# %s: pass:%zu fail:%zu skip:%zu total:%zu\n", suite->name,
	       p, f, s, n);
	printf("# Totals: pass:%zu fail:%zu skip:%zu total:%zu\n", p, f, s, n);
	*pass += p;
	*fail += f;
	*skip += s;
	return f;
}

int main(int argc, char **argv)
{
	size_t pass = 0, fail = 0, skip = 0, i;
	int failed_suites = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (set_param(argv[i])) {
			fprintf(stderr, "%s: bad parameter '%s'\n", argv[0],
				argv[i]);
			return 2;
		}
	}

	rcu_register_thread();
	maple_tree_init();

	printf("KTAP version 1\n1..%zu\n", nr_suites);
	for (i = 0; i < nr_suites; i++) {
		size_t f = run_suite(suites[i], &pass, &fail, &skip);

		printf("%s %zu %s\n", f ? "not ok" : "ok", i + 1,
		       suites[i]->name);
		failed_suites += !!f;
	}
	fflush(stdout);
	fprintf(stderr, "anon_index_host: pass:%zu fail:%zu skip:%zu\n", pass,
		fail, skip);

	rcu_barrier();
	rcu_unregister_thread();
	return failed_suites ? 1 : 0;
}
