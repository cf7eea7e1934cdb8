// SPDX-License-Identifier: GPL-2.0
/*
 * swapbench: swap-out and swap-in throughput of one process family, for
 * scripts/bench-uml.sh, on the bench kernels with and without the series.
 *
 * Booted as init (common.sh's uml_boot) with a swap file made by mkswap as
 * ubd0= and mem=128M.  It swaps on ubd0 (the device node in a ramfs on
 * /tmp, so /dev stays the host's), then:
 *
 *	fill	the parent maps MB megabytes (default 64) of private
 *		anonymous memory and writes every word (with MB above
 *		about 100 under mem=128M, reclaim swaps out as it writes;
 *		see child() for why the default stays below);
 *	cow	a forked child writes every word of every second page,
 *		copying those pages on write (MB / 2 more);
 *	pageout	MADV_PAGEOUT of the whole mapping, in the parent, then in
 *		the child;
 *	readback the parent reads every word of the mapping back, then the
 *		child does: what was swapped out is swapped in, and every
 *		word is checked against what its process wrote.
 *
 * Each phase is timed (CLOCK_MONOTONIC) and printed as
 *
 *	swapbench: PHASE mb=M ms=T mbps=R pswpout=O pswpin=I
 *
 * with M the megabytes the phase went through (MB, or MB / 2 for cow;
 * pageout and readback go through the parent's and the child's mapping:
 * MB * 2), R = M / T, and O and I the /proc/vmstat deltas (pages).  Then
 * "swapbench: PASS", or FAIL with the errors (a wrong word is one).
 */
#define _GNU_SOURCE
#include "guest.h"
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))

/* The mapping, also kept here only for the child's check of its globals. */
static uint64_t *g_area;
static unsigned long g_pages;

/* What word @w of page @p holds in the parent (@child 0) or the child. */
static uint64_t word(unsigned long p, unsigned long w, int child)
{
	return ((uint64_t)p << 32 | w << 1 | child) ^ 0x9e3779b97f4a7c15ULL;
}

/* Does the child copy page @p on write? */
static int cowed(unsigned long p)
{
	return p % 2 == 0;
}

static void fill(uint64_t *area, unsigned long pages, int child)
{
	unsigned long p, w;

	for (p = 0; p < pages; p++)
		if (!child || cowed(p))
			for (w = 0; w < WORDS; w++)
				area[p * WORDS + w] = word(p, w, child);
}

/* Read every word back; the number of pages with a wrong one. */
static unsigned long check(uint64_t *area, unsigned long pages, int child)
{
	unsigned long p, w, bad = 0;

	for (p = 0; p < pages; p++) {
		int mine = child && cowed(p);

		for (w = 0; w < WORDS; w++)
			if (area[p * WORDS + w] != word(p, w, mine)) {
				if (!bad)
					fail("%s: page %lu word %lu: %#llx, not %#llx",
					     child ? "child" : "parent", p, w,
					     (unsigned long long)area[p * WORDS + w],
					     (unsigned long long)word(p, w, mine));
				bad++;
				break;
			}
	}
	return bad;
}

static int pageout(uint64_t *area, unsigned long pages)
{
	return madvise(area, pages * PAGE, MADV_PAGEOUT);
}

static void vmstat(long *out, long *in)
{
	char buf[16384];

	if (read_file("/proc/vmstat", buf, sizeof(buf))) {
		fail("reading /proc/vmstat: %s", strerror(errno));
		*out = *in = 0;
		return;
	}
	*out = field(buf, "pswpout");
	*in = field(buf, "pswpin");
}

struct phase {
	double t;
	long out, in;
};

static void begin(struct phase *ph)
{
	vmstat(&ph->out, &ph->in);
	ph->t = now();
}

static void end(struct phase *ph, const char *name, unsigned long mb)
{
	double t = now() - ph->t;
	long out, in;

	vmstat(&out, &in);
	printf("swapbench: %s mb=%lu ms=%.0f mbps=%.1f pswpout=%ld pswpin=%ld\n",
	       name, mb, t * 1e3, mb / t, out - ph->out, in - ph->in);
}

/* The parent's ends of the pipes to and from the child. */
static int to_child[2], to_parent[2];

static char ask(char cmd)
{
	char r = 'x';

	if (write(to_child[1], &cmd, 1) != 1 || read(to_parent[0], &r, 1) != 1)
		fail("the child does not answer '%c'", cmd);
	return r;
}

/*
 * The child: one command byte in (c, p, r), one result byte out.  It keeps
 * what it needs on its stack, and says if the copies of the globals it
 * inherited changed.  With MB = 192 under mem=128M, the UML kernels here,
 * with the series and pristine 6.12 alike, gave the child and then the
 * parent a page of zeros for the program's globals after reclaim had
 * swapped it (the pipe descriptors read 0, so 'y' went to the console);
 * the parent fails the run if its own changed.  Not investigated yet.
 */
static void child(int in, int out, uint64_t *area, unsigned long pages)
{
	char cmd, r;

	while (read(in, &cmd, 1) == 1) {
		switch (cmd) {
		case 'c':
			fill(area, pages, 1);
			r = 'y';
			break;
		case 'p':
			r = pageout(area, pages) ? 'n' : 'y';
			break;
		case 'r':
			r = check(area, pages, 1) ? 'n' : 'y';
			break;
		default:
			_exit(0);
		}
		if (g_area != area || g_pages != pages)
			printf("swapbench: warning: the child's globals read %p %lu, not %p %lu\n",
			       (void *)g_area, g_pages, (void *)area, pages);
		if (write(out, &r, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static void run(unsigned long mb)
{
	unsigned long pages = mb << 20 >> 12;
	struct phase ph;
	uint64_t *area;
	pid_t pid;
	int status;

	area = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		fail("mmap %lu MB: %s", mb, strerror(errno));
		return;
	}
	g_area = area;
	g_pages = pages;
	begin(&ph);
	fill(area, pages, 0);
	end(&ph, "fill", mb);

	if (pipe(to_child) || pipe(to_parent)) {
		fail("pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		child(to_child[0], to_parent[1], area, pages);
	close(to_child[0]);
	close(to_parent[1]);

	begin(&ph);
	if (ask('c') != 'y')
		fail("the child's copy on write failed");
	end(&ph, "cow", mb / 2);

	begin(&ph);
	if (pageout(area, pages))
		fail("MADV_PAGEOUT in the parent: %s", strerror(errno));
	if (ask('p') != 'y')
		fail("MADV_PAGEOUT in the child failed");
	end(&ph, "pageout", mb * 2);

	begin(&ph);
	if (check(area, pages, 0))
		fail("the parent's memory is wrong after swap-in");
	if (ask('r') != 'y')
		fail("the child's memory is wrong after swap-in");
	end(&ph, "readback", mb * 2);

	if (g_area != area || g_pages != pages)
		fail("the parent's globals read area %p pages %lu, not %p %lu",
		     (void *)g_area, g_pages, (void *)area, pages);
	if (write(to_child[1], "q", 1) != 1)
		fail("writing to the child: %s", strerror(errno));
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("the child ended with status %#x", status);
}

int main(int argc, char **argv)
{
	int init = guest_init("swapbench");
	unsigned long mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;

	if (!mb || mb > 4096)
		fail("usage: swapbench [MB]   (1 to 4096, default 64)");
	else if (!init || swap_on() == 0)
		run(mb);
	return guest_finish(init);
}
