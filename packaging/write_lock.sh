#!/usr/bin/env bash
# Write the lock file from an environment that installed Kura with every extra:
# `packaging/write_lock.sh PYTHON OUT`. Kura itself and the build tools are left out;
# local version labels (torch's "+cpu") are dropped so the pins match any CPU wheel.
set -euo pipefail
python=$1 out=$2
{
  echo "# Every dependency of Kura at the version CI and the package are built with."
  echo "# Written by \`make lock\` (packaging/write_lock.sh); update on purpose, never by drift."
  "$python" -m pip list --format=freeze --exclude-editable \
    | grep -v -i -E '^(kura|pip|setuptools|wheel)==' \
    | sed -E 's/\+[a-z0-9.]+$//' \
    | LC_ALL=C sort -f
} > "$out"
