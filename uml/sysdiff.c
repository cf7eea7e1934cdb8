// SPDX-License-Identifier: GPL-2.0
/*
 * sysdiff: a seeded random sequence of memory-management system calls whose
 * records are compared between the patched kernel and the baseline without
 * the series (scripts/uml-sysdiff.sh).  Both must give the same records.
 *
 *	sysdiff [-o FILE] [-e EVERY] SEED CALLS
 *
 * A worker process replays CALLS operations drawn by a xorshift64* PRNG
 * seeded with SEED: mmap (anonymous, memfd and file, private and shared,
 * MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_POPULATE,
 * MAP_NORESERVE, MAP_LOCKED, bad prot bits, bad flags, bad fds and
 * offsets), munmap, mremap (every flag combination, MREMAP_FIXED onto or
 * overlapping the old range, MREMAP_DONTUNMAP anywhere), mprotect, madvise
 * (valid and invalid advice), brk (grow, shrink, query, below the heap),
 * ftruncate of the memfd, reads and writes of a byte in each of 1 to 4
 * pages (faults; a SIGSEGV or SIGBUS is recorded, not fatal) and fork (the child runs a
 * short sequence of its own and exits; the parent waits for it).
 * Addresses lie in a 64 MB arena at a fixed address (its surroundings,
 * the window, are checked free at start), plus some deliberately invalid
 * ones: misaligned, overflowing lengths, zero lengths, kernel addresses.
 *
 * Each operation is one line: who (the worker "w", a child "w.17" forked by
 * its operation 17), the operation's number, the call with its arguments
 * and the result with errno.  Addresses are written relative to the arena
 * ("A+0x3000"), brk values relative to the break at start ("B+0x1000"), an
 * address the kernel chose outside the window as "out" (it is unmapped at
 * once, also recorded).  So the records do not depend on the absolute
 * layout, and a run on the host gives the same records for a seed every
 * time.  Every EVERY operations (default 50) and at the end of each
 * process, the mappings of /proc/self/maps that meet the window (and the
 * heap) are recorded, without the offset, device and inode columns: the
 * series changes anonymous vm_pgoff on purpose, and inode numbers are not
 * the program's.  For the same reason touching private anonymous VMAs
 * with the same permissions are recorded as one range, each VMA on a
 * "vma" line of its own (see snapshot()).  With the anon_space verifier
 * present, each snapshot also
 * verifies the mm (anon_space/verify; its figures are not recorded, the
 * kernel's totals judge them).
 *
 * Records go to FILE (default stdout) between "#begin" and "#end" lines,
 * one write() each, so a child's lines come between its fork and the
 * parent's wait.  As init (pid 1, scripts/uml-sysdiff.sh boots it with
 * uml_boot) it mounts proc, sysfs and debugfs, prints
 *
 *	sysdiff: seed N, N calls
 *	sysdiff: worker exit N
 *	sysdiff: anon_space walks N rmap_checked N collisions N mismatches N
 *				(only on a kernel with the verifier)
 *
 * and "sysdiff: PASS" (the worker exited 0, no mismatch) or "FAIL", and
 * powers the machine off.
 */
#define _GNU_SOURCE
#include "guest.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define PAGE		4096UL
/* The arena, and the window around it that must be free at start. */
#define ARENA		0x200000000UL
#define ARENA_SIZE	(64UL << 20)
#define WIN_LO		(ARENA - (16UL << 20))
#define WIN_HI		(ARENA + ARENA_SIZE + (16UL << 20))
/* Most addresses fall in the arena's first 512 kB, to collide. */
#define HOT		(512UL << 10)
/* Addresses this close to the arena are written relative to it. */
#define NEAR		(1UL << 30)
#define HISTORY		64
#define MAX_DEPTH	2

static int out_fd = 1;
static unsigned long brk0;	/* the break at start */
static uint64_t rng;
static int memfd = -1, exefd = -1;
static char exe_path[512];
static char tag[64] = "w";	/* who is recording */
static int depth;
static long every = 50;
/* Recent boundaries (starts and ends) and starts of mappings made. */
static unsigned long history[HISTORY], starts[HISTORY];
static unsigned int nhistory, nstarts;
static sigjmp_buf fault_env;
static volatile sig_atomic_t fault_sig;
static char maps_buf[1 << 20];

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* 0 .. @n - 1 */
static unsigned long below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

