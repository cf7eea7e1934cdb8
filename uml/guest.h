/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the programs booted as init on the UML kernels share (the C files
 * of uml/): error reports, reading the kernel's counters from procfs and
 * debugfs, swap on ubd0, the bits of /proc/PID/pagemap, a clock and a
 * control for the timings.  Each includes it once.
 */
#ifndef ANON_SPACE_UML_GUEST_H
#define ANON_SPACE_UML_GUEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define DBG "/sys/kernel/debug/anon_space"
#define PM_PRESENT (1ULL << 63)		/* /proc/PID/pagemap */
#define PM_SWAPPED (1ULL << 62)
#define PM_PFN(e)  ((e) & ((1ULL << 55) - 1))	/* bits 0-54: the page frame */

/* The program's name, for its messages. */
static const char *guest_name;
static int failures;

/* Report an error ("<name>: error: ..."); the run fails at the end. */
static inline void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s: error: ", guest_name);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	failures++;
}

/* Read @path into @buf (NUL-terminated); 0 or -errno. */
static inline int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return n < 0 ? -errno : 0;
}

/* The number after "name " (or "name: ") at the start of a line, or -1. */
static inline long field(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p = text;

	while ((p = strstr(p, name))) {
		if ((p == text || p[-1] == '\n') &&
		    (p[len] == ' ' || p[len] == ':'))
			return strtol(p + len + 1 + (p[len] == ':'), NULL, 10);
		p += len;
	}
	return -1;
}

/*
 * Start as @name: line-buffered output; as init (returns 1), mount proc,
 * sysfs and debugfs over the host's (hostfs shows the host's own).  For
 * programs that also run on a kernel without the series.
 */
static inline int guest_init(const char *name)
{
	int init = getpid() == 1;

	guest_name = name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (init) {
		mount("proc", "/proc", "proc", 0, NULL);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	}
	return init;
}

/* guest_init(), on a kernel that must have the verifier's debugfs files. */
static inline int guest_start(const char *name)
{
	int init = guest_init(name);

	if (access(DBG "/verify", R_OK))
		fail("no " DBG "/verify: a kernel without CONFIG_DEBUG_ANON_SPACE, or debugfs not mounted");
	return init;
}

/* CLOCK_MONOTONIC in seconds (on UML a system call, as on any kernel). */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The benchmarks' control: ns per getppid() system call, over @calls of
 * them timed as one.  No patch of either kernel touches the call; on UML
 * every system call is a round trip through the host (ptrace), most of
 * what the programs' timed operations cost, and the host's speed moves
 * between boots and within one.  Taken in the same seconds as a figure,
 * it says how fast a system call was then: a figure over it leaves the
 * host's speed out and the kernel's work in (results.md, workflow.md).
 */
static inline double null_syscall_ns(int calls)
{
	double t = now();

	for (int i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return (now() - t) * 1e9 / calls;
}

/*
 * Swap on ubd0 (boot with ubd0= a file made by mkswap): its node on a
 * ramfs mounted on /tmp.  0, or -1 reported with fail().
 */
static inline int swap_on(void)
{
	char buf[64];
	unsigned int major, minor;

	if (read_file("/sys/block/ubda/dev", buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &major, &minor) != 2) {
		fail("no /sys/block/ubda/dev: boot with ubd0=<a file made by mkswap>");
		return -1;
	}
	/* A ramfs on /tmp: /dev stays the host's (hostfs), /dev/null too. */
	if (mount("none", "/tmp", "ramfs", 0, NULL)) {
		fail("mounting a ramfs on /tmp: %s", strerror(errno));
		return -1;
	}
	if (mknod("/tmp/ubda", S_IFBLK | 0600, makedev(major, minor))) {
		fail("mknod /tmp/ubda: %s", strerror(errno));
		return -1;
	}
	if (swapon("/tmp/ubda", 0)) {
		fail("swapon /tmp/ubda: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Print "<name>: PASS" or "<name>: FAIL (N errors)"; as init, power the
 * machine off.  Returns the exit status otherwise.
 */
static inline int guest_finish(int init)
{
	if (failures)
		printf("%s: FAIL (%d errors)\n", guest_name, failures);
	else
		printf("%s: PASS\n", guest_name);
	fflush(stdout);
	if (init) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return failures ? 1 : 0;
}

#endif
