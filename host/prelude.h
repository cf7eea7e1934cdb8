/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim: force-included before every kernel source built here, like
 * tools/testing/shared/maple-shared.h is for the maple tree: the userspace
 * versions of the basic kernel headers, in the order they need.
 */
#ifndef _HOST_PRELUDE_H
#define _HOST_PRELUDE_H
#include "shared.h"
#endif
