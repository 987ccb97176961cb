# healthkiosk: one Makefile for the programs, the tests, the benchmarks and the install.
#
#   make            every program into build/bin/
#   make test       install missing test packages, build with ASan+UBSan, run every suite
#   make test-rootfs  rootfs/install.sh into debootstrapped Debian 12 roots (root, network)
#   make run        install missing packages, build, start the demo station (tests/demo/run.sh)
#   make bench      benchmarks, figures to stdout and docs/ (COUNT=N: crash-consistency check-ins)
#   make fuzz       long libFuzzer runs (clang)
#   make install    PREFIX=/usr/local DESTDIR=
#   make format     clang-format every C file; make format-check is what CI runs
#
# Cross build for the Pi: make CC=aarch64-linux-gnu-gcc PKG_CONFIG=aarch64-linux-gnu-pkg-config

CC          ?= cc
PKG_CONFIG  ?= pkg-config
PREFIX      ?= /usr/local
DESTDIR     ?=
BUILD       ?= build
V           ?= 0
Q           := $(if $(filter 1,$(V)),,@)

PKGS        := sdl2 SDL2_ttf libqrencode zbar sqlite3 libcrypto jansson libcurl libmicrohttpd libpng \
               libpq zlib libcbor
TEST_PKGS   := cmocka

# Evaluated once per make invocation, and only when a target needs them (so `make deps`
# works on a machine without the -dev packages).
pkg_cflags   = $(eval pkg_cflags := $$(shell $(PKG_CONFIG) --cflags $(PKGS)))$(pkg_cflags)
pkg_libs     = $(eval pkg_libs := $$(shell $(PKG_CONFIG) --libs $(filter-out $(LAZY_PKGS),$(PKGS))))$(pkg_libs)
test_cflags  = $(eval test_cflags := $$(shell $(PKG_CONFIG) --cflags $(TEST_PKGS)))$(test_cflags)
test_libs    = $(eval test_libs := $$(shell $(PKG_CONFIG) --libs $(TEST_PKGS)))$(test_libs)

WARN        := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
               -Wformat=2 -Wvla
CFLAGS      ?= -O2 -g
SAN_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=all
ALL_CFLAGS   = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -I. $(pkg_cflags)
# libcurl, libcups and SDL2_ttf are not linked: app/sync/client.c, drivers/printer/transport.c
# and drivers/fonts/ttf.c open them at first use (lib_open in app/sys/sys.h), which keeps
# them and their dependencies off the start-up path (docs/performance.md). Their headers
# still come from the -dev packages.
LAZY_PKGS   := libcurl SDL2_ttf
LDLIBS_ALL   = -Wl,--as-needed $(pkg_libs) -lm -lpthread

# Sources: every .c under these folders goes into one static library; each program is
# the .c files of its own folder linked against it.
LIB_DIRS    := app/core app/sys app/store app/sync app/district app/service app/ui drivers/camera drivers/scanner drivers/fonts \
               drivers/printer drivers/board
LIB_SRC     := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
PROGRAMS    := $(notdir $(patsubst %/,%,$(dir $(wildcard app/kiosk/*.c app/stationd/*.c app/stationctl/*.c \
                 app/districtctl/*.c))))
PROGRAMS    := $(sort $(PROGRAMS))
UNIT_SRC    := $(wildcard tests/unit/test_*.c)

# ZXing-cpp, the camera pipeline's optional second QR engine (Debian: libzxing-dev), as a
# plugin, lib/healthkiosk/zxing.so beside bin/, that drivers/camera/zxing.c opens when a
# camera first decodes (ZXing and the C++ runtime stay off the start-up path): built when
# pkg-config finds zxing; `make ZXING=0` builds with zbar alone.
ZXING       ?= $(if $(shell $(PKG_CONFIG) --exists zxing 2>/dev/null && echo y),1,0)
CXX         ?= c++
CXXFLAGS    ?= -O2 -g
ALL_CXXFLAGS = -std=c++17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow $(CXXFLAGS) -I. \
               -fPIC -fvisibility=hidden $(patsubst -I%,-isystem %,$(pkg_cflags))
PLUGINS     :=
ifeq ($(ZXING),1)
PKGS        += zxing
LAZY_PKGS   += zxing
PLUGINS     := zxing.so
endif
zxing_libs   = $(eval zxing_libs := $$(shell $(PKG_CONFIG) --libs zxing))$(zxing_libs)
TOOL_SRC    := $(wildcard tests/tools/*.c)

# Two configurations share the rules below: the release build in $(BUILD)/ and the
# sanitizer build for tests in $(BUILD)/san/.
define config
$(1)/obj/%.o: %.c
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$$(CC) $$(ALL_CFLAGS) $(2) -MMD -MP -c $$< -o $$@

$(1)/obj/%.o: %.cpp
	@mkdir -p $$(dir $$@)
	@echo "  CXX     $$@"
	$(Q)$$(CXX) $$(ALL_CXXFLAGS) $(2) -MMD -MP -c $$< -o $$@

$(1)/libhk.a: $$(LIB_SRC:%.c=$(1)/obj/%.o)
	@mkdir -p $$(dir $$@)
	@echo "  AR      $$@"
	$(Q)rm -f $$@ && $$(AR) rcs $$@ $$^

$(1)/bin/%: $(1)/libhk.a $$$$(addprefix $(1)/obj/,$$$$(addsuffix .o,$$$$(basename $$$$(wildcard app/$$$$*/*.c))))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$$(CC) $(2) -o $$@ $$(filter %.o,$$^) $(1)/libhk.a $$(LDLIBS_ALL)

