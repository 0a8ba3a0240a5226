#!/bin/sh
# Write .env from example.env with a freshly generated database password (never ship a default one).
# Usage: ./setup-env.sh [example.env [.env]]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here/example.env}
dst=${2:-$here/.env}

if [ -e "$dst" ]; then
    echo "$dst already exists; not overwriting it (delete it first to start over)" >&2
    exit 1
fi

# 40 characters of A-Za-z0-9 from the kernel's CSPRNG: ~238 bits, and safe inside a database URL.
password=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)
if [ "${#password}" -ne 40 ]; then
    echo "could not generate a password" >&2
    exit 1
fi

umask 077
tmp="$dst.tmp.$$"
trap 'rm -f "$tmp"' EXIT
sed "s/^DB_PASSWORD=.*/DB_PASSWORD=$password/" "$src" >"$tmp"
mv "$tmp" "$dst"
trap - EXIT
echo "wrote $dst with a generated DB_PASSWORD"
