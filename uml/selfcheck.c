// SPDX-License-Identifier: GPL-2.0
/*
 * selfcheck: a user program that checks the anon_space reverse map of its
 * own process family on the patched UML kernel, through debugfs.
 *
 * Started as init (scripts/uml-selfcheck.sh: rootfstype=hostfs init=...),
 * it mounts sysfs and debugfs, then maps, faults, forks, copies on write,
 * moves with mremap() and maps again at the vacated address (Linus'
 * scenario), moves pages with UFFDIO_MOVE, and after each step reads
 * anon_space/verify, which compares the mappings found through anon_vma
 * and through the anon_space for every anonymous folio of the reader's mm.  It prints each result, the family's
 * ranges (anon_space/ranges) and the totals (anon_space/stats), then
 * "selfcheck: PASS" or "selfcheck: FAIL (...)", and powers the machine
 * off.  It also runs as an ordinary program under a patched kernel with
 * debugfs mounted (then it does not power off).
 */
#define _GNU_SOURCE
#include "guest.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* UFFDIO_MOVE (Linux 6.8), for libc headers older than that. */
#ifndef UFFDIO_MOVE
#define UFFD_FEATURE_MOVE	(1 << 16)
#define _UFFDIO_MOVE		(0x05)
struct uffdio_move {
	__u64 dst;
	__u64 src;
	__u64 len;
	__u64 mode;
	__s64 move;
};
#define UFFDIO_MOVE		_IOWR(UFFDIO, _UFFDIO_MOVE, struct uffdio_move)
#endif

static long page;

/* Verify this process's mm; check the counts that are given (>= 0). */
static void verify(const char *who, const char *step, long folios,
		   long mappings, long in_vain)
{
	char buf[512];
	int ret = read_file(DBG "/verify", buf, sizeof(buf));

	if (ret) {
		fail("%s %s: reading " DBG "/verify: %s", who, step,
		     strerror(-ret));
		return;
	}
	printf("%s, %s: folios %ld mappings %ld visits %ld in_vain %ld collisions %ld mismatches %ld\n",
	       who, step, field(buf, "walks"), field(buf, "mappings"),
	       field(buf, "visits"), field(buf, "in_vain"),
	       field(buf, "collisions"), field(buf, "mismatches"));
	if (field(buf, "mismatches") != 0)
		fail("%s %s: mismatches", who, step);
	if (field(buf, "collisions") != 0)
		fail("%s %s: collisions", who, step);
	/* At least: the program's own stack and data may grow meanwhile. */
	if (folios >= 0 && field(buf, "walks") < folios)
		fail("%s %s: %ld folios, expected at least %ld", who, step,
		     field(buf, "walks"), folios);
	if (mappings >= 0 && field(buf, "mappings") < mappings)
		fail("%s %s: %ld mappings, expected at least %ld", who, step,
		     field(buf, "mappings"), mappings);
	if (in_vain >= 0 && field(buf, "in_vain") != in_vain)
		fail("%s %s: %ld visits in vain, expected %ld", who, step,
		     field(buf, "in_vain"), in_vain);
	fflush(stdout);
}

static void touch(char *p, long pages, char byte)
{
	for (long i = 0; i < pages; i++)
		p[i * page] = byte;
}

static void show(const char *name)
{
	char buf[8192];

	if (read_file(name, buf, sizeof(buf)) == 0)
		printf("---- %s\n%s", name, buf);
}

/*
 * The program's own anonymous memory (stack, libc's data) is verified
 * too, so the counts below are checked as differences from a baseline.
 */
static long base_folios, base_mappings;

static void baseline(void)
{
	char buf[512];

	/* stdout's buffer and the stack of verify() are faulted by now. */
	verify("parent", "baseline", -1, -1, -1);
	if (read_file(DBG "/verify", buf, sizeof(buf)) == 0) {
		base_folios = field(buf, "walks");
		base_mappings = field(buf, "mappings");
	}
}

