#!/usr/bin/env bash
# Re-vendor the front-end packages pinned in package.json into static/vendor/.
# Update: change a version in package.json, run `make vendor`, look at the pages, commit.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp package.json "$tmp/"
(cd "$tmp" && npm install --no-audit --no-fund --ignore-scripts --silent)
nm="$tmp/node_modules"
rm -rf static/vendor
mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/sarabun
# Only the CSS: the pages need no Bootstrap JavaScript (htmx does the rest).
cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$nm/bootstrap/dist/css/bootstrap.min.css.map" static/vendor/bootstrap/
cp "$nm/bootstrap/LICENSE" static/vendor/bootstrap/LICENSE
cp "$nm/htmx.org/dist/htmx.min.js" static/vendor/htmx/
cp "$nm/htmx.org/LICENSE" static/vendor/htmx/LICENSE
for subset in thai latin; do
  for weight in 400 600 700; do
    cp "$nm/@fontsource/sarabun/files/sarabun-$subset-$weight-normal.woff2" static/vendor/sarabun/
    cp "$nm/@fontsource/sarabun/files/sarabun-$subset-$weight-normal.woff" static/vendor/sarabun/
  done
done
cp "$nm/@fontsource/sarabun/LICENSE" static/vendor/sarabun/LICENSE
# The same Sarabun as TrueType, for LibreOffice's conversions of office papers.
.venv/bin/python scripts/office_fonts.py
# axe-core is for the accessibility tests only; it is never served.
cp "$nm/axe-core/axe.min.js" tests/vendor/axe.min.js
cp "$nm/axe-core/LICENSE" tests/vendor/axe-core.LICENSE
node -e 'const p=require("./package.json");for(const[k,v]of Object.entries(p.devDependencies))console.log(k+"@"+v)' > static/vendor/VERSIONS.txt
echo "vendored:"; cat static/vendor/VERSIONS.txt