$(1)/lib/healthkiosk/zxing.so: $(1)/obj/drivers/camera/zxing_plugin.o
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$$(CXX) $(2) -shared -o $$@ $$< $$(zxing_libs)

$(1)/tools/%: $(1)/obj/tests/tools/%.o $(1)/libhk.a
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$$(CC) $(2) -o $$@ $$< $(1)/libhk.a $$(LDLIBS_ALL)

-include $$(shell find $(1)/obj -name '*.d' 2>/dev/null)
endef

.SECONDEXPANSION:
.SECONDARY:
$(eval $(call config,$(BUILD),))
$(eval $(call config,$(BUILD)/san,$(SAN_FLAGS)))

$(BUILD)/san/tests/%: $(BUILD)/san/obj/tests/unit/%.o $(BUILD)/san/libhk.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $< $(BUILD)/san/libhk.a $(LDLIBS_ALL) $(test_libs)

$(BUILD)/san/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(test_cflags) $(SAN_FLAGS) -MMD -MP -c $< -o $@

.PHONY: all test check run bench fuzz install clean format format-check deps deps-test \
        san-programs test-rootfs
.DEFAULT_GOAL := all

all: $(PROGRAMS:%=$(BUILD)/bin/%) $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%) \
     $(PLUGINS:%=$(BUILD)/lib/healthkiosk/%)

deps:
	@rootfs/install-deps.sh build
deps-test:
	@rootfs/install-deps.sh build test run

san-programs: $(PROGRAMS:%=$(BUILD)/san/bin/%) $(TOOL_SRC:tests/tools/%.c=$(BUILD)/san/tools/%) \
              $(PLUGINS:%=$(BUILD)/san/lib/healthkiosk/%)
san-tests: $(UNIT_SRC:tests/unit/%.c=$(BUILD)/san/tests/%) $(PLUGINS:%=$(BUILD)/san/lib/healthkiosk/%)

# `make test` installs what is missing, then builds and runs in a fresh make so that
# pkg-config sees the packages just installed.
test: deps-test
	@$(MAKE) --no-print-directory check

check: san-programs san-tests all
	@BUILD=$(BUILD) tests/run.sh

# rootfs/install.sh for real (apt included) into Debian 12 roots made by debootstrap; needs
# root and the Debian mirror, takes 1-2 minutes (the debootstrap root is cached in $(BUILD)/).
test-rootfs: deps-test
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bash tests/rootfs/test_chroot.sh

run: deps-test
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tests/demo/run.sh

bench: deps-test
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) $(if $(COUNT),CRASH_COUNT=$(COUNT)) tests/bench/run.sh

fuzz: deps-test
	@BUILD=$(BUILD) tests/fuzz/run.sh long

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/healthkiosk
	$(if $(PROGRAMS),install -m 0755 $(PROGRAMS:%=$(BUILD)/bin/%) $(DESTDIR)$(PREFIX)/bin/)
	$(if $(PLUGINS),install -d $(DESTDIR)$(PREFIX)/lib/healthkiosk)
	$(if $(PLUGINS),install -m 0644 $(PLUGINS:%=$(BUILD)/lib/healthkiosk/%) $(DESTDIR)$(PREFIX)/lib/healthkiosk/)
	$(if $(wildcard assets/.),cp -R assets/. $(DESTDIR)$(PREFIX)/share/healthkiosk/)

clean:
	rm -rf $(BUILD)

C_FILES = $(shell git ls-files '*.c' '*.h' '*.cpp' 2>/dev/null)
format:
	clang-format -i $(C_FILES)
format-check:
	clang-format --dry-run --Werror $(C_FILES)