/* true with probability @pct percent */
static int chance(unsigned int pct)
{
	return below(100) < pct;
}

static void seed_rng(uint64_t seed)
{
	rng = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (!rng)
		rng = 1;
	for (int i = 0; i < 8; i++)
		rnd();
}

/* One record: "<tag> <text>\n" in a single write(). */
static void rec(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n, off;

	n = snprintf(line, sizeof(line), "%s ", tag);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	for (off = 0; off < n;) {
		ssize_t w = write(out_fd, line + off, n - off);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			_exit(3);
		}
		off += w;
	}
}

static int in_window(unsigned long a)
{
	return a >= WIN_LO && a < WIN_HI;
}

/* An argument address: relative to the arena when near it. */
static const char *addr_str(char *b, unsigned long a)
{
	if (a >= ARENA - NEAR && a < ARENA + NEAR) {
		if (a >= ARENA)
			sprintf(b, "A+%#lx", a - ARENA);
		else
			sprintf(b, "A-%#lx", ARENA - a);
	} else {
		sprintf(b, "%#lx", a);
	}
	return b;
}

static const char *errno_str(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "E?";
}

/* The result of a call returning an address, or MAP_FAILED and errno. */
static const char *addr_result(char *b, void *p, int err)
{
	unsigned long a = (unsigned long)p;

	if (p == MAP_FAILED)
		sprintf(b, "-1 %s", errno_str(err));
	else if (a >= ARENA - NEAR && a < ARENA + NEAR)
		addr_str(b, a);
	else
		strcpy(b, "out");
	return b;
}

static const char *int_result(char *b, long ret, int err)
{
	if (ret == -1)
		sprintf(b, "-1 %s", errno_str(err));
	else
		sprintf(b, "%ld", ret);
	return b;
}

static void remember(unsigned long a, int start)
{
	if (!in_window(a))
		return;
	history[nhistory++ % HISTORY] = a;
	if (start)
		starts[nstarts++ % HISTORY] = a;
}

/* A recent start plus 0 to @jitter - 1 pages, or 0 if none. */
static unsigned long recent_start(unsigned long jitter)
{
	unsigned int n = nstarts < HISTORY ? nstarts : HISTORY;
	unsigned long a;

	if (!n)
		return 0;
	a = starts[below(n)];
	return a + below(jitter) * PAGE;
}

/* An address: recent boundaries, the arena, misaligned, or invalid. */
static unsigned long pick_addr(void)
{
	static const unsigned long invalid[] = {
		0xffff800000000000UL, 0xfffffffffffff000UL, 1UL << 47,
		0x8000000000000000UL,
	};
	unsigned long r = below(100), a;

	if (r < 55 && nhistory) {
		unsigned int n = nhistory < HISTORY ? nhistory : HISTORY;

		a = history[below(n)];
		if (chance(25))
			a += (below(5) - 2) * PAGE;
	} else if (r < 85) {
		a = ARENA + below(HOT / PAGE) * PAGE;
	} else if (r < 93) {
		a = ARENA + below(ARENA_SIZE / PAGE) * PAGE;
	} else if (r < 97) {
		a = ARENA + below(HOT / PAGE) * PAGE;
		a += 1 + below(PAGE - 1);
	} else {
		a = invalid[below(sizeof(invalid) / sizeof(invalid[0]))];
	}
	return a;
}

/* The start of a call on existing mappings: mostly a recent boundary. */
static unsigned long pick_target(void)
{
	unsigned long a = chance(60) ? recent_start(2) : 0;

	return a ? a : pick_addr();
}

/* A special length: zero, or one that overflows. */
static int special_len(unsigned long len)
{
	return len == 0 || len > WIN_HI - WIN_LO;
}

/*
 * A length for a range at @a: mostly a few pages; sometimes zero,
 * unaligned or overflowing.  A range that starts below the window's end
 * ends in it.  The overflowing lengths wrap around for any address above
 * 1 MB, so every call rejects them: a huge length that does not wrap
 * (1 << 63, say) would make madvise() and mprotect() act on every mapping
 * above the arena, the program's stack among them.
 */
