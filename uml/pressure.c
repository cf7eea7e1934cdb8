// SPDX-License-Identifier: GPL-2.0
/*
 * pressure: anonymous memory of a forked family swapped out and back in,
 * moved, grown and paged out on the patched UML kernel, whose reverse map
 * walks the family's anon_space (CONFIG_ANON_SPACE_RMAP).
 *
 * Started as init (scripts/uml-pressure.sh: rootfstype=hostfs init=...,
 * ubd0= a swap file made by mkswap on the host), it mounts proc, sysfs and
 * debugfs, swaps on ubd0 (swap_on(): its node on a ramfs on /tmp).  The
 * parent maps and fills MB megabytes (argument, default 96: more than the
 * guest's memory with the child's copies), pages a quarter of it out
 * (MADV_PAGEOUT) and forks a child that rewrites every other page (copy
 * on write).  Then each of the two, on its own view of that memory (pages
 * it shares with the other copy on write, pages only it maps, some of
 * them swapped out):
 *
 *  - reads a quarter in, rewrites the pages it has to itself (dirty, so
 *    they must be written again) and pages it out (MADV_PAGEOUT):
 *    pswpout and its own swap entries (VmSwap) must grow;
 *  - moves a quarter that is partly swapped out with
 *    MREMAP_MAYMOVE|MREMAP_FIXED: the old range must be unmapped;
 *  - grows that moved region in place (mremap without MREMAP_MAYMOVE
 *    into pages it had reserved behind it) and fills the new pages;
 *  - grows the head of the mapping with a page mapped right behind it,
 *    so that mremap has to move it;
 *  - moves the tail of the mapping, a whole VMA, with MREMAP_DONTUNMAP:
 *    the old range must have no page (mincore) and read zeros.
 *
 * After the child's exit the parent maps, fills and half pages out memory
 * of its own, and grows it with a page right behind it: the move must take
 * the pages, swap entries and swap-cache folios included, to a fresh
 * range (anon_space/stats: rekeys).  Then the same with pages paged out
 * before a fork and read back by the parent alone: still in the swap
 * cache for the child, they must keep their indexes (rekeys_refused), and
 * the child maps them from there without a copy (ksm_swpin_copy).  Last,
 * pages paged out before a fork and grown unread: their swap entries stay
 * while the child holds them too, and move with the parent's mapping once
 * the child has exited.
 *
 * Every word of every page is a function of (owner, page, offset): the
 * page's number travels with it through the moves, and each step reads
 * every word of what it moved back; the child then reads everything
 * twice, the parent once, compacts memory (migration) and reads it again,
 * and once more after the child's exit.  Reclaim swaps pages out
 * meanwhile: folio_referenced(), try_to_unmap() and try_to_migrate() of
 * each folio walk the space.  After each step the process's mm is
 * verified (anon_space/verify: the mappings found through anon_vma and
 * through the space for every folio still mapped).  It passes if every
 * word read back is right, pages were swapped out (pswpout) and in
 * (pswpin), the spaces served walks (rmap_walks, for unmap and for
 * migrate among them), each cross-checked against anon_vma before it ran
 * (rmap_checked), and no verification or cross-check found a mismatch;
 * it prints "pressure: PASS" or "pressure: FAIL (...)" and powers the
 * machine off.
 *
 * "pressure run PROGRAM [ARG...]" runs PROGRAM (stress-ng, say) as the
 * workload instead: it must exit 0, and the same counters judge the run,
 * swapping aside.
 */
#define _GNU_SOURCE
#include "guest.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21			/* Linux 5.4 */
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4		/* Linux 5.7 */
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000	/* Linux 4.17 */
#endif


static long page, words;		/* bytes and 64-bit words per page */

/* This process in messages, and whose pages it fills: 0 parent, 1 child. */
static const char *who = "parent";
static int me;

static long file_field(const char *path, const char *name)
{
	char buf[8192];

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return field(buf, name);
}

