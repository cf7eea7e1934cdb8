// SPDX-License-Identifier: GPL-2.0
/*
 * run: boot a UML kernel with another program as the workload, on the
 * patched kernel and on the baseline without the series alike.
 *
 * Started as init (common.sh's uml_boot: rootfstype=hostfs init=...), it
 * mounts proc, sysfs and debugfs, runs "PROGRAM [ARG...]" in a child with
 * the host's PATH, waits for it and prints
 *
 *	run: exit N		(or "run: signal N")
 *	run: anon_space mismatches N collisions N rmap_walks N
 *				(only on a kernel with CONFIG_DEBUG_ANON_SPACE)
 *
 * then powers the machine off.  Unlike pressure and selfcheck it judges
 * nothing itself: the script that booted it reads those lines.
 */
#define _GNU_SOURCE
#include "guest.h"
#include <sys/wait.h>

static void print_verifier(void)
{
	char buf[8192];

	if (read_file(DBG "/stats", buf, sizeof(buf)))
		return;
	printf("run: anon_space mismatches %ld collisions %ld rmap_walks %ld\n",
	       field(buf, "mismatches"), field(buf, "collisions"),
	       field(buf, "rmap_walks"));
}

int main(int argc, char **argv)
{
	int init = guest_init("run");
	int status;
	pid_t pid;

	if (argc < 2) {
		fail("usage: run PROGRAM [ARG...]");
		return guest_finish(init);
	}
	if (init)
		setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return guest_finish(init);
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		printf("run: error: exec %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		printf("run: exit %d\n", WEXITSTATUS(status));
	else
		printf("run: signal %d\n", WTERMSIG(status));
	print_verifier();
	return guest_finish(init);
}