static unsigned long pick_len(unsigned long a)
{
	static const unsigned long overflow[] = {
		~0UL, ~0UL - PAGE + 1, -(2 * PAGE), -(1UL << 20),
	};
	unsigned long r = below(100), len;

	if (r < 75)
		len = (1 + below(8)) * PAGE;
	else if (r < 85)
		len = (9 + below(56)) * PAGE;
	else if (r < 88)
		len = (65 + below(448)) * PAGE;
	else if (r < 89)
		len = (513 + below(3584)) * PAGE;
	else if (r < 94)
		len = (1 + below(8)) * PAGE - 1 - below(PAGE - 1);
	else if (r < 97)
		len = 0;
	else
		len = overflow[below(sizeof(overflow) / sizeof(overflow[0]))];
	if (a < WIN_HI && !special_len(len) && a + len > WIN_HI)
		len = (WIN_HI - a) & ~(PAGE - 1);
	return len;
}

static const char *prot_str(char *b, int prot)
{
	static const char *const names[] = { "R", "W", "X", "SEM" };
	int n = 0;

	b[0] = '\0';
	if (!prot)
		return strcpy(b, "NONE");
	for (int i = 0; i < 4; i++)
		if (prot & (1 << i))
			n += sprintf(b + n, "%s%s", n ? "|" : "", names[i]);
	if (prot & PROT_GROWSDOWN)
		n += sprintf(b + n, "%sGROWSDOWN", n ? "|" : "");
	if (prot & PROT_GROWSUP)
		n += sprintf(b + n, "%sGROWSUP", n ? "|" : "");
	prot &= ~(0xf | PROT_GROWSDOWN | PROT_GROWSUP);
	if (prot)
		sprintf(b + n, "%s%#x", n ? "|" : "", prot);
	return b;
}

static int pick_prot(void)
{
	static const int good[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
		PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE,
	};
	static const int bad[] = {
		PROT_READ | 0x10, PROT_READ | PROT_WRITE | PROT_GROWSDOWN,
		PROT_READ | PROT_GROWSUP, 0x80000000, PROT_READ | PROT_SEM,
		PROT_READ | PROT_WRITE | 0x40,
	};

	if (chance(6))
		return bad[below(sizeof(bad) / sizeof(bad[0]))];
	return good[below(sizeof(good) / sizeof(good[0]))];
}

static const struct {
	int flag;
	const char *name;
} map_flags[] = {
	{ MAP_FIXED, "FIXED" }, { MAP_ANONYMOUS, "ANON" },
	{ MAP_32BIT, "32BIT" }, { MAP_GROWSDOWN, "GROWSDOWN" },
	{ MAP_DENYWRITE, "DENYWRITE" }, { MAP_EXECUTABLE, "EXECUTABLE" },
	{ MAP_LOCKED, "LOCKED" }, { MAP_NORESERVE, "NORESERVE" },
	{ MAP_POPULATE, "POPULATE" }, { MAP_NONBLOCK, "NONBLOCK" },
	{ MAP_STACK, "STACK" }, { MAP_HUGETLB, "HUGETLB" },
	{ MAP_SYNC, "SYNC" }, { MAP_FIXED_NOREPLACE, "FIXED_NOREPLACE" },
};

static const char *mflags_str(char *b, int flags)
{
	static const char *const type[] = {
		"NOTYPE", "SHARED", "PRIVATE", "SHARED_VALIDATE",
	};
	int n = sprintf(b, "%s", type[flags & 3]);

	flags &= ~3;
	for (unsigned int i = 0; i < sizeof(map_flags) / sizeof(map_flags[0]); i++) {
		if (flags & map_flags[i].flag) {
			n += sprintf(b + n, "|%s", map_flags[i].name);
			flags &= ~map_flags[i].flag;
		}
	}
	if (flags)
		sprintf(b + n, "|%#x", flags);
	return b;
}

/* The fd of a mapping: -1 (anonymous), the memfd, this program, or bad. */
static int pick_fd(int anon)
{
	unsigned long r = below(100);

	if (anon)
		return r < 95 ? -1 : memfd;	/* the fd is ignored */
	if (r < 55)
		return memfd;
	if (r < 95)
		return exefd;
	return r < 97 ? 99 : -1;
}

static const char *fd_str(char *b, int fd)
{
	if (fd == memfd)
		return strcpy(b, "memfd");
	if (fd == exefd)
		return strcpy(b, "exe");
	sprintf(b, "%d", fd);
	return b;
}

