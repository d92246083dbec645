#!/usr/bin/env bash
# Installs the system packages eidpl needs on Debian 12. Idempotent; silent when all are present.
#   libxml2-dev, pkg-config  the one XML parser (the `libxml` crate links it)
#   libclang-dev             the `libxml` crate generates its bindings with bindgen at build time
#   libssl-dev               OpenSSL: signatures, ECDH, AES, X.509
#   gcc, valgrind            core's one C function (core/src/xml/quiet.c); the C ABI test (tests/c/)
#                            and its leak and memory-error check
#   mono-mcs, mono-runtime   the C# wrapper's test (bindings/dotnet/): compiler and runtime; mcs
#                            pulls in mscorlib, System, System.Core (all the wrapper uses)
#   libjna-java              the Java wrapper (bindings/java/): /usr/share/java/jna.jar
#   openjdk-17-jdk-headless  javac and java for it, only when no javac is on PATH
#   python3-venv             the Python binding's tests (bindings/python/): a venv under target/
#                            for maturin, pytest and mypy (pip from PyPI); the abi3 extension
#                            links no libpython, so python3-dev is not needed
#   php8.2-cli, php8.2-xml   the PHP binding's tests (bindings/php/): FFI ships in php8.2-cli,
#                            DOM in php8.2-xml (the libxml2 coexistence test uses it)
#   chromium                 the Python binding's browser test (bindings/python/tests/test_browser.py):
#                            headless Chromium driven over the DevTools protocol
#   nodejs, npm              the Node binding (bindings/node/), only when no node is on PATH; it
#                            needs Node >= 18.17 (checked below); its npm packages come from the
#                            registry by `npm ci` in `make test-node`
set -euo pipefail
# shellcheck source=lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

packages=(pkg-config libxml2-dev libssl-dev libclang-dev gcc valgrind mono-mcs mono-runtime libjna-java
  php8.2-cli php8.2-xml python3-venv chromium)
command -v javac >/dev/null || packages+=(openjdk-17-jdk-headless)
command -v node >/dev/null || packages+=(nodejs npm)

install_missing install-deps "${packages[@]}"

# The PHP binding needs the FFI and DOM extensions of that PHP (a PHP built without them, or with
# them disabled in php.ini, would fail the PHP tests far less clearly).
php_modules=$(php -m 2>/dev/null || true)
for ext in FFI dom; do
  grep -qix "$ext" <<<"$php_modules" || { echo "install-deps: php has no $ext extension (php -m)" >&2; exit 1; }
done

# The Node binding uses N-API 8 and fetch: Node 18.17 or later.
node_version=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)' \
  || { echo "install-deps: node $node_version is too old for bindings/node (need >= 18.17)" >&2; exit 1; }
