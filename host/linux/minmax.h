/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: min()/max() come from tools/include/linux/kernel.h. */
#include <linux/kernel.h>