static void unmap_out(void *p, unsigned long len)
{
	char r[64];
	long ret;

	ret = munmap(p, len);
	rec("  munmap(out, %#lx) = %s", len, int_result(r, ret, errno));
}

/* After a call returning an address: remember it, give "out" back. */
static void mapped(void *p, unsigned long len)
{
	unsigned long a = (unsigned long)p;

	if (p == MAP_FAILED)
		return;
	if (in_window(a)) {
		remember(a, 1);
		if (!special_len(len))
			remember(a + ((len + PAGE - 1) & ~(PAGE - 1)), 0);
	} else if (a < ARENA - NEAR || a >= ARENA + NEAR) {
		unmap_out(p, len);
	}
}

static void op_mmap(long n)
{
	char a[32], pr[64], fl[160], f[16], r[64];
	unsigned long addr = chance(10) ? 0 : pick_addr();
	unsigned long len = pick_len(addr), off = 0;
	int prot = pick_prot(), flags, fd, anon = chance(80), err;
	unsigned long t = below(100);
	void *p;

	if (t < 72)
		flags = MAP_PRIVATE;
	else if (t < 90)
		flags = MAP_SHARED;
	else if (t < 96)
		flags = MAP_SHARED_VALIDATE;
	else
		flags = 0;
	if (anon)
		flags |= MAP_ANONYMOUS;
	/* Never MAP_FIXED at 0: it would map over the program. */
	if (!addr)
		;
	else if (chance(40))
		flags |= MAP_FIXED;
	else if (chance(15))
		flags |= MAP_FIXED_NOREPLACE;
	if (chance(8))
		flags |= MAP_POPULATE;
	if (chance(8))
		flags |= MAP_NORESERVE;
	if (chance(6))
		flags |= MAP_GROWSDOWN;
	if (chance(3))
		flags |= MAP_LOCKED;
	if (chance(3))
		flags |= MAP_STACK;
	if (chance(4)) {
		static const int bad[] = {
			MAP_SYNC, 0x800000, 0x4000000, MAP_32BIT, MAP_NONBLOCK,
			MAP_DENYWRITE | MAP_EXECUTABLE,
		};
		flags |= bad[below(sizeof(bad) / sizeof(bad[0]))];
	}
	fd = pick_fd(anon);
	if (!anon)
		off = below(24) * PAGE;
	if (chance(3))
		off = chance(50) ? 100 : 1UL << 62;
	errno = 0;
	p = mmap((void *)addr, len, prot, flags, fd, off);
	err = errno;
	rec("#%ld mmap(%s, %#lx, %s, %s, %s, %#lx) = %s", n, addr_str(a, addr),
	    len, prot_str(pr, prot), mflags_str(fl, flags), fd_str(f, fd), off,
	    addr_result(r, p, err));
	mapped(p, len);
}

static void op_munmap(long n)
{
	char a[32], r[64];
	unsigned long addr = pick_target(), len = pick_len(addr);
	long ret;
	int err;

	errno = 0;
	ret = munmap((void *)addr, len);
	err = errno;
	rec("#%ld munmap(%s, %#lx) = %s", n, addr_str(a, addr), len,
	    int_result(r, ret, err));
}

static const char *rflags_str(char *b, int flags)
{
	int n = 0;

	b[0] = '\0';
	if (!flags)
		return strcpy(b, "0");
	if (flags & MREMAP_MAYMOVE)
		n += sprintf(b + n, "%sMAYMOVE", n ? "|" : "");
	if (flags & MREMAP_FIXED)
		n += sprintf(b + n, "%sFIXED", n ? "|" : "");
	if (flags & MREMAP_DONTUNMAP)
		n += sprintf(b + n, "%sDONTUNMAP", n ? "|" : "");
	flags &= ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP);
	if (flags)
		sprintf(b + n, "%s%#x", n ? "|" : "", flags);
	return b;
}

