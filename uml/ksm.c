// SPDX-License-Identifier: GPL-2.0
/*
 * ksm: a KSM page that a fork child maps back from the swap cache after
 * the child has left KSM must still be found by the reverse map.
 *
 * KSM finds the mappings of a KSM page through its rmap_items: for each,
 * the anon_vma tree of the VMA it was merged in, at the item's address,
 * in the item's own mm and then in the mms forked from it
 * (rmap_walk_ksm()).  A fork child that leaves KSM (MADV_UNMERGEABLE,
 * then ksmd's next full scan clears MMF_VM_MERGEABLE) keeps the swap
 * entries of KSM pages: break_ksm() unshares only the pages that are
 * present.  Read back while the KSM page is still in the swap cache,
 * such an entry maps the KSM page itself (ksm_might_need_to_copy()), in
 * whatever VMA covers the address then: one made after the child left
 * KSM too.  The parent's rmap_item must find it there.
 *
 * Started as init on hostfs with a swap file on ubd0 (scripts/uml-ksm.sh,
 * on the patched and on the baseline kernel), with ksmd merging every
 * 10 ms:
 *
 *  1. the parent maps pages X, A, B (A and B the same bytes),
 *     MADV_MERGEABLE, and waits until A and B are one KSM page (its
 *     ksm_merging_pages 2, the same page frame in /proc/self/pagemap:
 *     /proc/kpageflags's KPF_KSM is set for every anonymous page in 6.12);
 *  2. it unmaps B (A's KSM page is mapped once) and pages A out
 *     (MADV_PAGEOUT): a swap entry, the page still in the swap cache;
 *  3. it forks: the child's A is a swap entry of the KSM page;
 *  4. the child MADV_UNMERGEABLE's X and A (A is not present: it stays a
 *     swap entry); the parent reads A back (the KSM page, mapped again);
 *  5. two full scans of ksmd: the child has left KSM, and the parent's
 *     rmap_item for A is on the KSM page's stable node; ksmd stops
 *     (run 0: merged pages stay);
 *  6. the child splits its VMA (mprotect of X): A is in a VMA made after
 *     it left KSM; it reads A: the KSM page, from the swap cache;
 *  7. the parent drops A (MADV_DONTNEED: its rmap_item stays), the child
 *     pages A out (MADV_PAGEOUT: the page is mapped once, by the child).
 *
 * The reverse map must find the child's mapping through the parent's
 * rmap_item: A must be swapped out in the child (/proc/self/pagemap).
 * Preconditions that fail (no merge, no swap, a copy at swap-in) fail
 * the run with what went otherwise: it proves nothing then.  Prints
 * "ksm: PASS" or "ksm: FAIL (...)" and powers the machine off.
 */
#define _GNU_SOURCE
#include "guest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#define KSM_SYS		"/sys/kernel/mm/ksm/"

static long page;
static const char *who = "parent";

static uint64_t pagemap(const char *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &e, sizeof(e),
			    (uintptr_t)p / page * sizeof(e)) != sizeof(e))
		fail("%s: reading /proc/self/pagemap: %s", who, strerror(errno));
	if (fd >= 0)
		close(fd);
	return e;
}

/* The page frame mapped at @p, or 0 if none is. */
static uint64_t pfn(const char *p)
{
	uint64_t e = pagemap(p);

	return e & PM_PRESENT ? PM_PFN(e) : 0;
}

