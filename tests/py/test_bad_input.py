"""The bad-input table (tests/bad_input/cases.json, docs/bad-input.md) in
Python: every case raises (or, for a hostile peer, reports to error_cb and
last_error) the nats.py-named exception the engine's error table names."""

import asyncio
import json
import math

import js
import nats_wasm
from nats_wasm import errors
from nats_wasm.aio.client import RawCredentials

with open("/nats/bad_input/cases.json") as f:  # mounted by the runner
    CASES = json.load(f)


def env():
    return js.natsTestEnv


def seconds(ms):
    if isinstance(ms, str):
        return {"NaN": math.nan, "Infinity": math.inf}[ms]
    return ms / 1000


async def call(nc, case, what):
    subject = case.get("subject", "ok")
    if what == "publish":
        payload = b"x" * (nc.max_payload + 1) if case.get("payload") == "over_max" else b""
        headers = {case["header"][0]: case["header"][1]} if "header" in case else None
        await nc.publish(subject, payload, headers=headers)
    elif what == "subscribe":
        await nc.subscribe(subject, queue=case.get("queue", ""))
    elif what == "request":
        await nc.request(subject, b"", timeout=seconds(case.get("timeout", 1000)))
    elif what == "flush":
        await nc.flush()
    elif what == "drain":
        await nc.drain()


async def outcome(case):
    op = case["op"]
    if op == "connect":
        kw = {"allow_reconnect": False}
        if "creds" in case:
            kw["user_credentials"] = RawCredentials(case["creds"])
        if "seed" in case:
            kw["nkeys_seed_str"] = case["seed"]
        try:
            nc = await nats_wasm.connect(case.get("url", env().wsUrl), **kw)
        except Exception as e:
            return e
        await nc.close()
        return None
    if op == "frame":
        peer = await env().hostilePeer(case["bytes"], case.get("repeat", 1))
        closed = asyncio.Event()

        async def closed_cb():
            closed.set()

        async def error_cb(e):
            pass

        try:
            nc = await nats_wasm.connect(peer.url, allow_reconnect=False, closed_cb=closed_cb,
                                         error_cb=error_cb)
            await asyncio.wait_for(closed.wait(), 5)
            return nc.last_error
        finally:
            await peer.close()
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        what = op
        if op == "after_close":
            await nc.close()
            what = case["call"]
        elif op == "after_drain":
            asyncio.ensure_future(nc.drain())
            await asyncio.sleep(0)
            what = case["call"]
        try:
            await call(nc, case, what)
        except Exception as e:
            if op not in ("after_close", "after_drain"):
                await nc.flush()  # a refused call leaves the connection usable
            return e
        return None
    finally:
        if not nc.is_closed:
            await nc.close()


async def test_every_case_raises_its_typed_error():
    assert len(CASES) >= 30
    table = errors._table()
    failures = []
    for case in CASES:
        errc = case.get("py_errc", case["errc"])
        err = await outcome(case)
        if errc == "none":
            if err is not None:
                failures.append(f"{case['id']}: wanted no error, got {err!r}")
            continue
        expected = table[errc].rsplit(".", 1)[1]
        if err is None or getattr(err, "code", None) != errc or type(err).__name__ != expected:
            failures.append(f"{case['id']}: wanted {expected} ({errc}), got {err!r}")
    assert not failures, "\n".join(failures)


test_every_case_raises_its_typed_error.timeout = 120
