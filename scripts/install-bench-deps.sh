#!/usr/bin/env bash
# What `make bench` needs besides scripts/install-deps.sh, on Debian 12. Idempotent.
#   libxmlsec1-dev, libxmlsec1-openssl  samael (bench/samael) links libxmlsec1 through bindgen;
#                                       python-xmlsec builds from source where no wheel fits
#   pkg-config, libclang-dev            both find and bind libxmlsec1 with them
#   nodejs, npm                         xml-crypto and the eidpl Node binding (only when no node)
#   python3-venv                        target/bench-venv (lxml, cryptography, signxml, xmlsec)
set -euo pipefail
# shellcheck source=lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

packages=(libxmlsec1-dev libxmlsec1-openssl pkg-config libclang-dev python3-venv)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

install_missing install-bench-deps "${packages[@]}"