static long ksm_get(const char *name)
{
	char buf[64];

	if (read_file(name, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

static void ksm_set(const char *name, const char *value)
{
	int fd = open(name, O_WRONLY);

	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		fail("writing %s to %s: %s", value, name, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Wait up to 60 s for @scans more full scans of ksmd; 0 if they came. */
static int full_scans(long scans)
{
	long want = ksm_get(KSM_SYS "full_scans") + scans;
	double end = now() + 60;

	while (ksm_get(KSM_SYS "full_scans") < want)
		if (now() > end || usleep(10000))
			return -1;
	return 0;
}

/* One byte over a pipe: the other side's step is done. */
static void tell(int fd)
{
	if (write(fd, "", 1) != 1)
		fail("%s: write to pipe: %s", who, strerror(errno));
}

static int hear(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

/* Steps 4, 6 and 7 in the child; its exit status is its failures. */
static void child(char *x, char *a, uint64_t kpfn, int from_parent,
		  int to_parent)
{
	uint64_t e;

	who = "child";
	if (!(pagemap(a) & PM_SWAPPED))
		fail("child: A is not a swap entry after the fork");
	if (madvise(x, 2 * page, MADV_UNMERGEABLE))
		fail("child: MADV_UNMERGEABLE: %s", strerror(errno));
	tell(to_parent);
	/* The parent has read A back and ksmd has scanned twice. */
	if (hear(from_parent))
		_exit(100);
	if (mprotect(x, page, PROT_READ))
		fail("child: mprotect of X: %s", strerror(errno));
	if (a[0] != 0x5a || a[page - 1] != 0x5a)
		fail("child: A read back wrong");
	if (pfn(a) != kpfn)
		fail("child: A read back is not the KSM page (a copy at swap-in): nothing to test");
	tell(to_parent);
	/* The parent has dropped A: the child alone maps the KSM page. */
	if (hear(from_parent))
		_exit(100);
	if (madvise(a, page, MADV_PAGEOUT))
		fail("child: MADV_PAGEOUT of A: %s", strerror(errno));
	e = pagemap(a);
	printf("ksm: the child's A after MADV_PAGEOUT: %s\n",
	       e & PM_SWAPPED ? "swapped out" :
	       e & PM_PRESENT ? "still mapped" : "neither");
	if (!(e & PM_SWAPPED))
		fail("child: the KSM page mapped in a VMA made after the child left KSM was not unmapped: the reverse map missed it");
	if (a[0] != 0x5a)
		fail("child: A read back wrong after MADV_PAGEOUT");
	_exit(failures);
}

static void run(void)
{
	int down[2], up[2], status = 0;
	char *x, *a, *b, stat[512];
	uint64_t kpfn;
	double end;
	pid_t pid;

	ksm_set(KSM_SYS "sleep_millisecs", "10");
	ksm_set(KSM_SYS "pages_to_scan", "1000");
	ksm_set(KSM_SYS "run", "1");
	x = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x == MAP_FAILED || pipe(down) || pipe(up)) {
		fail("mmap or pipe: %s", strerror(errno));
		return;
	}
	a = x + page;
	b = x + 2 * page;
	memset(x, 0x11, page);
	memset(a, 0x5a, page);
	memset(b, 0x5a, page);
	if (madvise(x, 3 * page, MADV_MERGEABLE)) {
		fail("MADV_MERGEABLE: %s (CONFIG_KSM?)", strerror(errno));
		return;
	}
	for (end = now() + 60; ksm_get("/proc/self/ksm_merging_pages") < 2 ||
	     pfn(a) != pfn(b); usleep(10000))
		if (now() > end) {
			fail("A was not merged with B in 60 s");
			return;
		}
	kpfn = pfn(a);
	munmap(b, page);
	if (madvise(a, page, MADV_PAGEOUT) || !(pagemap(a) & PM_SWAPPED)) {
		fail("A was not paged out (MADV_PAGEOUT: %s; swap on?)",
		     strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		child(x, a, kpfn, down[0], up[1]);
	if (hear(up[0]))
		goto wait;
	if (a[0] != 0x5a)
		fail("A read back wrong");
	if (pfn(a) != kpfn)
		fail("A read back is not the KSM page (a copy at swap-in)");
	if (full_scans(2))
		fail("ksmd did not finish two full scans in 60 s");
	ksm_set(KSM_SYS "run", "0");
	printf("ksm: KSM page %#llx: the parent's rmap_items %ld, pages_shared %ld\n",
	       (unsigned long long)kpfn,
	       read_file("/proc/self/ksm_stat", stat, sizeof(stat)) ? -1 :
	       field(stat, "ksm_rmap_items"), ksm_get(KSM_SYS "pages_shared"));
	tell(down[1]);
	if (hear(up[0]))
		goto wait;
	if (madvise(a, page, MADV_DONTNEED))
		fail("MADV_DONTNEED of A: %s", strerror(errno));
	tell(down[1]);
wait:
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the child failed (status %#x)", status);
}

int main(void)
{
	int init = guest_init("ksm");

	page = sysconf(_SC_PAGESIZE);
	if (!init || swap_on() == 0)
		run();
	return guest_finish(init);
}