static void op_mremap(long n)
{
	static const int combos[] = {
		0, 0, 0, MREMAP_MAYMOVE, MREMAP_MAYMOVE, MREMAP_MAYMOVE,
		MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_MAYMOVE | MREMAP_FIXED,
		MREMAP_MAYMOVE | MREMAP_FIXED,
		MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
		MREMAP_FIXED, MREMAP_DONTUNMAP, MREMAP_FIXED | MREMAP_DONTUNMAP,
		8, MREMAP_MAYMOVE | 0x10,
	};
	char a[32], na[32], fl[64], r[64];
	unsigned long old = pick_target(), old_len = pick_len(old);
	unsigned long new_len, new_addr = 0;
	int flags = combos[below(sizeof(combos) / sizeof(combos[0]))], err;
	void *p;

	new_len = chance(15) ? old_len : pick_len(old);
	if (flags & MREMAP_DONTUNMAP && chance(75))
		new_len = old_len;
	if (flags & MREMAP_FIXED) {
		unsigned long t = below(100);

		if (t < 12)
			new_addr = old;			/* onto itself */
		else if (t < 25)
			new_addr = old + (below(9) - 4) * PAGE;	/* overlapping */
		else
			new_addr = pick_addr();
		if (new_addr < WIN_HI && !special_len(new_len) &&
		    new_addr + new_len > WIN_HI)
			new_len = (WIN_HI - new_addr) & ~(PAGE - 1);
	} else if (chance(10)) {
		new_addr = pick_addr();	/* ignored without MREMAP_FIXED */
	}
	errno = 0;
	p = mremap((void *)old, old_len, new_len, flags, (void *)new_addr);
	err = errno;
	rec("#%ld mremap(%s, %#lx, %#lx, %s, %s) = %s", n, addr_str(a, old),
	    old_len, new_len, rflags_str(fl, flags), addr_str(na, new_addr),
	    addr_result(r, p, err));
	mapped(p, new_len);
}

static void op_mprotect(long n)
{
	char a[32], pr[64], r[64];
	unsigned long addr = pick_target(), len = pick_len(addr);
	int prot = pick_prot();
	long ret;
	int err;

	if (chance(5))
		prot |= chance(50) ? PROT_GROWSDOWN : PROT_GROWSUP;
	errno = 0;
	ret = mprotect((void *)addr, len, prot);
	err = errno;
	rec("#%ld mprotect(%s, %#lx, %s) = %s", n, addr_str(a, addr), len,
	    prot_str(pr, prot), int_result(r, ret, err));
}

static const struct {
	int advice;
	const char *name;
} advices[] = {
	{ MADV_NORMAL, "NORMAL" }, { MADV_RANDOM, "RANDOM" },
	{ MADV_SEQUENTIAL, "SEQUENTIAL" }, { MADV_WILLNEED, "WILLNEED" },
	{ MADV_DONTNEED, "DONTNEED" }, { MADV_DONTNEED, "DONTNEED" },
	{ MADV_FREE, "FREE" }, { MADV_FREE, "FREE" },
	{ MADV_REMOVE, "REMOVE" }, { MADV_DONTFORK, "DONTFORK" },
	{ MADV_DOFORK, "DOFORK" }, { MADV_MERGEABLE, "MERGEABLE" },
	{ MADV_UNMERGEABLE, "UNMERGEABLE" }, { MADV_HUGEPAGE, "HUGEPAGE" },
	{ MADV_NOHUGEPAGE, "NOHUGEPAGE" }, { MADV_DONTDUMP, "DONTDUMP" },
	{ MADV_DODUMP, "DODUMP" }, { MADV_WIPEONFORK, "WIPEONFORK" },
	{ MADV_WIPEONFORK, "WIPEONFORK" }, { MADV_KEEPONFORK, "KEEPONFORK" },
	{ MADV_COLD, "COLD" }, { MADV_PAGEOUT, "PAGEOUT" },
	{ MADV_PAGEOUT, "PAGEOUT" }, { MADV_POPULATE_READ, "POPULATE_READ" },
	{ MADV_POPULATE_WRITE, "POPULATE_WRITE" },
	{ MADV_DONTNEED_LOCKED, "DONTNEED_LOCKED" },
	/* invalid on 6.12 */
	{ 5, "5" }, { 19, "19" }, { 99, "99" }, { 102, "102" }, { -1, "-1" },
};

static void op_madvise(long n)
{
	char a[32], r[64];
	unsigned long addr = pick_target(), len = pick_len(addr);
	unsigned int i = below(sizeof(advices) / sizeof(advices[0]));
	long ret;
	int err;

	errno = 0;
	ret = madvise((void *)addr, len, advices[i].advice);
	err = errno;
	rec("#%ld madvise(%s, %#lx, %s) = %s", n, addr_str(a, addr), len,
	    advices[i].name, int_result(r, ret, err));
}

