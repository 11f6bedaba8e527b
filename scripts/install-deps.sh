#!/usr/bin/env bash
# Installs the system C libraries the gateway links against, the tools scripts/chaos.sh drives it with (curl,
# sqlite3, python3), openssl, with which the HTTPS tests make throwaway certificates (curl is their client), the
# browsers the console's tests run in (chromium with chromium-driver, WebKitGTK's webkit2gtk-driver with xvfb for
# Safari's engine on a virtual display, and firefox-esr), and libpq-dev with postgresql, whose server the PostgreSQL
# storage tests start in a temporary folder, only if one is missing (Debian 12, as root).
set -euo pipefail
packages=(libcurl4-openssl-dev libssl-dev libsqlite3-dev libmicrohttpd-dev pkg-config curl sqlite3 python3 openssl
          chromium chromium-driver webkit2gtk-driver xvfb firefox-esr libpq-dev postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update
  apt-get install -y "${packages[@]}"
fi
