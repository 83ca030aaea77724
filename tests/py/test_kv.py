"""Key-value buckets from Python in Pyodide (nats.py names) against a real
server: buckets, writes with revisions, create over a deleted key, typed
errors, keys and history, watches with nats.py's None marker, interop
with nats.js's KV."""

import asyncio

import js
import nats_wasm
from helpers import connected, expect, unique
from nats_wasm import errors
from nats_wasm.js import errors as jse


async def test_put_get_create_update_delete_purge():
    nc, jsx = await connected()
    try:
        kv = await jsx.create_key_value(bucket=unique("PB"), history=10)
        assert await kv.put("a", b"one") == 1
        assert await kv.put("a", b"two") == 2
        e = await kv.get("a")
        assert (e.key, e.value, e.revision, e.operation) == ("a", b"two", 2, None)
        assert e.created is not None
        assert (await kv.get("a", revision=1)).value == b"one"
        missing = await expect(jse.KeyNotFoundError, kv.get("missing"))
        assert str(missing) == "nats: key not found" and missing.entry is None
        await kv.delete("a")
        err = await expect(jse.KeyNotFoundError, kv.get("a"))
        assert err.op == "DEL" and err.entry.revision == 3
        assert await kv.create("a", b"again") == 4
        e2 = await expect(jse.KeyWrongLastSequenceError, kv.create("a", b"dup"))
        assert isinstance(e2, jse.BadRequestError) and e2.err_code == 10071
        await expect(jse.KeyWrongLastSequenceError, kv.update("a", b"x", last=1))
        assert await kv.update("a", b"ok", last=4) == 5
        assert await kv.purge("a")
        await expect(jse.KeyNotFoundError, kv.get("a"))
        st = await kv.status()
        assert st.bucket == kv.bucket and st.history == 10 and st.values >= 1
        await expect(errors.Error, kv.put("bad key", b"x"))
        # update with last=None/0 means "no value yet" (nats.py)
        assert await kv.update("fresh", b"1", last=None) > 0
        await expect(jse.KeyWrongLastSequenceError, kv.update("fresh", b"2", last=0))
        assert await kv.put("v", b"1", validate_keys=False) > 0
        await expect(jse.KeyValueLimitMarkerTTLNotSupportedError, kv.create("t", b"1", msg_ttl=5))
    finally:
        await nc.close()


async def test_buckets_open_delete_and_names():
    nc, jsx = await connected()
    try:
        name = unique("PO")
        kv = await jsx.create_key_value(bucket=name, ttl=60)
        await kv.put("x", b"y")
        again = await jsx.key_value(name)
        assert (await again.get("x")).value == b"y"
        assert (await again.status()).ttl == 60
        assert await jsx.delete_key_value(name)
        await expect(jse.BucketNotFoundError, jsx.key_value(name))
        # the open handle: a create (a write to the key's subject) and a watch
        await expect(jse.BucketNotFoundError, kv.create("new", b"x"))
        await expect(jse.BucketNotFoundError, kv.watchall())
        await expect(jse.InvalidBucketNameError, jsx.create_key_value(bucket="bad.name"))
        too_long = await expect(jse.KeyHistoryTooLargeError,
                                jsx.create_key_value(bucket=unique("H"), history=65))
        assert isinstance(too_long, errors.InvalidArgumentError)
        assert str(too_long) == "nats: history limited to a max of 64"
        # nats.py's config object, and its KeyValue.Entry name
        from nats_wasm.js.api import KeyValueConfig
        from nats_wasm.js.kv import KeyValue
        made = await jsx.create_key_value(KeyValueConfig(bucket=unique("PC"), history=3))
        assert (await made.status()).history == 3
        await made.put("k", b"v")
        assert isinstance(await made.get("k"), KeyValue.Entry)
    finally:
        await nc.close()


