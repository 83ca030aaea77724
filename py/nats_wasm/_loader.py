"""Finds and loads the JavaScript package (and with it the WebAssembly engine).

Order: a JS module the host registered as ``nats_wasm_js`` (with
``pyodide.registerJsModule``), else the bundle shipped in this package's
``_js`` folder, imported from a ``data:`` URL with the ``.wasm`` bytes handed
over directly, so the package needs no web server of its own.
"""

from __future__ import annotations

import base64
import os
from typing import Any

_module: Any = None
_error_classes: dict[str, str] = {}
_error_names: dict[int, str] = {}
# JetStream API errors: err_code → class path, then status → class path.
_api_by_err_code: dict[int, str] = {}
_api_by_status: dict[int, str] = {}

_HERE = os.path.join(os.path.dirname(__file__), "_js")
BUNDLE = os.path.join(_HERE, "nats_wasm.bundle.mjs")
WASM = os.path.join(_HERE, "nats_wasm_core.wasm")


async def load() -> Any:
    """Returns the JS package's module object, loading it on first use."""
    global _module
    if _module is not None:
        return _module
    try:
        import nats_wasm_js  # type: ignore[import-not-found]

        module: Any = nats_wasm_js
        await module.loadCore()
    except ImportError:
        module = await _load_bundle()
    for row in module.pyodide.errorTable:
        _error_classes[str(row.name)] = str(row.py)
        _error_names[int(row.code)] = str(row.name)
    for row in module.pyodide.apiErrorTable:
        if not str(row.py):
            continue
        if int(row.errCode):
            _api_by_err_code[int(row.errCode)] = str(row.py)
        elif int(row.status):
            _api_by_status[int(row.status)] = str(row.py)
    _module = module
    return module


def error_classes() -> dict[str, str]:
    """Engine error name → Python class path (from the engine's table)."""
    return _error_classes


def api_error_class(err_code: Any, status: Any) -> "str | None":
    """The class path the engine's table names for a JetStream API error."""
    return _api_by_err_code.get(err_code) or _api_by_status.get(status)


def error_names() -> dict[int, str]:
    """Engine error code → name (from the engine's table)."""
    return _error_names


async def _load_bundle() -> Any:
    import js  # type: ignore[import-not-found]
    from pyodide.code import run_js  # type: ignore[import-not-found]
    from pyodide.ffi import to_js  # type: ignore[import-not-found]

    if not os.path.exists(BUNDLE):
        raise ImportError(
            f"nats_wasm: {BUNDLE} is missing; build it with scripts/build-bundle.sh"
        )
    with open(BUNDLE, "rb") as f:
        source = f.read()
    with open(WASM, "rb") as f:
        wasm = f.read()
    importer = run_js("(url) => import(url)")
    module = await importer("data:text/javascript;base64," + base64.b64encode(source).decode())
    options = js.Object.new()
    options.wasmBinary = to_js(wasm)
    await module.loadCore(options)
    return module
