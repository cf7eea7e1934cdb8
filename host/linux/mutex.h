/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: struct mutex on top of a pthread mutex, with a held check. */
#ifndef _HOST_LINUX_MUTEX_H
#define _HOST_LINUX_MUTEX_H

#include <assert.h>
#include <pthread.h>

struct mutex {
	pthread_mutex_t m;
	int held;
};

#define mutex_init(l)		(pthread_mutex_init(&(l)->m, NULL), (l)->held = 0)
#define mutex_destroy(l)	pthread_mutex_destroy(&(l)->m)
#define mutex_lock(l)		(pthread_mutex_lock(&(l)->m), (l)->held = 1)
#define mutex_unlock(l)		((l)->held = 0, pthread_mutex_unlock(&(l)->m))
#define lockdep_assert_held(l)	assert((l)->held)

#endif /* _HOST_LINUX_MUTEX_H */