static void run(void)
{
	const long n = 64;
	char *a, *b, *c;
	pid_t pid;
	int status;

	/*
	 * A free stretch of 8n pages: a at its start, b (where a moves)
	 * 4n pages in, so nothing else is adjacent to either, in addresses
	 * or in identity indexes.
	 */
	a = mmap(NULL, 8 * n * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (a == MAP_FAILED || munmap(a, 8 * n * page)) {
		fail("mmap: %s", strerror(errno));
		return;
	}
	b = a + 4 * n * page;
	if (mmap(a, n * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != a) {
		fail("mmap: %s", strerror(errno));
		return;
	}
	baseline();
	touch(a, n, 1);
	verify("parent", "64 pages faulted", base_folios + n,
	       base_mappings + n, -1);

	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		/* Copy-on-write of half the pages, then move them all. */
		touch(a, n / 2, 2);
		verify("child", "32 pages copied on write", -1, -1, -1);
		c = mremap(a, n * page, n * page, MREMAP_MAYMOVE | MREMAP_FIXED,
			   b + n * page);
		if (c == MAP_FAILED)
			fail("child mremap: %s", strerror(errno));
		else
			verify("child", "moved", -1, -1, -1);
		show(DBG "/ranges");
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the child failed (status %#x)", status);
	verify("parent", "after the child's exit", base_folios + n,
	       base_mappings + n, 0);

	/* Linus' scenario: move a away, map and fault at its old address. */
	c = mremap(a, n * page, n * page, MREMAP_MAYMOVE | MREMAP_FIXED, b);
	if (c == MAP_FAILED) {
		fail("mremap: %s", strerror(errno));
		return;
	}
	if (mmap(a, n * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != a) {
		fail("mmap at the vacated address: %s", strerror(errno));
		return;
	}
	touch(a, n, 3);
	verify("parent", "moved, new pages at the old address",
	       base_folios + 2 * n, base_mappings + 2 * n, 0);
	/* Grow the moved VMA in place: its new pages continue its range. */
	if (mremap(c, n * page, 2 * n * page, 0) != c)
		fail("mremap grow: %s", strerror(errno));
	touch(c, 2 * n, 4);
	verify("parent", "moved VMA grown in place", base_folios + 3 * n,
	       base_mappings + 3 * n, 0);
	show(DBG "/ranges");
}

/*
 * UFFDIO_MOVE (patch 0020): pages moved from one mapping into another get
 * the destination's anon_vma and an index in its range, under the folio
 * lock; the space walk must then find each of them at its new address,
 * exactly as the anon_vma walk does.
 */
static void uffd_move(void)
{
	const long n = 16;
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_MOVE };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_move mv = { .len = n * page };
	unsigned char vec[16];
	char *src, *dst;
	int uffd;
	long i;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0) {
		fail("userfaultfd: %s (CONFIG_USERFAULTFD is in uml-config)",
		     strerror(errno));
		return;
	}
	if (ioctl(uffd, UFFDIO_API, &api) ||
	    !(api.features & UFFD_FEATURE_MOVE)) {
		fail("UFFDIO_API: no UFFD_FEATURE_MOVE (%s)", strerror(errno));
		goto out;
	}
	/*
	 * Source and destination between PROT_NONE guards, so that neither
	 * merges with a neighbour nor shares its anon_vma: the move must
	 * give the folios the destination's.
	 */
	src = mmap(NULL, 5 * n * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (src == MAP_FAILED || mprotect(src + n * page, n * page,
					  PROT_READ | PROT_WRITE) ||
	    mprotect(src + 3 * n * page, n * page, PROT_READ | PROT_WRITE)) {
		fail("mmap: %s", strerror(errno));
		goto out;
	}
	src += n * page;
	dst = src + 2 * n * page;
	for (i = 0; i < n; i++)
		src[i * page] = (char)(0x40 + i);
	reg.range.start = (unsigned long)dst;
	reg.range.len = n * page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		fail("UFFDIO_REGISTER: %s", strerror(errno));
		goto out;
	}
	mv.dst = (unsigned long)dst;
	mv.src = (unsigned long)src;
	if (ioctl(uffd, UFFDIO_MOVE, &mv) || mv.move != n * page) {
		fail("UFFDIO_MOVE: %s (moved %lld of %ld bytes)",
		     strerror(errno), (long long)mv.move, n * page);
		goto out;
	}
	if (mincore(src, n * page, vec))
		fail("mincore: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		if (vec[i] & 1)
			fail("page %ld is still at the source after UFFDIO_MOVE", i);
		if (dst[i * page] != (char)(0x40 + i))
			fail("page %ld reads %#x after UFFDIO_MOVE, not %#x", i,
			     dst[i * page], 0x40 + i);
	}
	verify("parent", "16 pages moved by UFFDIO_MOVE", -1, -1, 0);
out:
	close(uffd);
}

int main(void)
{
	int init = guest_start("selfcheck");

	page = sysconf(_SC_PAGESIZE);
	if (!failures)
		run();
	if (!failures)
		uffd_move();
	show(DBG "/stats");
	return guest_finish(init);
}
