"""Object stores from Python in Pyodide (nats.py names) against a real
server: round trips at the chunk edges, 64 MiB from an async iterable into
a writeinto sink with bounded memory, a corrupted chunk detected, delete,
list, watch with the None marker, seal, typed errors, and interop with
nats.js's object store."""

import asyncio
import base64
import hashlib
import io
import json
import tracemalloc

import js
import nats_wasm
from helpers import connected, expect, unique
from nats_wasm.js import errors as jse
from nats_wasm.js.object_store import ObjectMeta, ObjectMetaOptions


def digest_of(data: bytes) -> str:
    return "SHA-256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode()


def ramp(n: int) -> bytes:
    return bytes(i & 0xFF for i in range(n))


async def test_round_trips_at_the_chunk_edges():
    nc, jsx = await connected()
    try:
        obs = await jsx.create_object_store(unique("PRT"))
        chunk = 1024
        for n, chunks in [(0, 0), (1, 1), (chunk, 1), (chunk + 1, 2), (5 * chunk + 7, 6)]:
            data = ramp(n)
            meta = ObjectMeta(name=f"o{n}", options=ObjectMetaOptions(max_chunk_size=chunk))
            info = await obs.put(f"o{n}", data, meta=meta)
            assert (info.size, info.chunks, info.digest) == (n, chunks, digest_of(data)), n
            assert info.bucket == obs.name and info.deleted is False
            res = await obs.get(f"o{n}")
            assert res.data == data and res.info.nuid == info.nuid
        # str and file-like sources
        assert (await obs.put("text", "héllo")).digest == digest_of("héllo".encode())
        info = await obs.put("file", io.BytesIO(ramp(300000)))
        assert info.size == 300000 and (await obs.get("file")).data == ramp(300000)
        await expect(TypeError, obs.put("bad", 12345))
    finally:
        await nc.close()


