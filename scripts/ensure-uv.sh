#!/usr/bin/env bash
# Print the path of a uv executable, installing uv from PyPI where missing.
# Messages go to stderr; stdout is only the path (the Makefile reads it).
set -euo pipefail

for candidate in "$(command -v uv 2>/dev/null || true)" "$HOME/.local/bin/uv"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done

echo "uv not found: installing it from PyPI (pip install --user uv)" >&2
if ! python3 -m pip --version >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >&2 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >&2; }
  else
    echo "recon needs uv (https://docs.astral.sh/uv/) and python3 has no pip to install it." >&2
    echo "Install uv (e.g. 'pipx install uv' or your package manager), then run 'make setup' again." >&2
    exit 1
  fi
fi
python3 -m pip install --quiet --user uv >&2 2>/dev/null \
  || python3 -m pip install --quiet --user --break-system-packages uv >&2
for candidate in "$(command -v uv 2>/dev/null || true)" "$HOME/.local/bin/uv"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
echo "installed uv but cannot find it; add ~/.local/bin to PATH and run 'make setup' again" >&2
exit 1
