#!/usr/bin/env bash
# What `make bench` needs besides scripts/install-deps.sh, on Debian 12. Idempotent.
#   libxmlsec1-dev, libxmlsec1-openssl  samael (bench/samael) links libxmlsec1 through bindgen;
#                                       python-xmlsec builds from source where no wheel fits
#   pkg-config, libclang-dev            both find and bind libxmlsec1 with them
#   nodejs, npm                         xml-crypto and the eidpl Node binding (only when no node)
#   python3-venv                        target/bench-venv (lxml, cryptography, signxml, xmlsec)
set -euo pipefail

packages=(libxmlsec1-dev libxmlsec1-openssl pkg-config libclang-dev python3-venv)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-bench-deps: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-bench-deps: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