static const char *brk_str(char *b, unsigned long v)
{
	if (v >= brk0)
		sprintf(b, "B+%#lx", v - brk0);
	else
		sprintf(b, "B-%#lx", brk0 - v);
	return b;
}

/* brk(): grow, shrink (never below the break at start), query, below. */
static void op_brk(long n)
{
	char a[32], r[32];
	unsigned long t = below(100), target;
	long ret;

	if (t < 40) {
		target = brk0 + below(2048) * PAGE;
		if (chance(50))
			target += below(PAGE);	/* unaligned */
	} else if (t < 65)
		target = brk0 + below(16) * PAGE;
	else if (t < 75)
		target = brk0;
	else if (t < 85)
		target = 0;
	else
		target = brk0 / 2;	/* below the heap's start */
	ret = syscall(SYS_brk, target);
	if (!target)
		strcpy(a, "0");
	else if (target == brk0 / 2)
		strcpy(a, "below the heap");	/* depends on the layout */
	else
		brk_str(a, target);
	rec("#%ld brk(%s) = %s", n, a, brk_str(r, ret));
}

static void op_truncate(long n)
{
	char r[64];
	unsigned long len = below(32) * PAGE;
	long ret;

	errno = 0;
	ret = ftruncate(memfd, len);
	rec("#%ld ftruncate(memfd, %#lx) = %s", n, len,
	    int_result(r, ret, errno));
}

static void on_fault(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_env, 1);
}

/* The byte of each page that touches read and write. */
#define TOUCH_OFFSET	0x80

/*
 * Read, write, or read and write one byte at the same offset of 1 to 4
 * consecutive pages: faults them in, and what a later touch reads tells
 * whether the data survived (or was zeroed, copied, moved, shared) as it
 * should.  The bytes read are recorded, then "SIGSEGV at page N" or
 * "SIGBUS at page N" if a page faulted (the pages after it untouched).
 */
static void op_touch(long n)
{
	static const char *const modes[] = { "r", "w", "rw" };
	char a[32], got[4 * 3 + 1], sig[32] = "";
	unsigned long pages = 1 + below(4), start;
	unsigned int mode = below(3);
	unsigned char val = (unsigned char)(n | 1);
	/* volatile: kept across the siglongjmp() of a fault */
	volatile unsigned long addr, i;
	volatile int len = 0;

	start = chance(85) ? recent_start(3) : 0;
	if (!start)
		start = ARENA + below(HOT / PAGE) * PAGE;
	addr = start & ~(PAGE - 1);
	got[0] = '\0';
	fault_sig = 0;
	i = 0;
	if (sigsetjmp(fault_env, 1) == 0) {
		for (; i < pages; i++) {
			volatile unsigned char *p;

			p = (volatile unsigned char *)(addr + i * PAGE + TOUCH_OFFSET);
			if (mode != 1)
				len += sprintf(got + len, " %02x", *p);
			if (mode != 0)
				*p = val;
		}
	}
	if (fault_sig)
		sprintf(sig, " %s at page %lu",
			fault_sig == SIGSEGV ? "SIGSEGV" : "SIGBUS", i);
	rec("#%ld touch(%s, %lu, %s %#x) =%s%s", n, addr_str(a, addr), pages,
	    modes[mode], val, mode == 1 ? "" : got,
	    fault_sig ? sig : (mode == 1 ? " 0" : ""));
}

/* Read the anon_space verifier's file: it checks this mm (patched only). */
static void verify(void)
{
	static char buf[4096];

	if (access(DBG "/verify", R_OK) == 0)
		read_file(DBG "/verify", buf, sizeof(buf));
}

/*
 * A run of private anonymous VMAs with the same permissions that touch:
 * one range in the records.  Where the kernel splits such a run into VMAs
 * depends on vm_pgoff (two anonymous VMAs merge only if their offsets
 * continue), which the series changes on purpose; so each VMA of the run
 * is recorded as a "vma" line, which scripts/uml-sysdiff.sh counts but
 * does not compare, and the run as one line, which it compares.
 */
static struct {
	unsigned long start, end;
	char perms[8], flags[128];
	const char *name;
	int open;
} run_of_anon;

