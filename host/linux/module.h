/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: module metadata is dropped, parameters are in kunit/test.h. */
#ifndef _HOST_LINUX_MODULE_H
#define _HOST_LINUX_MODULE_H

#include <kunit/test.h>

#ifndef MODULE_LICENSE
#define MODULE_LICENSE(x)
#endif
#ifndef MODULE_DESCRIPTION
#define MODULE_DESCRIPTION(x)
#endif
#ifndef MODULE_AUTHOR
#define MODULE_AUTHOR(x)
#endif
#define MODULE_IMPORT_NS(ns)
#define MODULE_PARM_DESC(name, desc)

#endif /* _HOST_LINUX_MODULE_H */