/* Verify this process's mm: no mismatch.  Returns the folios verified. */
static long verify(const char *step)
{
	char buf[512];
	int ret = read_file(DBG "/verify", buf, sizeof(buf));
	long walks, mismatches;

	if (ret) {
		fail("%s, %s: reading " DBG "/verify: %s", who, step,
		     strerror(-ret));
		return -1;
	}
	walks = field(buf, "walks");
	mismatches = field(buf, "mismatches");
	printf("%s, %s: verified %ld folios, %ld mappings, %ld mismatches\n",
	       who, step, walks, field(buf, "mappings"), mismatches);
	if (mismatches != 0)
		fail("%s, %s: %ld mismatches", who, step, mismatches);
	return walks;
}

/*
 * A region of the family's memory: @pages pages at @addr holding pages
 * @first, @first + 1, ... of the data.  Its first @orig pages were mapped
 * before the fork; the ones after them a grow added, and only this
 * process has them.
 */
struct region {
	const char *name;
	char *addr;
	long pages, first, orig;
};

/*
 * Whose data page @k of @r holds in this process: 0 the parent's from
 * before the fork (the even pages the child shares), 1 the child's copies
 * (its odd pages), 2 and 3 the pages the parent and the child grew.
 */
static int owner_of(const struct region *r, long k)
{
	if (k >= r->orig)
		return 2 + me;
	return me && ((r->first + k) & 1);
}

/* Word @j of page @i of @owner: no two words of the run are alike. */
static uint64_t word(int owner, long i, long j)
{
	return 0x5a00000000000000ULL | (uint64_t)owner << 52 |
	       (uint64_t)j << 40 | (uint64_t)i;
}

/* Fill page @k of @r, every word of it. */
static void fill_page(const struct region *r, long k)
{
	uint64_t *w = (uint64_t *)(r->addr + k * page);
	int owner = owner_of(r, k);
	long j;

	for (j = 0; j < words; j++)
		w[j] = word(owner, r->first + k, j);
}

/* Fill pages @from, @from + @stride, ... before @to of @r. */
static void fill(const struct region *r, long from, long to, long stride)
{
	long k;

	for (k = from; k < to; k += stride)
		fill_page(r, k);
}

/*
 * Read every word of pages [@from, @to) of @r (swapping them in); report
 * the first wrong word and the count of wrong pages.  Returns that count.
 */
static long check(const struct region *r, long from, long to,
		  const char *step)
{
	long k, j, bad = 0;

	for (k = from; k < to; k++) {
		const uint64_t *w = (const uint64_t *)(r->addr + k * page);
		int owner = owner_of(r, k);
		long i = r->first + k;

		for (j = 0; j < words && w[j] == word(owner, i, j); j++)
			;
		if (j == words)
			continue;
		if (!bad)
			fail("%s, %s: %s page %ld (data page %ld of owner %d) word %ld reads %#llx, not %#llx",
			     who, step, r->name, k, i, owner, j,
			     (unsigned long long)w[j],
			     (unsigned long long)word(owner, i, j));
		bad++;
	}
	if (bad)
		fail("%s, %s: %ld of %ld pages of %s wrong", who, step, bad,
		     to - from, r->name);
	return bad;
}

/* Seconds since the first call: when a step ended, in the log. */
static double since_start(void)
{
	static double t0;

	if (!t0)
		t0 = now();
	return now() - t0;
}

/* Read every region of @rs whole and say so. */
static void check_regions(const struct region *rs, int n, const char *step)
{
	long pages = 0, bad = 0;
	int i;

	for (i = 0; i < n; i++) {
		bad += check(&rs[i], 0, rs[i].pages, step);
		pages += rs[i].pages;
	}
	printf("%s, %s: %ld pages read, every word checked: %ld pages wrong (%.1f s)\n",
	       who, step, pages, bad, since_start());
}

/*
 * How many of @pages pages at @p are in memory and how many swapped out
 * (/proc/self/pagemap); -1 in both if it cannot be read.
 */
static void page_states(char *p, long pages, long *present, long *swapped)
{
	size_t len = pages * sizeof(uint64_t);
	uint64_t *pm = malloc(len);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long k;

	*present = *swapped = -1;
	if (pm && fd >= 0 &&
	    pread(fd, pm, len, (uintptr_t)p / page * sizeof(*pm)) ==
	    (ssize_t)len) {
		*present = *swapped = 0;
		for (k = 0; k < pages; k++) {
			*present += !!(pm[k] & PM_PRESENT);
			*swapped += !!(pm[k] & PM_SWAPPED);
		}
	}
	if (fd >= 0)
		close(fd);
	free(pm);
}

