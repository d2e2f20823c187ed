# SPDX-License-Identifier: GPL-2.0
# conctrace: one non-recursive Makefile for deps, build, run, test, bench.
#   make            build conctrace, conctrace-workload, tests (objects under $(OUTPUT))
#   sudo make run   install missing Debian packages, build, run the main job
#   sudo make test  install missing packages, build, run unit and end-to-end tests
#   make V=1        show full commands; make clean; make install PREFIX=/usr/local

OUTPUT      ?= .output
BINDIR      ?= .
CLANG       ?= clang
BPFTOOL     ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
CC          ?= cc
PREFIX      ?= /usr/local
ARCH        ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
VMLINUX_H   ?=
VERSION     := 0.1.0

# -idirafter the host's system include dirs so <asm/...> resolves under -target bpf (Debian multiarch).
CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

# $(call cc_has,FLAG): FLAG if $(CC) knows it (gcc's -Wformat-truncation is unknown to clang 14).
cc_has = $(shell $(CC) -Werror $(1) -E -x c /dev/null >/dev/null 2>&1 && echo $(1))

BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH)
CFLAGS     ?= -g -O2
WARNINGS   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	      -Wno-unused-parameter $(call cc_has,-Wno-format-truncation)
CFLAGS     += -std=gnu11 -D_GNU_SOURCE $(WARNINGS) -fno-omit-frame-pointer -DCT_VERSION='"$(VERSION)"' \
	      $(EXTRA_CFLAGS)
INCLUDES   := -I$(OUTPUT) -Ibpf -Iuser -Iworkloads
LDLIBS     := $(shell pkg-config --libs libbpf libdw libelf zlib 2>/dev/null || echo -lbpf -ldw -lelf -lz) \
	      -lpthread -lm