async def test_64_mib_with_bounded_memory():
    nc, jsx = await connected()
    try:
        obs = await jsx.create_object_store(unique("PBIG"))
        total, piece = 64 * 1024 * 1024, 1024 * 1024
        want = hashlib.sha256()
        for i in range(total // piece):
            want.update(bytes([i & 0xFF]) * piece)

        async def source():
            for i in range(total // piece):
                yield bytes([i & 0xFF]) * piece

        class Sink:
            def __init__(self):
                self.sha = hashlib.sha256()
                self.size = 0

            def write(self, b):
                self.sha.update(b)
                self.size += len(b)

        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            info = await obs.put("big", source())
            sink = Sink()
            res = await obs.get("big", writeinto=sink)
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()
        expected = "SHA-256=" + base64.urlsafe_b64encode(want.digest()).decode()
        assert info.size == total and info.digest == expected
        assert sink.size == total and res.data == b""
        assert "SHA-256=" + base64.urlsafe_b64encode(sink.sha.digest()).decode() == expected
        print(f"64 MiB object round trip from Python: peak extra Python memory {peak / 2**20:.1f} MiB")
        assert peak < total // 4, peak
    finally:
        await nc.close()

test_64_mib_with_bounded_memory.timeout = 120


async def test_corrupted_chunk_is_detected():
    nc, jsx = await connected()
    try:
        obs = await jsx.create_object_store(unique("PBAD"))
        meta = ObjectMeta(name="x", options=ObjectMetaOptions(max_chunk_size=1000))
        info = await obs.put("x", ramp(3000), meta=meta)
        await js.natsTestEnv.natsjs.objCorruptLastChunk(obs.name, info.nuid)
        await expect(jse.DigestMismatchError, obs.get("x"))
    finally:
        await nc.close()


async def test_info_delete_list_watch_status_seal():
    nc, jsx = await connected()
    try:
        name = unique("POPS")
        obs = await jsx.create_object_store(name, description="files")
        await expect(jse.NotFoundError, obs.list())
        await obs.put("a", b"1")
        watcher = await obs.watch()
        assert (await watcher.updates()).name == "a"
        assert await watcher.updates() is None  # the initial infos are out
        await obs.put("b", b"22")
        await obs.delete("a")
        assert (await watcher.updates()).name == "b"
        gone = await watcher.updates()
        assert (gone.name, gone.deleted, gone.size) == ("a", True, 0)
        await watcher.stop()

        await expect(jse.ObjectNotFoundError, obs.get_info("a"))
        assert (await obs.get_info("a", show_deleted=True)).deleted is True
        await expect(jse.ObjectNotFoundError, obs.get("a"))
        assert (await obs.get("a", show_deleted=True)).data == b""
        await expect(jse.ObjectNotFoundError, obs.delete("a"))
        await expect(jse.ObjectNotFoundError, obs.get_info("never"))
        assert [i.name for i in await obs.list(ignore_deletes=True)] == ["b"]
        assert sorted(i.name for i in await obs.list()) == ["a", "b"]

        # update_meta: a rename keeps the data; a taken name is refused
        await obs.put("c", b"333")
        renamed = await obs.update_meta("c", ObjectMeta(name="d", description="moved"))
        assert (renamed.name, renamed.description) == ("d", "moved")
        assert (await obs.get("d")).data == b"333"
        await expect(jse.ObjectNotFoundError, obs.get_info("c"))
        await expect(jse.ObjectAlreadyExists, obs.update_meta("d", ObjectMeta(name="b")))
        await expect(jse.ObjectDeletedError, obs.update_meta("a", ObjectMeta(description="x")))
        st = await obs.status()
        assert (st.bucket, st.description, st.sealed) == (name, "files", False) and st.size > 0
        await obs.seal()
        assert (await obs.status()).sealed is True
        await expect(jse.Error, obs.put("c", b"x"))
        assert (await obs.get("b")).data == b"22"
        assert await jsx.delete_object_store(name) is True
        await expect(jse.BucketNotFoundError, jsx.object_store(name))
    finally:
        await nc.close()


async def test_typed_errors_and_a_failed_put_leaves_nothing():
    nc, jsx = await connected()
    try:
        await expect(jse.InvalidBucketNameError, jsx.create_object_store("bad.name"))
        obs = await jsx.create_object_store(unique("PERR"))

        async def failing():
            yield ramp(60000)
            raise RuntimeError("source broke")

        await expect(RuntimeError, obs.put("x", failing()))
        await expect(jse.ObjectNotFoundError, obs.get_info("x"))
        assert (await jsx.stream_info(obs.stream)).state.messages == 0
        await nc.close()
        await expect(nats_wasm.errors.ConnectionClosedError, obs.put("y", b"1"))
    finally:
        await nc.close()


async def test_a_cancelled_watch_leaves_nothing_in_the_engine():
    nc, jsx = await connected()
    try:
        obs = await jsx.create_object_store(unique("PCAN"))
        watcher = await obs.watch(updates_only=True)

        async def read():
            async for _ in watcher:
                pass

        task = asyncio.ensure_future(read())
        await asyncio.sleep(0)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        assert int(nc._nc._engine.c.pullSessions()) == 0
    finally:
        await nc.close()


async def test_interop_with_nats_js_object_store():
    nc, jsx = await connected()
    try:
        name = unique("PI")
        obs = await jsx.create_object_store(name)
        theirs = json.loads(await js.natsTestEnv.natsjs.objPut(name, "from.js", ramp(200000)))
        res = await obs.get("from.js")
        assert res.data == ramp(200000)
        assert (res.info.nuid, res.info.size, res.info.chunks, res.info.digest) == \
            (theirs["nuid"], theirs["size"], theirs["chunks"], theirs["digest"])
        await obs.put("from.py", ramp(150001))
        got = await js.natsTestEnv.natsjs.objGet(name, "from.py")
        assert bytes(got.to_py()) == ramp(150001)
    finally:
        await nc.close()
