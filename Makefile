# eidpl — two commands on a fresh Debian 12 machine: `make demo` and `make test`.
CARGO ?= cargo
# Interop vectors made by other systems live beside the project, never inside it.
INTEROP ?= $(abspath ../shared/interop)

# The C ABI (ffi/): libeidpl is built into the workspace's target directory.
TARGET_DIR ?= $(abspath $(or $(CARGO_TARGET_DIR),target))
FFI_OUT := $(TARGET_DIR)/debug

.PHONY: all deps build test test-rust lint demo bench clean ffi header check-header

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(CARGO) build --workspace --all-targets --locked

# Every test in every language (bindings join as their issues land).
test: deps test-rust lint check-header

test-rust: deps
	$(CARGO) test --workspace --locked

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# libeidpl.so / libeidpl.a and the header generator beside it in one cargo build.
ffi: deps
	$(CARGO) build --locked -p eidpl-ffi --lib --examples

# Regenerates include/eidpl.h (cbindgen) and include/eidpl_php.h; commit the result.
header: ffi
	$(FFI_OUT)/examples/headers

# Fails when the committed headers differ from what ffi/src generates.
check-header: ffi
	$(FFI_OUT)/examples/headers --check

demo: deps
	$(CARGO) run --locked -q -p eidpl-cli -- demo --interop "$(INTEROP)"

bench: deps
	$(CARGO) bench --locked -p eidpl --bench dsig --bench wk

clean:
	$(CARGO) clean