static const char *pos_str(char *b, unsigned long a, int heap)
{
	return heap ? brk_str(b, a) : addr_str(b, a);
}

static void flush_anon(void)
{
	char sa[32], ea[32];
	int heap = !strcmp(run_of_anon.name, "[heap]");

	if (!run_of_anon.open)
		return;
	rec("  %s-%s %s %s %s", pos_str(sa, run_of_anon.start, heap),
	    pos_str(ea, run_of_anon.end, heap), run_of_anon.perms,
	    run_of_anon.name, run_of_anon.flags);
	run_of_anon.open = 0;
}

/* One VMA of /proc/self/smaps: its maps line and its VmFlags. */
static void snapshot_vma(char *line, const char *flags)
{
	unsigned long start, end, pgoff, inode;
	unsigned int major, minor;
	char perms[8], sa[32], ea[32], *name;
	int pos = 0, heap, anon;

	if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &start, &end, perms,
		   &pgoff, &major, &minor, &inode, &pos) < 7)
		return;
	name = line + pos;
	heap = !strcmp(name, "[heap]");
	if (!heap && (end <= WIN_LO || start >= WIN_HI))
		return;
	if (!strcmp(name, exe_path))
		name = "[exe]";
	else if (!*name)
		name = "[anon]";
	/* private, no file: the VMAs the series gives offsets to */
	anon = !inode && perms[3] == 'p' && (heap || !strcmp(name, "[anon]"));
	if (!anon) {
		flush_anon();
		rec("  %s-%s %s %s %s", addr_str(sa, start), addr_str(ea, end),
		    perms, name, flags);
		return;
	}
	rec("  vma %s-%s %s", pos_str(sa, start, heap), pos_str(ea, end, heap),
	    perms);
	if (run_of_anon.open && run_of_anon.end == start &&
	    !strcmp(run_of_anon.perms, perms) &&
	    !strcmp(run_of_anon.flags, flags) &&
	    !strcmp(run_of_anon.name, heap ? "[heap]" : "[anon]")) {
		run_of_anon.end = end;
		return;
	}
	flush_anon();
	run_of_anon.start = start;
	run_of_anon.end = end;
	strcpy(run_of_anon.perms, perms);
	snprintf(run_of_anon.flags, sizeof(run_of_anon.flags), "%s", flags);
	run_of_anon.name = heap ? "[heap]" : "[anon]";
	run_of_anon.open = 1;
}

/* "start-end perms ...": hex digits, a dash, hex digits, a space. */
static int is_vma_line(const char *line)
{
	size_t n = strspn(line, "0123456789abcdef");

	return n && line[n] == '-' &&
	       line[n + 1 + strspn(line + n + 1, "0123456789abcdef")] == ' ';
}

/*
 * The mappings that meet the window, and the heap, from /proc/self/smaps:
 * the maps columns but offset, device and inode, and the VmFlags.
 */
static void snapshot(const char *why)
{
	char *line, *next, *vma = NULL;
	int ret;

	verify();
	ret = read_file("/proc/self/smaps", maps_buf, sizeof(maps_buf));
	rec("maps %s%s", why, ret ? " unreadable" : "");
	if (ret)
		return;
	run_of_anon.open = 0;
	for (line = maps_buf; *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			break;
		*next++ = '\0';
		if (!strncmp(line, "VmFlags:", 8)) {
			char *flags = line + 8;

			while (*flags == ' ')
				flags++;
			while (*flags && flags[strlen(flags) - 1] == ' ')
				flags[strlen(flags) - 1] = '\0';
			if (vma)
				snapshot_vma(vma, flags);
			vma = NULL;
		} else if (is_vma_line(line)) {
			vma = line;
		}
	}
	flush_anon();
}

static void run(long calls, int is_child);

/* fork(): the child runs a short sequence of its own, the parent waits. */
static void op_fork(long n)
{
	uint64_t child_seed = rnd();
	long child_calls = 4 + below(28);
	char r[64];
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		rec("#%ld fork() = %s", n, int_result(r, -1, errno));
		return;
	}
	if (pid == 0) {
		sprintf(tag + strlen(tag), ".%ld", n);
		depth++;
		seed_rng(child_seed);
		run(child_calls, 1);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		rec("#%ld fork(%ld calls) = child exit %d", n, child_calls,
		    WEXITSTATUS(status));
	else
		rec("#%ld fork(%ld calls) = child signal %d", n, child_calls,
		    WTERMSIG(status));
}