/* After a move: nothing is mapped at @p any more (mincore: ENOMEM). */
static void check_unmapped(char *p, long pages, const char *step)
{
	unsigned char vec[1];

	if (mincore(p, page, vec) == 0 || errno != ENOMEM ||
	    mincore(p + (pages - 1) * page, page, vec) == 0 || errno != ENOMEM)
		fail("%s, %s: the old range %p is still mapped", who, step, p);
}

/*
 * After MREMAP_DONTUNMAP: the old range is still mapped but empty, no
 * page in it (mincore), and it reads zeros.
 */
static void check_emptied(char *p, long pages, const char *step)
{
	unsigned char *vec = malloc(pages);
	long k, j, resident = 0, nonzero = 0;

	if (!vec || mincore(p, pages * page, vec)) {
		fail("%s, %s: mincore of the old range %p: %s", who, step, p,
		     strerror(errno));
	} else {
		for (k = 0; k < pages; k++)
			resident += vec[k] & 1;
	}
	free(vec);
	for (k = 0; k < pages; k++) {
		const uint64_t *w = (const uint64_t *)(p + k * page);

		for (j = 0; j < words; j++)
			nonzero += w[j] != 0;
	}
	printf("%s, %s: old range %p: %ld of %ld pages resident, %ld words not zero\n",
	       who, step, p, resident, pages, nonzero);
	if (resident || nonzero)
		fail("%s, %s: the old range %p is not empty", who, step, p);
}

/*
 * Read pages [@from, @from + @n) of @r in and rewrite the odd ones (the
 * pages this process has to itself after the fork) with the same words,
 * then MADV_PAGEOUT them: the ones only this process maps are unmapped at
 * once (try_to_unmap() walks the space), the rewritten ones, dirty, are
 * written to swap, so pswpout and this mm's swap entries (VmSwap) must
 * grow.  (A page read back from swap is still clean there: paging it out
 * writes nothing.)
 */
static void page_out(const struct region *r, long from, long n)
{
	long out, swap, out2, swap2;

	check(r, from, from + n, "before MADV_PAGEOUT");
	fill(r, from + !((r->first + from) & 1), from + n, 2);
	out = file_field("/proc/vmstat", "pswpout");
	swap = file_field("/proc/self/status", "VmSwap");
	if (madvise(r->addr + from * page, n * page, MADV_PAGEOUT))
		fail("%s: MADV_PAGEOUT: %s", who, strerror(errno));
	out2 = file_field("/proc/vmstat", "pswpout");
	swap2 = file_field("/proc/self/status", "VmSwap");
	printf("%s, MADV_PAGEOUT of %s pages %ld-%ld (read, odd ones rewritten): pswpout +%ld, VmSwap +%ld kB\n",
	       who, r->name, from, from + n - 1, out2 - out, swap2 - swap);
	if (out2 <= out)
		fail("%s: pswpout did not grow on MADV_PAGEOUT", who);
	if (swap2 <= swap)
		fail("%s: VmSwap did not grow on MADV_PAGEOUT", who);
	verify("paged out");
}

/*
 * Move @r with MREMAP_MAYMOVE|MREMAP_FIXED into a range reserved with
 * @room more pages behind it, where it can grow in place later.  Some of
 * its pages must be swapped out: the move carries swap entries.
 */
static void move_fixed(struct region *r, long room)
{
	size_t len = r->pages * page;
	char *old = r->addr, *dst, *q;
	long present, swapped;

	dst = mmap(NULL, len + room * page, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED) {
		fail("%s: reserving %ld pages: %s", who, r->pages + room,
		     strerror(errno));
		return;
	}
	page_states(old, r->pages, &present, &swapped);
	q = mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q != dst) {
		fail("%s: mremap MREMAP_FIXED of %s to %p: %s", who, r->name,
		     dst, q == MAP_FAILED ? strerror(errno) : "elsewhere");
		return;
	}
	r->addr = dst;
	printf("%s, MREMAP_MAYMOVE|MREMAP_FIXED: moved %s, %ld pages (%ld in memory, %ld swapped out), %p -> %p\n",
	       who, r->name, r->pages, present, swapped, old, dst);
	if (swapped == 0)
		fail("%s: nothing of %s was swapped out before its move", who,
		     r->name);
	check_unmapped(old, r->pages, "moved");
	check_regions(r, 1, "moved");
	verify("moved");
}

