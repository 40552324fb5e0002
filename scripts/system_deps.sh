#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only when something is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
# LibreOffice converts office papers to PDF (osm/lib/office.py); Carlito and Liberation have
# the widths of Calibri, Arial and Times New Roman, so papers keep their layout.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
fc-list -q Carlito || need+=(fonts-crosextra-carlito)
fc-list -q "Liberation Sans" || need+=(fonts-liberation2)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
