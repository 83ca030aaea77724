#!/usr/bin/env python3
"""Builds the pure-Python wheel dist/nats_wasm-<version>-py3-none-any.whl.

The wheel bundles the JS package (one ES module) and the .wasm under
nats_wasm/_js/, so `micropip.install(url)` or `pyodide.loadPackage(url)` is
all a page needs. Standard library only: no PyPI here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import re
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PKG = ROOT / "py" / "nats_wasm"


def version() -> str:
    text = (PKG / "__init__.py").read_text()
    match = re.search(r'__version__ = "([^"]+)"', text)
    if not match:
        sys.exit("no __version__ in py/nats_wasm/__init__.py")
    return match.group(1)


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main() -> None:
    ver = version()
    for needed in ("nats_wasm.bundle.mjs", "nats_wasm_core.wasm"):
        if not (PKG / "_js" / needed).exists():
            sys.exit(f"missing py/nats_wasm/_js/{needed}: run scripts/build-bundle.sh first")
    dist_info = f"nats_wasm-{ver}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted(PKG.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[f"nats_wasm/{path.relative_to(PKG).as_posix()}"] = path.read_bytes()
    files[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\n"
        "Name: nats-wasm\n"
        f"Version: {ver}\n"
        "Summary: NATS client for Python in Pyodide, with a C++ core compiled to WebAssembly\n"
        "License: Apache-2.0\n"
        "Requires-Python: >=3.11\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: nats-wasm build-wheel.py\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()
    files[f"{dist_info}/top_level.txt"] = b"nats_wasm\n"
    record = [record_line(name, data) for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    out = ROOT / "dist" / f"nats_wasm-{ver}-py3-none-any.whl"
    out.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as whl:
        for name, data in files.items():
            whl.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    # Pages served as static files find the wheel through this.
    (out.parent / "wheel.json").write_text(json.dumps({"url": f"/dist/{out.name}"}) + "\n")
    print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
