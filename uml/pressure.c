// SPDX-License-Identifier: GPL-2.0
/*
 * pressure: anonymous memory of a forked family swapped out and back in on
 * the patched UML kernel, whose reverse map walks the family's anon_space
 * (CONFIG_ANON_SPACE_RMAP).
 *
 * Started as init (scripts/uml-pressure.sh: rootfstype=hostfs init=...,
 * ubd0= a swap file made by mkswap on the host), it mounts proc, sysfs and
 * debugfs, makes /dev a ramfs with the ubda node and swaps on it.  The
 * parent maps and fills MB megabytes (argument, default 96: more than the
 * guest's memory with the child's copies), forks a child that rewrites
 * every other page (copy on write), and both then read every page back,
 * twice (the parent compacts memory in between: migration), while
 * reclaim swaps their pages out: folio_referenced() and
 * try_to_unmap() of each folio walk the space.  Each page holds a word
 * naming its owner and its page number.  After each step the reader's mm
 * is verified (anon_space/verify: the mappings found through anon_vma and
 * through the space for every folio still mapped).  It passes if every
 * word read back is right, pages were swapped out (pswpout) and in
 * (pswpin), the spaces served walks (rmap_walks, for unmap and for
 * migrate among them), each cross-checked
 * against anon_vma before it ran (rmap_checked), and no verification or
 * cross-check found a mismatch; it prints "pressure: PASS" or
 * "pressure: FAIL (...)" and powers the machine off.
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
#include <unistd.h>

#define UBD_MAJOR 98

static long page;

static long file_field(const char *path, const char *name)
{
	char buf[8192];

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return field(buf, name);
}

/* Verify this process's mm: no mismatch.  Returns the folios verified. */
static long verify(const char *who, const char *step)
{
	char buf[512];
	int ret = read_file(DBG "/verify", buf, sizeof(buf));
	long walks, mismatches;

	if (ret) {
		fail("%s %s: reading " DBG "/verify: %s", who, step,
		     strerror(-ret));
		return -1;
	}
	walks = field(buf, "walks");
	mismatches = field(buf, "mismatches");
	printf("%s, %s: verified %ld folios, %ld mappings, %ld mismatches\n",
	       who, step, walks, field(buf, "mappings"), mismatches);
	if (mismatches != 0)
		fail("%s %s: %ld mismatches", who, step, mismatches);
	return walks;
}

static uint64_t word(int owner, long i)
{
	return 0x5a00000000000000ULL | ((uint64_t)owner << 40) | i;
}

/* Write the word of @owner into pages @first, @first + @step, ... */
static void fill(char *p, long pages, int owner, long first, long step)
{
	long i;

	for (i = first; i < pages; i += step) {
		uint64_t *w = (uint64_t *)(p + i * page);

		w[0] = word(owner, i);
		w[page / sizeof(*w) - 1] = ~word(owner, i);
	}
}

/* Every page reads the word of its owner: @cowed's in the odd ones. */
static long check(const char *who, char *p, long pages, int cowed)
{
	long i, bad = 0;

	for (i = 0; i < pages; i++) {
		uint64_t *w = (uint64_t *)(p + i * page);
		int owner = (i & 1) ? cowed : 0;

		if (w[0] != word(owner, i) ||
		    w[page / sizeof(*w) - 1] != ~word(owner, i)) {
			if (!bad)
				fail("%s: page %ld reads %#llx, not %#llx",
				     who, i, (unsigned long long)w[0],
				     (unsigned long long)word(owner, i));
			bad++;
		}
	}
	if (bad)
		fail("%s: %ld of %ld pages wrong", who, bad, pages);
	return bad;
}

static int swap_on(void)
{
	if (mount("none", "/dev", "ramfs", 0, NULL)) {
		fail("mounting a ramfs on /dev: %s", strerror(errno));
		return -1;
	}
	if (mknod("/dev/ubda", S_IFBLK | 0600, makedev(UBD_MAJOR, 0))) {
		fail("mknod /dev/ubda: %s", strerror(errno));
		return -1;
	}
	if (swapon("/dev/ubda", 0)) {
		fail("swapon /dev/ubda: %s (boot with ubd0=<a file made by mkswap>)",
		     strerror(errno));
		return -1;
	}
	return 0;
}

/* The counters a run is judged by, read before and after it. */
struct counters {
	long walks, checked, unchecked, mismatches, swapped_out, swapped_in;
	long referenced, unmap, migrate, migrated;
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
}

/* Compact all memory: compaction migrates the family's folios. */
static void compact(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

	if (fd < 0 || write(fd, "1", 1) != 1)
		fail("writing /proc/sys/vm/compact_memory: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* The built-in family: MB megabytes, a child's copies, read back. */
static void family(long mb)
{
	long pages = mb * 1024 * 1024 / page;
	int status, round;
	char *p;
	pid_t pid;

	p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fail("mmap %ld MB: %s", mb, strerror(errno));
		return;
	}
	fill(p, pages, 0, 0, 1);
	printf("parent: %ld pages filled\n", pages);
	verify("parent", "filled");

	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		fill(p, pages, 1, 1, 2);
		printf("child: %ld pages copied on write\n", pages / 2);
		for (round = 0; round < 2; round++)
			check("child", p, pages, 1);
		verify("child", "read back twice");
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	check("parent", p, pages, 0);
	compact();
	printf("parent: memory compacted\n");
	check("parent", p, pages, 0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the child failed");
	check("parent", p, pages, 0);
	verify("parent", "read back after the child's exit");
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
