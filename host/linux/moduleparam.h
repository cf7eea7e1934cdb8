/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: module_param() is provided by kunit/test.h. */
#include <linux/module.h>
