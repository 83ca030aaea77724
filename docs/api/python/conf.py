"""Sphinx configuration of the Python API reference (npm run docs:api)."""

import os
import sys

sys.path.insert(0, os.path.abspath("../../../py"))

project = "nats-wasm (Python)"
extensions = ["sphinx.ext.autodoc"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
html_theme = "alabaster"
exclude_patterns = ["_build"]
# Names from modules that only exist inside Pyodide (js, pyodide.ffi).
autodoc_mock_imports = ["js", "pyodide"]
nitpicky = False
