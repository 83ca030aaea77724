#!/usr/bin/env bash
# The API reference: JavaScript from the .d.ts files (TypeDoc, npm; also
# type-checks them with tsc) and Python from the docstrings and type hints
# (Sphinx autodoc, Debian's python3-sphinx). Any warning fails the build.
# Output: build/api/js/index.html and build/api/python/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
npx --no-install tsc -p tsconfig.json
npx --no-install typedoc --logLevel Warn
sphinx-build -q -W --keep-going -b html docs/api/python build/api/python
echo "API reference: build/api/js/index.html, build/api/python/index.html"