BPF_SRCS   := $(sort $(wildcard bpf/*.bpf.c))
BPF_OBJS   := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
# user/ by stage (user/README.md): common model sym collect analysis render lab cli
USER_SRCS  := $(sort $(wildcard user/*/*.c))
USER_OBJS  := $(patsubst %.c,$(OUTPUT)/%.o,$(USER_SRCS))
LIB_OBJS   := $(filter-out $(OUTPUT)/user/cli/main.o,$(USER_OBJS))
WL_SRCS    := $(sort $(wildcard workloads/*.c))
WL_OBJS    := $(patsubst %.c,$(OUTPUT)/%.o,$(WL_SRCS))
UNIT_SRCS  := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS  := $(patsubst %.c,$(OUTPUT)/%.o,$(UNIT_SRCS))
FIX_SRCS   := $(sort $(wildcard tests/fixtures/*.c))
FIXTURES   := $(patsubst %.c,$(OUTPUT)/%,$(FIX_SRCS)) $(OUTPUT)/tests/fixtures/fx_locks_stripped
# tests/tools/*.c: test programs linking the library objects (render-test drives the renderers)
TOOL_SRCS  := $(sort $(wildcard tests/tools/*.c))
TOOL_OBJS  := $(patsubst %.c,$(OUTPUT)/%.o,$(TOOL_SRCS))
TOOLS      := $(patsubst tests/tools/%.c,$(OUTPUT)/tests/tools/%,$(subst _,-,$(TOOL_SRCS)))
DEPS       := $(BPF_OBJS:.o=.d) $(USER_OBJS:.o=.d) $(WL_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) \
	      $(TOOL_OBJS:.o=.d)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-9s %s\n' "$(1)" "$(2)";
endif

.PHONY: all deps run test unit e2e bench clean install asan fuzz fuzz-build lint
.DELETE_ON_ERROR:
.SECONDARY:

CONCTRACE  := $(BINDIR)/conctrace
WORKLOAD   := $(BINDIR)/conctrace-workload

all: $(CONCTRACE) $(WORKLOAD) $(OUTPUT)/tests/unit/run $(FIXTURES) $(TOOLS)

# Install the Debian packages that are missing (idempotent; needs root for apt-get).
deps:
	$(Q)tools/install-deps.sh

$(OUTPUT) $(OUTPUT)/bpf $(OUTPUT)/tests/fixtures:
	$(Q)mkdir -p $@

$(OUTPUT)/vmlinux.h: | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)if [ -n "$(VMLINUX_H)" ]; then cp "$(VMLINUX_H)" $@; \
	elif [ -r "$(VMLINUX_BTF)" ]; then $(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@; \
	else echo "no kernel BTF at $(VMLINUX_BTF); set VMLINUX_BTF or VMLINUX_H" >&2; exit 1; fi

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(OUTPUT)/vmlinux.h | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -I$(OUTPUT) -Ibpf $(CLANG_BPF_SYS_INCLUDES) -MMD -MP -c $< -o $@

# All units link into one object and one skeleton (bpftool gen object resolves the externs).
$(OUTPUT)/conctrace.bpf.o: $(BPF_OBJS)
	$(call msg,BPFLINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUTPUT)/conctrace.skel.h: $(OUTPUT)/conctrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name ct_bpf > $@

# Syscall names of this architecture, from the system's own <asm/unistd.h>.
$(OUTPUT)/syscall_names.h: | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)echo '#include <asm/unistd.h>' | $(CC) -dM -E - | \
		awk '$$1 == "#define" && $$2 ~ /^__NR_/ && $$3 ~ /^[0-9]+$$/ \
		{ printf "\t[%s] = \"%s\", \\\n", $$3, substr($$2, 6) }' | \
		{ echo '#define CT_SYSCALL_NAMES \'; cat; echo; } > $@

$(USER_OBJS): $(OUTPUT)/conctrace.skel.h $(OUTPUT)/syscall_names.h
$(TOOL_OBJS): $(OUTPUT)/conctrace.skel.h
$(OUTPUT)/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(CONCTRACE): $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(WORKLOAD): $(WL_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -pthread $^ -lm -o $@

$(OUTPUT)/tests/unit/run: $(UNIT_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/tests/tools/render-test: $(OUTPUT)/tests/tools/render_test.o \
	$(OUTPUT)/tests/unit/synth_profile.o $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

FIX_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -pthread
# Attribution fixtures are built as Debian builds code: -O2, PIE, no frame pointers.
$(OUTPUT)/tests/fixtures/fx_locks $(OUTPUT)/tests/fixtures/fx_burn: FIX_CFLAGS += -fomit-frame-pointer -fPIE -pie
$(OUTPUT)/tests/fixtures/%: tests/fixtures/%.c $(wildcard tests/fixtures/*.h) | $(OUTPUT)/tests/fixtures
	$(call msg,CC,$@)
	$(Q)$(CC) $(FIX_CFLAGS) $< -lm -o $@

# The same program stripped of every symbol table but .dynsym (as packaged binaries are).
$(OUTPUT)/tests/fixtures/fx_locks_stripped: $(OUTPUT)/tests/fixtures/fx_locks
	$(call msg,STRIP,$@)
	$(Q)strip --strip-all -o $@ $<

# The main job: the workload lab when it exists, else trace a demo workload.
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/run-main.sh

unit: $(OUTPUT)/tests/unit/run $(FIXTURES)
	$(Q)$(OUTPUT)/tests/unit/run

e2e: all
	$(Q)CONCTRACE=./conctrace FIXTURES=$(OUTPUT)/tests/fixtures tests/e2e/run.sh

# Unit tests first (no root needed), then the end-to-end tests against real kernel tracing.
test:
	$(Q)tools/install-deps.sh --test
	$(Q)$(MAKE) --no-print-directory all asan fuzz-build
	$(Q)tools/run-tests.sh

# Overhead against untraced runs, the empty-probe floor and peers (not part of make test).
bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bench/run.sh

# The same sources under AddressSanitizer and UndefinedBehaviorSanitizer, in their own tree.
ASAN_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
asan:
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(OUTPUT)/asan BINDIR=$(OUTPUT)/asan \
		EXTRA_CFLAGS="$(ASAN_FLAGS)" $(OUTPUT)/asan/conctrace $(OUTPUT)/asan/conctrace-workload \
		$(OUTPUT)/asan/tests/unit/run

# libFuzzer targets: every tests/fuzz/fuzz_*.c (each defines LLVMFuzzerTestOneInput), linked
# with the user/ objects compiled by clang with -fsanitize=fuzzer-no-link,address,undefined in
# their own tree ($(OUTPUT)/fuzz) and archived, so a target pulls only the objects it needs.
# `make fuzz` runs each for FUZZ_TIME seconds on a copy of tests/fuzz/corpus/NAME (tools/fuzz.sh);
# `make test` runs each for about 20 s.
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(FUZZ_SRCS))
# (clang's -Wformat=2 also flags vfprintf() of a va_list format, which gcc rightly does not)
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	       -Wno-format-nonliteral
FUZZ_TIME   ?= 600

fuzz-build:
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(OUTPUT)/fuzz BINDIR=$(OUTPUT)/fuzz CC=$(CLANG) \
		EXTRA_CFLAGS="$(FUZZ_CFLAGS)" $(FUZZ_BINS)

fuzz: fuzz-build
	$(Q)tools/fuzz.sh $(FUZZ_TIME) $(FUZZ_BINS)

$(OUTPUT)/libct.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUTPUT)/fuzz_%: tests/fuzz/fuzz_%.c $(OUTPUT)/libct.a
	$(call msg,FUZZ,$@)
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer $(INCLUDES) -MMD -MP -MF $@.d $< $(OUTPUT)/libct.a \
		$(LDLIBS) -o $@

-include $(wildcard $(OUTPUT)/fuzz_*.d)

# Static checks (tools/lint.sh): cppcheck and clang-tidy over user/ and tests/, at the level
# documented there and in the README.
lint: $(OUTPUT)/conctrace.skel.h $(OUTPUT)/syscall_names.h
	$(Q)OUTPUT=$(OUTPUT) tools/lint.sh

install: $(CONCTRACE) $(WORKLOAD)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX)/bin)
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin
	$(Q)install -m 0755 $(CONCTRACE) $(WORKLOAD) $(DESTDIR)$(PREFIX)/bin/

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(OUTPUT) conctrace conctrace-workload

-include $(DEPS)
