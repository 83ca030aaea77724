"""Runs every Python block of README.md, in order, in Pyodide against real
nats-servers, so no README example can rot. Each block runs with what the
README assumes is at hand (``nc``, ``js``, the auth servers' URLs, a
``.creds`` file and a seed); the local server's URL replaces
ws://127.0.0.1:8080. One test per block."""

import ast
import contextlib
import io
import re

import js
import nats_wasm

with open("/nats/repo/README.md") as f:
    _BLOCKS = re.findall(r"```python\n(.*?)```", f.read(), re.S)


def _test_for(code):
    async def run():
        env = js.natsTestEnv
        nc = await nats_wasm.connect(env.wsUrl)
        with open("/home/pyodide/user.creds", "w") as f:
            f.write(env.jwtCreds)
        namespace = {
            "nc": nc, "js": nc.jetstream(), "nats_wasm": nats_wasm,
            "jwt_server_url": env.jwtWsUrl, "nkey_server_url": env.nkeyWsUrl,
            "creds_text": env.jwtCreds, "seed": env.nkeySeed,
        }
        try:
            compiled = compile(code.replace("ws://127.0.0.1:8080", env.wsUrl), "<README.md>", "exec",
                               flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            with contextlib.redirect_stdout(io.StringIO()):  # the examples print
                result = eval(compiled, namespace)  # noqa: S307 - the README's own examples
                if result is not None:
                    await result
        finally:
            for value in [nc, *namespace.values()]:
                if isinstance(value, nats_wasm.Client) and not value.is_closed:
                    await value.close()

    run.timeout = 60
    return run


async def test_the_readme_has_its_python_examples():
    assert len(_BLOCKS) >= 6, len(_BLOCKS)


for _i, _code in enumerate(_BLOCKS):
    globals()[f"test_readme_python_block_{_i + 1}"] = _test_for(_code)
