# eidpl — two commands on a fresh Debian 12 machine: `make demo` and `make test`.
CARGO ?= cargo
# Interop vectors made by other systems live beside the project, never inside it.
INTEROP ?= $(abspath ../shared/interop)

.PHONY: all deps build test test-rust lint demo bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(CARGO) build --workspace --all-targets --locked

# Every test in every language (bindings join as their issues land).
test: deps test-rust lint

test-rust: deps
	$(CARGO) test --workspace --locked

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

demo: deps
	$(CARGO) run --locked -q -p eidpl-cli -- demo --interop "$(INTEROP)"

bench: deps
	$(CARGO) bench --locked -p eidpl --bench dsig --bench wk

clean:
	$(CARGO) clean
