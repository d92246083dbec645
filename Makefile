# eidpl — two commands on a fresh Debian 12 machine: `make demo` and `make test`.
CARGO ?= cargo
# Interop vectors made by other systems live beside the project, never inside it.
INTEROP ?= $(abspath ../shared/interop)

# The C ABI (ffi/): libeidpl is built into the workspace's target directory.
TARGET_DIR ?= $(abspath $(or $(CARGO_TARGET_DIR),target))
FFI_OUT := $(TARGET_DIR)/debug
C_TEST_OUT := $(TARGET_DIR)/c-test
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# The C test is compiled with gcc, strictly.
C_TEST_CC ?= gcc
C_TEST_CFLAGS ?= -std=c11 -g -O1 -Wall -Wextra -Werror -pedantic
VALGRIND ?= valgrind --quiet --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
# The Python binding is built and tested in a venv under target/ with this python3 (3.11+).
PYTHON ?= python3
# The PHP binding's tests run with this php (FFI and DOM extensions; scripts/install-deps.sh).
PHP ?= php
# `make install-ffi`: where libeidpl, its headers and eidpl.pc go (DESTDIR for staging).
PREFIX ?= /usr/local
FFI_PROFILE ?= release

.PHONY: all deps build test test-rust lint demo bench bench-criterion clean ffi header check-header c-fixtures test-c \
	test-dotnet test-java test-php test-php-valgrind test-python test-node install-ffi security-results fuzz

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(CARGO) build --workspace --all-targets --locked

# Every test in every language (bindings join as their issues land).
test: deps test-rust lint test-c test-dotnet test-java test-php test-python test-node

test-rust: deps
	$(CARGO) test --workspace --locked

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(PYTHON) scripts/security-results.py --check-markers

# docs/SECURITY-RESULTS.md: every SECURITY.md row with the tests marked `attack: <id>` and the result
# of running exactly those (Rust, then the C and Python ones through test-c / test-python), plus
# fuzz/results.json when it exists. Fails if a row has no test or a marked test fails.
security-results: deps
	CARGO="$(CARGO)" $(PYTHON) scripts/security-results.py --bindings

# libeidpl.so / libeidpl.a and the tools beside it (header generator, C test fixtures) in one
# cargo build, and eidpl.pc pointing at this build tree.
ffi: deps
	$(CARGO) build --locked -p eidpl-ffi --lib --examples
	sed -e 's|@PREFIX@|$(CURDIR)|' -e 's|@LIBDIR@|$(FFI_OUT)|' \
		-e 's|@INCLUDEDIR@|$${prefix}/include|' -e 's|@VERSION@|$(VERSION)|' \
		ffi/eidpl.pc.in > $(FFI_OUT)/eidpl.pc

# Regenerates include/eidpl.h (cbindgen) and include/eidpl_php.h; commit the result.
header: ffi
	$(FFI_OUT)/examples/headers

# Fails when the committed headers differ from what ffi/src generates.
check-header: ffi
	$(FFI_OUT)/examples/headers --check

# The fixtures every binding test shares (ffi/examples/c_fixtures.rs, from the `ffi` build):
# a PZ document and its forgery, trust options, a generated WK world with eight logins.
c-fixtures: ffi
	$(FFI_OUT)/examples/c_fixtures $(C_TEST_OUT)

# The C program over libeidpl.so: once plainly, once under valgrind (leaks and invalid
# accesses fail). Also checks that the PHP header is plain C declarations.
test-c: ffi check-header c-fixtures
	$(C_TEST_CC) -std=c11 -Wall -Werror -fsyntax-only -include stddef.h -include stdint.h \
		-x c include/eidpl_php.h
	$(C_TEST_CC) $(C_TEST_CFLAGS) $$(PKG_CONFIG_PATH=$(FFI_OUT) pkg-config --cflags eidpl) \
		tests/c/test_eidpl.c -o $(C_TEST_OUT)/test_eidpl \
		$$(PKG_CONFIG_PATH=$(FFI_OUT) pkg-config --libs eidpl) -Wl,-rpath,$(FFI_OUT) -pthread
	$(C_TEST_OUT)/test_eidpl "$(INTEROP)" $(C_TEST_OUT)
	$(VALGRIND) $(C_TEST_OUT)/test_eidpl "$(INTEROP)" $(C_TEST_OUT)