async def test_keys_and_history():
    nc, jsx = await connected()
    try:
        kv = await jsx.create_key_value(bucket=unique("PK"), history=5)
        for k in ("a.1", "a.2", "b.1"):
            await kv.put(k, k.encode())
        await kv.put("a.1", b"again")
        await kv.delete("b.1")
        assert sorted(await kv.keys()) == ["a.1", "a.2"]
        # nats.py's ignore_deletes leaves purges out as well as deletes
        await kv.put("c.1", b"x")
        await kv.purge("c.1")
        w = await kv.watch("c.*", include_history=True, ignore_deletes=True)
        assert [(e.key, e.operation) for e in await w.initial()] == []
        assert sorted(await kv.keys(filters=["a."])) == ["a.1", "a.2"]
        hist = await kv.history("a.1")
        assert [e.value for e in hist] == [b"a.1", b"again"]
        empty = await jsx.create_key_value(bucket=unique("PE"))
        await expect(jse.NoKeysError, empty.keys())
    finally:
        await nc.close()


async def test_watch_with_marker_then_updates():
    nc, jsx = await connected()
    try:
        kv = await jsx.create_key_value(bucket=unique("PW"), history=5)
        await kv.put("a", b"1")
        await kv.put("b", b"2")
        w = await kv.watchall()
        got = [await w.updates(timeout=5) for _ in range(3)]
        assert [e.key if e else None for e in got] == ["a", "b", None], "initial values, then None"
        await kv.put("c", b"3")
        await kv.delete("a")
        e = await w.updates(timeout=5)
        assert (e.key, e.value) == ("c", b"3")
        e = await w.updates(timeout=5)
        assert (e.key, e.operation) == ("a", "DEL")
        await expect(errors.TimeoutError, w.updates(timeout=0.3))
        # A timeout ends nothing: the watch goes on with what comes next.
        await kv.put("d", b"4")
        e = await w.updates(timeout=5)
        assert (e.key, e.value) == ("d", b"4")
        await w.stop()
        # An empty bucket: the marker at once.
        empty = await jsx.create_key_value(bucket=unique("PWE"))
        w2 = await empty.watchall()
        assert await w2.updates(timeout=5) is None
        await w2.stop()
        assert int(nc._nc._engine.c.pullSessions()) == 0
    finally:
        await nc.close()


