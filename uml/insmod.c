// SPDX-License-Identifier: GPL-2.0
/*
 * insmod: init for make kunit's module path (scripts/kunit-fast.sh).
 *
 * Started as init on the UML kernel (root on hostfs), with a module's path
 * and its parameters after the kernel's "--":
 *
 *	insmod MODULE.ko [PARAM=VALUE...]
 *
 * it loads the module with finit_module(); KUnit runs the module's suites
 * while it loads and prints their KTAP on the console.  Then it powers the
 * machine off, whether the load worked or not (a failed load is printed,
 * and leaves no KTAP of the module for the caller to find).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char params[4096] = "";
	size_t len = 0;
	int fd, i;

	if (argc < 2) {
		fprintf(stderr, "usage: insmod MODULE.ko [PARAM=VALUE...]\n");
		goto off;
	}
	for (i = 2; i < argc; i++) {
		int n = snprintf(params + len, sizeof(params) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			fprintf(stderr, "insmod: parameters longer than %zu bytes\n",
				sizeof(params) - 1);
			goto off;
		}
		len += n;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "insmod: %s: %s\n", argv[1], strerror(errno));
		goto off;
	}
	if (syscall(SYS_finit_module, fd, params, 0))
		fprintf(stderr, "insmod: loading %s: %s\n", argv[1], strerror(errno));
	close(fd);
off:
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
