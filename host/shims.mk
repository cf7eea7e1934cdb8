# SPDX-License-Identifier: GPL-2.0
#
# Shared by host/Makefile (the anon_index suite under Valgrind) and
# bench/Makefile (the allocator benchmarks): how mm/anon_index.c and
# lib/maple_tree.c from KDIR build as host objects with this directory's shims
# (prelude.h, kunit/, linux/) and the kernel's tools/testing/shared ones.
#
# In:  KDIR, O (required); HOST_OPT, the optimisation flags (default -O1).
# Out: CPPFLAGS, CFLAGS, LDLIBS, GEN, HDRS, COMPILE, SHIM_OBJS (anon_index.o
#      and the maple tree, its userspace shims) and the rules for them, all
#      in $(O). Nothing is written into KDIR or into this directory.

HOST_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

ifeq ($(KDIR),)
$(error KDIR=/path/to/linux is required)
endif
ifeq ($(O),)
$(error O=/path/to/outdir is required)
endif
KDIR := $(abspath $(KDIR))
O := $(abspath $(O))

CC ?= cc
SHIFT ?= 3
HOST_OPT ?= -O1
LONG_BIT := $(shell getconf LONG_BIT)

# Order matters: our shims, generated headers, then the kernel's tools ones.
CPPFLAGS := -I$(HOST_DIR) -I$(O)/gen -I$(O) \
	    -I$(KDIR)/tools/testing/shared -I$(KDIR)/tools/include \
	    -D_LGPL_SOURCE
CFLAGS := -g $(HOST_OPT) -Wall -Wno-unused-function -Wno-format-zero-length \
	  -fno-strict-aliasing
EXTRA_CFLAGS ?=
LDLIBS := -lpthread -lurcu

SHIM_OBJS := $(addprefix $(O)/,anon_index.o maple-shim.o linux.o slab.o)
GEN := $(O)/generated/map-shift.h $(O)/generated/bit-length.h \
	$(O)/generated/autoconf.h $(O)/gen/linux/anon_index.h
HDRS := $(wildcard $(HOST_DIR)/*.h $(HOST_DIR)/kunit/*.h $(HOST_DIR)/linux/*.h) \
	$(KDIR)/include/linux/anon_index.h $(KDIR)/include/linux/maple_tree.h

$(O)/generated/map-shift.h:
	@mkdir -p $(dir $@)
	echo "#define XA_CHUNK_SHIFT $(SHIFT)" > $@

$(O)/generated/bit-length.h:
	@mkdir -p $(dir $@)
	echo "#define CONFIG_$(LONG_BIT)BIT 1" > $@

$(O)/generated/autoconf.h: $(KDIR)/tools/testing/shared/autoconf.h
	@mkdir -p $(dir $@)
	cp $< $@

# <linux/anon_index.h> must come from KDIR/include without putting all of
# KDIR/include on the path (it would shadow the tools/ shims).
$(O)/gen/linux/anon_index.h:
	@mkdir -p $(dir $@)
	echo '#include "$(KDIR)/include/linux/anon_index.h"' > $@

COMPILE = $(CC) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(O)/anon_index.o: $(KDIR)/mm/anon_index.c $(HDRS) $(GEN)
	$(COMPILE) -include $(HOST_DIR)/prelude.h
$(O)/maple-shim.o: $(KDIR)/tools/testing/shared/maple-shim.c \
		   $(KDIR)/lib/maple_tree.c $(HDRS) $(GEN)
	$(COMPILE)
$(O)/linux.o: $(KDIR)/tools/testing/shared/linux.c $(GEN)
	$(COMPILE) -Wno-maybe-uninitialized
$(O)/slab.o: $(KDIR)/tools/lib/slab.c $(GEN)
	$(COMPILE)

SHIM_CLEAN := $(SHIM_OBJS) $(O)/generated $(O)/gen