async def until_gone(kv, key, seconds):
    """Polls until the key reads as missing (a TTL expiry), at most `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        try:
            await kv.get(key)
        except jse.KeyNotFoundError:
            return True
        await asyncio.sleep(0.1)
    return False


async def test_history_limit_ttl_expiry_and_resume():
    nc, jsx = await connected()
    try:
        kv = await jsx.create_key_value(bucket=unique("PH"), history=2)
        for v in (b"1", b"2", b"3"):
            await kv.put("a", v)
        assert [e.value for e in await kv.history("a")] == [b"2", b"3"], "history=2 keeps two"
        w = await kv.watch("a", resume_from_revision=2)
        got = [await w.updates(timeout=5) for _ in range(3)]
        assert [(e.revision, e.value) if e else None for e in got] == [(2, b"2"), (3, b"3"), None]
        await w.stop()
        short = await jsx.create_key_value(bucket=unique("PT"), ttl=1)
        await short.put("k", b"v")
        assert (await short.get("k")).value == b"v"
        assert await until_gone(short, "k", 10), "the entry outlived the bucket's ttl"
    finally:
        await nc.close()

test_history_limit_ttl_expiry_and_resume.timeout = 40


async def test_watch_order_with_a_filter_then_cancel():
    nc, jsx = await connected()
    try:
        kv = await jsx.create_key_value(bucket=unique("PF"), history=5)
        await kv.put("k.a", b"1")
        await kv.put("other", b"x")
        seen = []
        entries = asyncio.Queue()

        async def follow():
            async for e in await kv.watch("k.*"):
                await entries.put(e)

        async def next_entry():
            e = await asyncio.wait_for(entries.get(), 5)
            seen.append(None if e is None else (e.key, e.operation, e.value))

        task = asyncio.ensure_future(follow())
        await next_entry()  # k.a's value
        await next_entry()  # the end of the initial values
        # Each entry is awaited before the next write: a purge rolls up the
        # key's earlier values, so a put not yet delivered when it lands is
        # gone for any watcher (nats.py's too).
        await kv.put("k.b", b"2")
        await next_entry()
        await kv.put("other", b"y")
        await kv.delete("k.a")
        await next_entry()  # k.a's DEL, unless "other" came through the filter
        await kv.purge("k.b")
        await next_entry()
        assert seen == [("k.a", None, b"1"), None, ("k.b", None, b"2"), ("k.a", "DEL", b""),
                        ("k.b", "PURGE", b"")]
        assert int(nc._nc._engine.c.pullSessions()) == 1
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        assert int(nc._nc._engine.c.pullSessions()) == 0, "cancelling the task ends the watch"
    finally:
        await nc.close()


async def test_interop_with_nats_js_kv():
    nc, jsx = await connected()
    try:
        name = unique("PI")
        kv = await jsx.create_key_value(bucket=name)
        await kv.put("from.py", b"hello")
        assert await js.natsTestEnv.natsjs.kvGet(name, "from.py") == "hello"
        await js.natsTestEnv.natsjs.kvPut(name, "from.js", "hi")
        assert (await kv.get("from.js")).value == b"hi"
    finally:
        await nc.close()


async def test_republish_and_unsupported_bucket_settings():
    from nats_wasm.js import api

    nc, jsx = await connected()
    try:
        name = unique("REPUB")
        sub = await nc.subscribe(f"repub.{name}.>")
        kv = await jsx.create_key_value(bucket=name,
                                        republish=api.RePublish(src=">", dest=f"repub.{name}.>"))
        await nc.flush()
        await kv.put("k", b"v1")
        msg = await sub.next_msg(timeout=5)
        assert msg.data == b"v1" and msg.headers["Nats-Subject"] == f"$KV.{name}.k"
        await expect(errors.InvalidArgumentError,
                     jsx.create_key_value(bucket=unique("MIRROR"),
                                          mirror={"name": "x", "external": {"api": "$JS.hub.API"}}))
        await expect(errors.InvalidArgumentError,
                     jsx.create_key_value(bucket=unique("TTL"), limit_marker_ttl=5))
    finally:
        await nc.close()


async def test_purge_deletes_clears_markers_and_leaves_values():
    nc, jsx = await connected()
    try:
        kv = await jsx.create_key_value(bucket=unique("PD"), history=5)
        for key in ("gone", "wiped", "kept"):
            await kv.put(key, b"1")
            await kv.put(key, b"2")
        await kv.delete("gone")
        await kv.purge("wiped")
        before = (await kv.status()).values
        assert before == 2 + 1 + 1 + 2, before  # kept: 2, gone: 2 + DEL (history 5), wiped: PURGE only
        await kv.purge_deletes()  # markers are recent: each stays alone
        assert (await kv.status()).values == 2 + 1 + 1
        assert (await kv.get("kept")).value == b"2"
        await kv.purge_deletes(olderthan=0)  # any age: the markers go too
        assert (await kv.status()).values == 2, "only the key with a value is left"
        assert [e.value for e in await kv.history("kept")] == [b"1", b"2"]
        await expect(jse.KeyNotFoundError, kv.get("gone"))
    finally:
        await nc.close()


async def test_a_mirrored_bucket_is_a_read_replica():
    from nats_wasm.js import api

    nc, jsx = await connected()
    try:
        name = unique("MSRC")
        source = await jsx.create_key_value(bucket=name, history=5)
        await source.put("a.b", b"one")
        mirror = await jsx.create_key_value(bucket=unique("MIR"), mirror=api.StreamSource(name=name))
        watcher = await mirror.watch("a.>")
        entry = None
        while entry is None:  # None: the initial values are out (maybe none yet)
            entry = await watcher.updates(timeout=10)
        assert (entry.key, entry.value) == ("a.b", b"one")
        await watcher.stop()
        assert (await mirror.get("a.b")).value == b"one"
        await expect(errors.Error, mirror.put("a.b", b"x"))
        status = await mirror.status()
        assert status.stream_info.config.mirror.name == f"KV_{name}"
    finally:
        await nc.close()