/*
 * Grow @r by @room pages in place, into the pages reserved behind it:
 * they are unmapped first, and nothing maps there before the mremap (one
 * thread), which without MREMAP_MAYMOVE grows in place or fails.
 */
static void grow_in_place(struct region *r, long room)
{
	size_t len = r->pages * page;
	char *q;

	if (munmap(r->addr + len, room * page))
		fail("%s: munmap of the reserve: %s", who, strerror(errno));
	q = mremap(r->addr, len, len + room * page, 0);
	if (q == MAP_FAILED) {
		fail("%s: growing %s in place: %s", who, r->name,
		     strerror(errno));
		return;
	}
	r->pages += room;
	fill(r, r->pages - room, r->pages, 1);
	printf("%s, mremap in place: grew %s at %p from %ld to %ld pages, the new ones filled\n",
	       who, r->name, q, r->pages - room, r->pages);
	check_regions(r, 1, "grown in place");
	verify("grown in place");
}

/* Grow @r by @more pages with a page mapped right behind it: it must move. */
static void grow_moving(struct region *r, long more)
{
	size_t len = r->pages * page;
	char *old = r->addr, *end = old + len, *blocker, *q;
	long present, swapped;

	blocker = mmap(end, page, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (blocker != end) {
		fail("%s: mapping a page at %p behind %s: %s", who, end,
		     r->name, blocker == MAP_FAILED ? strerror(errno) :
		     "mapped elsewhere");
		return;
	}
	page_states(old, r->pages, &present, &swapped);
	q = mremap(old, len, len + more * page, MREMAP_MAYMOVE);
	munmap(blocker, page);
	if (q == MAP_FAILED || q == old) {
		fail("%s: growing %s with MREMAP_MAYMOVE: %s", who, r->name,
		     q == old ? "grew in place despite the page behind it" :
		     strerror(errno));
		return;
	}
	r->addr = q;
	r->pages += more;
	fill(r, r->pages - more, r->pages, 1);
	printf("%s, MREMAP_MAYMOVE: grew %s, %ld -> %ld pages, the new ones filled\n",
	       who, r->name, r->pages - more, r->pages);
	printf("%s, MREMAP_MAYMOVE: moved it (%ld in memory, %ld swapped out), %p -> %p\n",
	       who, present, swapped, old, q);
	check_unmapped(old, r->pages - more, "grown and moved");
	check_regions(r, 1, "grown and moved");
	verify("grown and moved");
}

/*
 * Map @r (r->pages pages, data pages r->first, ...) and one page right
 * behind it, a VMA apart, so that mremap() cannot grow @r in place, and
 * fill @r.  The page behind is written first: a user of the indexes with
 * a page does not make way for a move (one without would move to a fresh
 * range instead).  Returns that page, or NULL.
 */
static char *map_blocked(struct region *r)
{
	char *p, *blocker;

	p = mmap(NULL, (r->pages + 1) * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fail("%s: mmap of %ld pages: %s", who, r->pages,
		     strerror(errno));
		return NULL;
	}
	blocker = p + r->pages * page;
	blocker[0] = 1;
	if (mprotect(blocker, page, PROT_READ)) {
		fail("%s: mprotect of the page behind %s: %s", who, r->name,
		     strerror(errno));
		return NULL;
	}
	r->addr = p;
	fill(r, 0, r->pages, 1);
	return blocker;
}

/* Grow @r by @more pages with MREMAP_MAYMOVE: it must move.  0 or -1. */
static int grow_moved(struct region *r, long more)
{
	char *q = mremap(r->addr, r->pages * page, (r->pages + more) * page,
			 MREMAP_MAYMOVE);

	if (q == MAP_FAILED || q == r->addr) {
		fail("%s: growing %s with MREMAP_MAYMOVE: %s", who, r->name,
		     q == r->addr ? "grew in place despite the page behind it" :
		     strerror(errno));
		return -1;
	}
	r->addr = q;
	return 0;
}

/*
 * Read @r back (swapping it in): no folio may be copied on swap-in
 * (ksm_swpin_copy: ksm_might_need_to_copy() copies a swap-cache folio
 * whose index does not match the place it is mapped at).
 */
static void read_back_uncopied(const struct region *r, const char *step)
{
	long copies = file_field("/proc/vmstat", "ksm_swpin_copy");

	check_regions(r, 1, step);
	copies = file_field("/proc/vmstat", "ksm_swpin_copy") - copies;
	if (copies)
		fail("%s, %s: %ld folios of %s copied on swap-in: their index does not match their place",
		     who, step, copies, r->name);
}

/*
 * After the child's exit, the family's memory unmapped: @pages pages only
 * this process ever had (data pages @first, @first + 1, ...), half of
 * them paged out, grown with a page mapped right behind them, so that
 * mremap() moves them.  Every page is its own: the move takes them to a
 * fresh range instead of sharing the indexes after theirs (the blocking
 * page's), swap entries and the folios still in the swap cache with them,
 * each folio's index rewritten.  anon_space/stats must count the rekey,
 * and the pages read back at once, while the paged-out folios are still in
 * the swap cache: a folio mapped back from there whose index was not
 * rewritten is copied by ksm_might_need_to_copy() (counted in
 * ksm_swpin_copy; without CONFIG_KSM, mapped with the wrong index).
 */
static void own_grown(long pages, long first)
{
	struct region r = { "a mapping of its own", NULL, pages, first, pages };
	long rekeys, folios, swapcache, more = pages / 4;
	char *blocker = map_blocked(&r);

	if (!blocker)
		return;
	page_out(&r, 0, pages / 2);
	rekeys = file_field(DBG "/stats", "rekeys");
	folios = file_field(DBG "/stats", "rekey_folios");
	swapcache = file_field(DBG "/stats", "rekey_swapcache");
	if (grow_moved(&r, more))
		return;
	read_back_uncopied(&r, "moved with its pages");
	printf("%s, %s: rekeys +%ld, %ld folios rewritten, %ld of them in the swap cache\n",
	       who, r.name, file_field(DBG "/stats", "rekeys") - rekeys,
	       file_field(DBG "/stats", "rekey_folios") - folios,
	       file_field(DBG "/stats", "rekey_swapcache") - swapcache);
	if (file_field(DBG "/stats", "rekeys") <= rekeys)
		fail("%s: the move of %s kept its indexes", who, r.name);
	r.pages += more;
	fill(&r, pages, r.pages, 1);
	check_regions(&r, 1, "grown");
	verify("moved with its pages");
	munmap(blocker, page);
	munmap(r.addr, r.pages * page);
}

/* What swapped_forked_grown() does between the fork and the growth. */
enum swapped_step {
	SWAPPED_READ_BACK,	/* the parent reads its pages back first */
	SWAPPED_UNREAD,		/* nobody reads them: swap entries */
	SWAPPED_CHILD_GONE,	/* the same after the child's exit */
};

/*
 * @pages pages of this process's own (data pages @first, ...) all paged
 * out, then a fork: parent and child hold the same swap entries, no
 * longer exclusive.  Then the parent grows them past a page behind them,
 * so that the move of the growth meets used indexes.
 *
 * SWAPPED_READ_BACK: the parent has read them back first: mapped once,
 * not PageAnonExclusive, and still in the swap cache, where the child's
 * swap entries will find them.  SWAPPED_UNREAD: nobody has; the child
 * still holds the same entries (count 2).  Either way the move must not
 * take them to a fresh range (anon_space/stats: rekeys_refused): a folio
 * whose index were rewritten would be copied when the child maps it
 * from the swap cache (ksm_might_need_to_copy(), counted in
 * ksm_swpin_copy), which the child checks as it reads its copy back.
 * SWAPPED_CHILD_GONE: the child has exited before the growth; the entries
 * are the parent's alone (count 1) and go with it to a fresh range
 * (rekeys).  The parent reads everything back, none copied.
 */
static void swapped_forked_grown(long pages, long first,
				 enum swapped_step step)
{
	static const char *const names[] = {
		[SWAPPED_READ_BACK] = "a mapping swapped before a fork",
		[SWAPPED_UNREAD] = "a mapping swapped, its child alive",
		[SWAPPED_CHILD_GONE] = "a mapping swapped, its child gone",
	};
	struct region r = { names[step], NULL, pages, first, pages };
	int child_waits = step != SWAPPED_CHILD_GONE;
	long refused, rekeys, present, swapped, more = pages / 4;
	char *blocker = map_blocked(&r), c;
	int status, go[2];
	pid_t pid;

	if (!blocker)
		return;
	page_out(&r, 0, pages);
	page_states(r.addr, pages, &present, &swapped);
	printf("%s, %s paged out: %ld pages in memory, %ld swapped\n", who,
	       r.name, present, swapped);
	if (present != 0)
		fail("%s: %ld pages of %s stayed in memory: the step needs them all swapped out",
		     who, present, r.name);
	if (pipe(go)) {
		fail("pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		who = "child";
		failures = 0;	/* its exit status: its own errors */
		close(go[1]);
		if (child_waits) {
			if (read(go[0], &c, 1) != 1)
				fail("%s: the parent did not grow %s", who,
				     r.name);
			read_back_uncopied(&r, "read back from the swap cache");
		}
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	close(go[0]);
	if (!child_waits && (waitpid(pid, &status, 0) != pid ||
			     !WIFEXITED(status) || WEXITSTATUS(status)))
		fail("the child of %s failed", r.name);
	if (step == SWAPPED_READ_BACK) {
		check_regions(&r, 1, "read back after the fork");
		page_states(r.addr, pages, &present, &swapped);
		if (present != pages)
			fail("%s: %ld of %ld pages of %s read back", who,
			     present, pages, r.name);
	}
	refused = file_field(DBG "/stats", "rekeys_refused");
	rekeys = file_field(DBG "/stats", "rekeys");
	if (grow_moved(&r, more)) {
		close(go[1]);		/* the child ends too */
		if (child_waits)
			waitpid(pid, &status, 0);
		return;
	}
	printf("%s, %s grown: rekeys +%ld, refused +%ld\n", who, r.name,
	       file_field(DBG "/stats", "rekeys") - rekeys,
	       file_field(DBG "/stats", "rekeys_refused") - refused);
	if (child_waits &&
	    file_field(DBG "/stats", "rekeys_refused") <= refused)
		fail("%s: the move of %s was not refused a fresh range", who,
		     r.name);
	if (!child_waits && file_field(DBG "/stats", "rekeys") <= rekeys)
		fail("%s: the move of %s kept its indexes", who, r.name);
	read_back_uncopied(&r, "moved, read back");
	if (child_waits) {
		if (write(go[1], "1", 1) != 1)
			fail("%s: writing to the child: %s", who,
			     strerror(errno));
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			fail("the child of %s failed", r.name);
	}
	close(go[1]);
	verify("moved after the fork");
	munmap(blocker, page);
	munmap(r.addr, (r.pages + more) * page);
}

/* Is [@p, @p + @len) one whole VMA (a line of /proc/self/maps)? */
static int whole_vma(char *p, size_t len)
{
	char buf[16384], range[64];
	int ret = read_file("/proc/self/maps", buf, sizeof(buf));

	/* "\nSTART-END ": a line of its own, at the start or after another */
	snprintf(range, sizeof(range), "\n%08lx-%08lx ", (unsigned long)p,
		 (unsigned long)(p + len));
	return !ret && (!strncmp(buf, range + 1, strlen(range + 1)) ||
			strstr(buf, range));
}

/*
 * Move the whole VMA of @r with MREMAP_DONTUNMAP: the data goes to the
 * new range, the old one stays mapped, empty; it is unmapped after the
 * check.
 */
static void move_dontunmap(struct region *r)
{
	size_t len = r->pages * page;
	char *old = r->addr, *q;
	long present, swapped;

	if (!whole_vma(old, len))
		fail("%s: %s (%p, %ld pages) is not one whole VMA", who,
		     r->name, old, r->pages);
	page_states(old, r->pages, &present, &swapped);
	q = mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	if (q == MAP_FAILED) {
		fail("%s: mremap MREMAP_DONTUNMAP of %s: %s", who, r->name,
		     strerror(errno));
		return;
	}
	r->addr = q;
	printf("%s, MREMAP_DONTUNMAP: moved %s, %ld pages (%ld in memory, %ld swapped out), %p -> %p\n",
	       who, r->name, r->pages, present, swapped, old, q);
	check_emptied(old, r->pages, "moved, old range kept");
	munmap(old, len);
	check_regions(r, 1, "moved, old range kept");
	verify("moved, old range kept");
}

/*
 * The mremap steps on the family's mapping @a, in the parent and in the
 * child alike: pages [Q, 2Q) paged out, pages [Q/2, 3Q/2) moved and grown
 * in place, the head [0, Q/2) grown and moved, the tail [3Q/2, end) moved
 * with MREMAP_DONTUNMAP (Q a quarter of the mapping).  @rs gets the three
 * regions it leaves.
 */
static void exercise(const struct region *a, struct region rs[3])
{
	long q = a->pages / 4, h = q / 2, grow = q / 4;
	struct region *head = &rs[0], *mid = &rs[1], *tail = &rs[2];

	*head = (struct region){ "the head", a->addr, h, 0, h };
	*mid = (struct region){ "the middle", a->addr + h * page, q, h, q };
	*tail = (struct region){ "the tail", a->addr + (h + q) * page,
				 a->pages - h - q, h + q, a->pages - h - q };
	page_out(a, q, q);
	move_fixed(mid, grow);
	grow_in_place(mid, grow);
	grow_moving(head, grow);
	move_dontunmap(tail);
}

/* The counters a run is judged by, read before and after it. */
struct counters {
	long walks, checked, unchecked, mismatches, swapped_out, swapped_in;
	long referenced, unmap, migrate, migrated, verified, collisions;
};

static void read_counters(struct counters *c)
{
	c->walks = file_field(DBG "/stats", "rmap_walks");
	c->checked = file_field(DBG "/stats", "rmap_checked");
	c->unchecked = file_field(DBG "/stats", "rmap_unchecked");
	c->mismatches = file_field(DBG "/stats", "mismatches");
	c->swapped_out = file_field("/proc/vmstat", "pswpout");
	c->swapped_in = file_field("/proc/vmstat", "pswpin");
	c->referenced = file_field(DBG "/stats", "rmap_walks_referenced");
	c->unmap = file_field(DBG "/stats", "rmap_walks_unmap");
	c->migrate = file_field(DBG "/stats", "rmap_walks_migrate");
	c->migrated = file_field("/proc/vmstat", "pgmigrate_success");
	c->verified = file_field(DBG "/stats", "walks");
	c->collisions = file_field(DBG "/stats", "collisions");
}

/*
 * The family's index allocator after the mremap steps of both processes
 * (the first line of anon_space/ranges: used, reloc_used, ..., highest).
 */
static void print_allocator(void)
{
	char buf[16384], *nl;
	int ret = read_file(DBG "/ranges", buf, sizeof(buf));

	if (ret) {
		fail("reading " DBG "/ranges: %s", strerror(-ret));
		return;
	}
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	printf("parent, allocator: %s\n", buf);
}

/* Compact all memory: compaction migrates the family's folios. */
static void compact(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

	if (fd < 0 || write(fd, "1", 1) != 1)
		fail("writing /proc/sys/vm/compact_memory: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	printf("%s: memory compacted\n", who);
}

/*
 * The child: copy every other page on write, tell the parent (whose
 * MADV_PAGEOUT needs pages it no longer shares), run the steps, read
 * everything back twice.
 */
static void child(const struct region *a, int done)
{
	struct region rs[3];

	who = "child";
	failures = 0;	/* its exit status: its own errors */
	me = 1;
	fill(a, 1, a->pages, 2);
	printf("child: %ld pages copied on write\n", a->pages / 2);
	if (write(done, "1", 1) != 1)
		fail("child: writing to the parent: %s", strerror(errno));
	close(done);
	exercise(a, rs);
	check_regions(rs, 3, "read back");
	check_regions(rs, 3, "read back again");
	verify("read back twice");
	fflush(stdout);
	_exit(failures ? 1 : 0);
}

/*
 * The built-in family: MB megabytes, a quarter paged out, a child's
 * copies, the mremap steps in both, everything read back.
 */
static void family(long mb)
{
	struct region a = { "the mapping", NULL, mb * 1024 * 1024 / page, 0, 0 };
	struct region rs[3];
	int status, pipefd[2];
	char c;
	pid_t pid;

	a.orig = a.pages;
	a.addr = mmap(NULL, a.pages * page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a.addr == MAP_FAILED) {
		fail("mmap %ld MB: %s", mb, strerror(errno));
		return;
	}
	since_start();
	fill(&a, 0, a.pages, 1);
	printf("parent: %ld pages filled (%.1f s)\n", a.pages, since_start());
	verify("filled");
	page_out(&a, 0, a.pages / 4);

	if (pipe(pipefd)) {
		fail("pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child(&a, pipefd[1]);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) != 1)
		fail("parent: the child did not copy its pages");
	close(pipefd[0]);
	exercise(&a, rs);
	check_regions(rs, 3, "read back");
	print_allocator();
	compact();
	check_regions(rs, 3, "read back after compaction");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the child failed");
	check_regions(rs, 3, "read back after the child's exit");
	verify("read back after the child's exit");
	munmap(rs[0].addr, rs[0].pages * page);
	munmap(rs[1].addr, rs[1].pages * page);
	munmap(rs[2].addr, rs[2].pages * page);
	own_grown(a.pages / 16, 2 * a.pages);
	swapped_forked_grown(a.pages / 16, 3 * a.pages, SWAPPED_READ_BACK);
	swapped_forked_grown(a.pages / 16, 4 * a.pages, SWAPPED_UNREAD);
	swapped_forked_grown(a.pages / 16, 5 * a.pages, SWAPPED_CHILD_GONE);
}

/* Another program as the workload (stress-ng, say): it must exit 0. */
static void command(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		printf("pressure: error: exec %s: %s\n", argv[0],
		       strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("%s did not exit 0 (status %#x)", argv[0], status);
}

/*
 * Run the workload; judge it by what the kernel counted: swapping (the
 * built-in family must swap), walks through the space, each kernel walk
 * cross-checked against anon_vma, no mismatch.
 */
static void run(long mb, char **cmd)
{
	struct counters a, b;

	read_counters(&a);
	if (cmd)
		command(cmd);
	else
		family(mb);
	read_counters(&b);

	printf("pressure: swapped out %ld pages, in %ld; %ld rmap walks through the space\n",
	       b.swapped_out - a.swapped_out, b.swapped_in - a.swapped_in,
	       b.walks - a.walks);
	printf("pressure: walks by caller: referenced %ld, unmap %ld, migrate %ld; %ld pages migrated\n",
	       b.referenced - a.referenced, b.unmap - a.unmap,
	       b.migrate - a.migrate, b.migrated - a.migrated);
	printf("pressure: %ld kernel walks cross-checked, %ld unchecked, %ld mismatches\n",
	       b.checked - a.checked, b.unchecked - a.unchecked,
	       b.mismatches - a.mismatches);
	printf("pressure: verifier: %ld folios verified, %ld collisions\n",
	       b.verified - a.verified, b.collisions - a.collisions);
	if (!cmd && b.swapped_out <= a.swapped_out)
		fail("nothing was swapped out: no memory pressure (%ld MB)", mb);
	if (!cmd && b.swapped_in <= a.swapped_in)
		fail("nothing was swapped in");
	if (!cmd && b.unmap <= a.unmap)
		fail("no try_to_unmap() walk went through the space");
	if (!cmd && b.migrate <= a.migrate)
		fail("no try_to_migrate() walk went through the space");
	if (b.walks <= a.walks)
		fail("no rmap walk went through a space (CONFIG_ANON_SPACE_RMAP off?)");
	if (b.checked <= a.checked)
		fail("no kernel walk was cross-checked");
	if (b.mismatches != a.mismatches)
		fail("cross-checks or verifications found mismatches");
}

int main(int argc, char **argv)
{
	int init = guest_start("pressure");
	char **cmd = NULL;
	long mb = 96;

	page = sysconf(_SC_PAGESIZE);
	words = page / sizeof(uint64_t);
	if (argc > 2 && !strcmp(argv[1], "run"))
		cmd = argv + 2;
	else if (argc > 1)
		mb = atol(argv[1]);
	if (mb <= 0)
		fail("usage: pressure [MB | run PROGRAM [ARG...]]");
	else if (!failures && (!init || swap_on() == 0))
		run(mb, cmd);
	return guest_finish(init);
}