static void run(long calls, int is_child)
{
	for (long n = 1; n <= calls; n++) {
		unsigned long r = below(100);

		if (r < 24)
			op_mmap(n);
		else if (r < 30)
			op_munmap(n);
		else if (r < 42)
			op_mremap(n);
		else if (r < 49)
			op_mprotect(n);
		else if (r < 60)
			op_madvise(n);
		else if (r < 64)
			op_brk(n);
		else if (r < 65)
			op_truncate(n);
		else if (r < 67 && depth < MAX_DEPTH)
			op_fork(n);
		else
			op_touch(n);
		if (!is_child && n % every == 0 && n < calls) {
			char why[32];

			sprintf(why, "after %ld", n);
			snapshot(why);
		}
	}
	snapshot(is_child ? "at exit" : "at the end");
}

/* The worker: set up, check the window is free, run, end the records. */
static int worker(unsigned long seed, long calls)
{
	struct sigaction sa = { .sa_handler = on_fault };
	void *p;
	ssize_t n;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	brk0 = syscall(SYS_brk, 0);
	n = readlink("/proc/self/exe", exe_path, sizeof(exe_path) - 1);
	exe_path[n > 0 ? n : 0] = '\0';
	exefd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	memfd = memfd_create("sysdiff", MFD_CLOEXEC);
	if (exefd < 0 || memfd < 0 || ftruncate(memfd, 16 * PAGE)) {
		fail("opening the program or a memfd: %s", strerror(errno));
		return 1;
	}
	/* The window must be free: reserve it, then give it back. */
	p = mmap((void *)WIN_LO, WIN_HI - WIN_LO, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)WIN_LO) {
		fail("the window %#lx-%#lx is not free: %s", WIN_LO, WIN_HI,
		     p == MAP_FAILED ? strerror(errno) : "mapped elsewhere");
		return 1;
	}
	munmap(p, WIN_HI - WIN_LO);
	seed_rng(seed);
	rec("#begin seed %lu calls %ld every %ld arena %#lx", seed, calls,
	    every, ARENA);
	snapshot("at start");
	run(calls, 0);
	rec("#end");
	return 0;
}

static void usage(void)
{
	fail("usage: sysdiff [-o FILE] [-e EVERY] SEED CALLS");
}

int main(int argc, char **argv)
{
	int init = guest_init("sysdiff");
	const char *out = NULL;
	unsigned long seed;
	long calls;
	char buf[8192];
	int opt, status;
	pid_t pid;

	while ((opt = getopt(argc, argv, "o:e:")) != -1) {
		if (opt == 'o') {
			out = optarg;
		} else if (opt == 'e' && atol(optarg) > 0) {
			every = atol(optarg);
		} else {
			usage();
			return guest_finish(init);
		}
	}
	if (argc - optind != 2) {
		usage();
		return guest_finish(init);
	}
	seed = strtoul(argv[optind], NULL, 0);
	calls = atol(argv[optind + 1]);
	if (out) {
		out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0644);
		if (out_fd < 0) {
			fail("opening %s: %s", out, strerror(errno));
			return guest_finish(init);
		}
	}
	printf("sysdiff: seed %lu, %ld calls\n", seed, calls);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return guest_finish(init);
	}
	if (pid == 0)
		_exit(worker(seed, calls));
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status)) {
		printf("sysdiff: worker exit %d\n", WEXITSTATUS(status));
		if (WEXITSTATUS(status))
			fail("the worker failed");
	} else {
		printf("sysdiff: worker signal %d\n", WTERMSIG(status));
		fail("the worker was killed by signal %d", WTERMSIG(status));
	}
	if (out)
		fsync(out_fd);
	if (read_file(DBG "/stats", buf, sizeof(buf)) == 0) {
		printf("sysdiff: anon_space walks %ld rmap_checked %ld collisions %ld mismatches %ld\n",
		       field(buf, "walks"), field(buf, "rmap_checked"),
		       field(buf, "collisions"), field(buf, "mismatches"));
		if (field(buf, "mismatches") != 0)
			fail("the verifier counted mismatches");
	}
	return guest_finish(init);
}