# The PHP binding (bindings/php/) over the same libeidpl.so and fixtures, with Debian's php-cli.
test-php: ffi check-header c-fixtures
	EIDPL_LIB=$(FFI_OUT)/libeidpl.so EIDPL_HEADER=$(CURDIR)/include/eidpl_php.h \
		$(PHP) bindings/php/tests/run.php "$(INTEROP)" $(C_TEST_OUT)

# The same under valgrind (PHP's own allocator off so valgrind sees every block; about 80 s, so
# not part of `make test`): invalid accesses and definite leaks fail.
test-php-valgrind: ffi check-header c-fixtures
	USE_ZEND_ALLOC=0 EIDPL_LIB=$(FFI_OUT)/libeidpl.so EIDPL_HEADER=$(CURDIR)/include/eidpl_php.h \
		$(VALGRIND) --errors-for-leak-kinds=definite --show-leak-kinds=definite \
		$(PHP) bindings/php/tests/run.php "$(INTEROP)" $(C_TEST_OUT)

# The C# wrapper (bindings/dotnet/) compiled with mcs and its tests run with mono, over the same
# libeidpl.so and fixtures as test-c (found through LD_LIBRARY_PATH).
MCS ?= mcs
MONO ?= mono
DOTNET_OUT := $(TARGET_DIR)/dotnet-test
test-dotnet: ffi c-fixtures
	mkdir -p $(DOTNET_OUT)
	$(MCS) -langversion:7.2 -warnaserror -target:library -out:$(DOTNET_OUT)/Eidpl.dll \
		bindings/dotnet/*.cs
	$(MCS) -langversion:7.2 -warnaserror -r:$(DOTNET_OUT)/Eidpl.dll -out:$(DOTNET_OUT)/Tests.exe \
		bindings/dotnet/tests/Tests.cs
	cd $(DOTNET_OUT) && LD_LIBRARY_PATH=$(FFI_OUT)$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH} \
		$(MONO) --debug Tests.exe "$(INTEROP)" $(C_TEST_OUT)

# The Java wrapper (bindings/java/, JNA from Debian's libjna-java) compiled with javac and its
# tests run with java, over the same libeidpl.so and fixtures (found through jna.library.path).
JAVAC ?= javac
JAVA ?= java
JNA_JAR ?= /usr/share/java/jna.jar
JAVA_OUT := $(TARGET_DIR)/java-test
test-java: ffi c-fixtures
	rm -rf $(JAVA_OUT) && mkdir -p $(JAVA_OUT)
	$(JAVAC) --release 11 -Xlint:all -Werror -encoding UTF-8 -cp $(JNA_JAR) -d $(JAVA_OUT)/classes \
		$$(find bindings/java/src bindings/java/tests -name '*.java')
	$(JAVA) -Djna.library.path=$(FFI_OUT) -cp $(JNA_JAR):$(JAVA_OUT)/classes pl.eidpl.tests.Tests \
		"$(INTEROP)" $(C_TEST_OUT)

# The Python package (bindings/python/): a venv under target/ with maturin, pytest, mypy and Django
# (for eidpl.django's tests) and websocket-client (the browser test's DevTools client) from PyPI (made once; delete target/py-venv to refresh; the stamp's name
# changes when the tool list does, so an existing venv is remade), the abi3 wheel built offline from this
# workspace (dev profile, same target dir) and installed into it, the stubs checked against the
# module (mypy.stubtest, run outside the source tree so the installed package is the one seen),
# then pytest over the interop vectors, the shared fixtures and eidpl.django against `eidpl simulator`,
# including the example portal (examples/django_portal) in headless Chromium (required here).
PY_VENV := $(TARGET_DIR)/py-venv
PY_WHEELS := $(TARGET_DIR)/py-wheels
$(PY_VENV)/.tools-django-browser:
	rm -rf $(PY_VENV)
	$(PYTHON) -m venv $(PY_VENV)
	$(PY_VENV)/bin/pip install -q --disable-pip-version-check 'maturin>=1.9,<2' pytest mypy 'django>=4.2,<6' websocket-client
	touch $@

test-python: deps c-fixtures $(PY_VENV)/.tools-django-browser
	rm -rf $(PY_WHEELS)
	$(PY_VENV)/bin/maturin build -q --profile dev --auditwheel skip -i $(PY_VENV)/bin/python \
		-m bindings/python/Cargo.toml -o $(PY_WHEELS)
	$(PY_VENV)/bin/pip install -q --disable-pip-version-check --force-reinstall --no-deps \
		$(PY_WHEELS)/eidpl-*.whl
	cd $(TARGET_DIR) && $(PY_VENV)/bin/python -m mypy.stubtest eidpl \
		--mypy-config-file $(CURDIR)/bindings/python/stubtest.ini \
		--allowlist $(CURDIR)/bindings/python/stubtest-allowlist.txt
	$(CARGO) build -q --locked -p eidpl-cli
	PYTHONDONTWRITEBYTECODE=1 EIDPL_INTEROP="$(INTEROP)" EIDPL_FIXTURES=$(C_TEST_OUT) \
		EIDPL_BIN=$(TARGET_DIR)/debug/eidpl EIDPL_REQUIRE_BROWSER=1 \
		$(PY_VENV)/bin/pytest -q -p no:cacheprovider bindings/python/tests

# The Node package (bindings/node/): its npm tools and test dependencies from package-lock.json
# (`npm ci`, redone when the lock changes), the napi-rs addon built from source by @napi-rs/cli into
# this workspace's target dir (dev profile, the same cargo build as everything else), the TypeScript
# declarations compiled against real use, then `node --test`: interop and generated messages, forged
# ones, PZ documents, 100 concurrent async validations, panics, the OpenSSL binding, and the Express
# example (examples/express) logging in and out through `eidpl simulator` on loopback.
NPM ?= npm
NODE ?= node
NODE_DIR := bindings/node
$(NODE_DIR)/node_modules/.eidpl-stamp: $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

test-node: deps c-fixtures $(NODE_DIR)/node_modules/.eidpl-stamp
	cd $(NODE_DIR) && CARGO_TARGET_DIR=$(TARGET_DIR) ./node_modules/.bin/napi build --platform --no-js \
		--dts native.d.ts --no-dts-header -p eidpl-node -- --locked
	cd $(NODE_DIR) && ./node_modules/.bin/tsc -p test/tsconfig.json
	$(CARGO) build -q --locked -p eidpl-cli
	EIDPL_INTEROP="$(INTEROP)" EIDPL_FIXTURES=$(C_TEST_OUT) EIDPL_BIN=$(TARGET_DIR)/debug/eidpl \
		$(NODE) --test $(NODE_DIR)/test/

# libeidpl (release), both headers and eidpl.pc under $(DESTDIR)$(PREFIX).
install-ffi: deps
	$(CARGO) build --locked -p eidpl-ffi --lib --profile $(FFI_PROFILE)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(TARGET_DIR)/$(if $(filter dev,$(FFI_PROFILE)),debug,$(FFI_PROFILE))/libeidpl.so \
		$(DESTDIR)$(PREFIX)/lib/
	install -m 0644 $(TARGET_DIR)/$(if $(filter dev,$(FFI_PROFILE)),debug,$(FFI_PROFILE))/libeidpl.a \
		$(DESTDIR)$(PREFIX)/lib/
	install -m 0644 include/eidpl.h include/eidpl_php.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$${prefix}/lib|' \
		-e 's|@INCLUDEDIR@|$${prefix}/include|' -e 's|@VERSION@|$(VERSION)|' \
		ffi/eidpl.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/eidpl.pc

demo: deps
	$(CARGO) run --locked -q -p eidpl-cli -- demo --interop "$(INTEROP)"

# The benchmark harness (bench/run.py): eidpl (Rust, Python, Node) next to a Python reference
# validator (lxml + cryptography), python-xmlsec, signxml, xml-crypto and samael on the same
# inputs, the crypto floor measured in the same run; writes bench/results.json and
# docs/PERFORMANCE.md. About 15 min; BENCH_QUICK=1 for a short run without the 500 MB document.
bench: deps
	scripts/install-bench-deps.sh
	CARGO="$(CARGO)" $(PYTHON) bench/run.py

# Criterion micro-benchmarks of the core (c14n, signatures, full validation vs the floor).
bench-criterion: deps
	$(CARGO) bench --locked -p eidpl --bench dsig --bench wk

# cargo-fuzz targets (fuzz/), each for FUZZ_SECONDS one after another; not part of `make test`.
# Adds the executions to fuzz/results.json (docs/fuzzing.md).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= parse wk_response decrypt xades_verify
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" scripts/fuzz.sh

clean:
	$(CARGO) clean
