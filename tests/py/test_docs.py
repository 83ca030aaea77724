"""Runs every Python block of the guides in docs/ in Pyodide against a real
nats-server: each block with top-level await, given ``nc``, ``js`` and
``url`` (for docs/fluvio-to-jetstream.md after a fresh 4-partition topic
"clicks"). One test per block."""

import ast
import re

import js
import nats_wasm
from nats_wasm.js.partitions import create_topic



def _blocks(name):
    with open(f"/nats/docs/{name}") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), re.S)


_BLOCKS = _blocks("fluvio-to-jetstream.md")
_SERVICE_BLOCKS = _blocks("services.md")


def _service_test_for(code):
    async def run():
        nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
        try:
            compiled = compile(code, "<docs/services.md>", "exec",
                               flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            result = eval(compiled, {"nc": nc})  # noqa: S307 - the docs' own examples
            if result is not None:
                await result
        finally:
            await nc.close()

    return run


def _test_for(code):
    async def run():
        url = js.natsTestEnv.wsUrl
        nc = await nats_wasm.connect(url)
        try:
            jsx = nc.jetstream()
            try:
                await jsx.delete_stream("clicks")
            except Exception:
                pass  # not there yet
            await create_topic(jsx, "clicks", 4)
            namespace = {"nc": nc, "js": jsx, "url": url}
            compiled = compile(code, "<docs/fluvio-to-jetstream.md>", "exec",
                               flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            result = eval(compiled, namespace)  # noqa: S307 - the docs' own examples
            if result is not None:
                await result
        finally:
            await nc.close()

    return run


async def test_the_guide_has_python_examples():
    assert len(_BLOCKS) >= 6


for _i, _code in enumerate(_BLOCKS):
    globals()[f"test_docs_python_block_{_i + 1}"] = _test_for(_code)


async def test_the_services_guide_has_python_examples():
    assert len(_SERVICE_BLOCKS) >= 3


for _i, _code in enumerate(_SERVICE_BLOCKS):
    globals()[f"test_docs_services_python_block_{_i + 1}"] = _service_test_for(_code)
