"""JetStream from Python in Pyodide (nats.py names) against a real server:
publish with acks, publish_async within the window, streams, consumers,
messages, the account, error classes, partitions, interop with nats.js."""

import asyncio
import json

import js
import nats_wasm
from helpers import connected, expect, unique
from nats_wasm import errors
from nats_wasm.js import api, errors as jse
from nats_wasm.js.partitions import create_topic, partition_count, partition_for, topic_producer


async def new_stream(jsx, **cfg):
    name = unique("PY")
    await jsx.add_stream(name=name, subjects=[f"{name}.>"], **cfg)
    return name


async def test_publish_acks_and_duplicates():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx)
        ack = await jsx.publish(f"{s}.a", b"one", headers={"Nats-Msg-Id": "m1"})
        assert isinstance(ack, api.PubAck)
        assert (ack.stream, ack.seq, ack.duplicate) == (s, 1, None)
        dup = await jsx.publish(f"{s}.a", b"two", headers={"Nats-Msg-Id": "m1"})
        assert dup.duplicate is True and dup.seq == 1
        ok = await jsx.publish(f"{s}.a", b"three", stream=s)
        assert ok.seq == 2
    finally:
        await nc.close()


async def test_expectation_errors_carry_err_code():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx)
        await jsx.publish(f"{s}.a", b"x")
        e = await expect(jse.BadRequestError, jsx.publish(
            f"{s}.a", b"x", headers={"Nats-Expected-Last-Sequence": "9"}))
        assert e.err_code == 10071 and e.code == 400
        assert isinstance(e, jse.APIError) and "wrong last sequence" in e.description
        e = await expect(jse.APIError, jsx.publish(f"{s}.a", b"x", stream="OTHER"))
        assert e.err_code == 10060
        await expect(jse.NoStreamResponseError, jsx.publish(unique("nostream"), b"x"))
    finally:
        await nc.close()


async def test_publish_async_pipelines_within_the_window():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    jsx = nc.jetstream(publish_async_max_pending=64)
    try:
        s = await new_stream(jsx)
        futures = []
        for i in range(5000):
            futures.append(await jsx.publish_async(f"{s}.p", b"m%d" % i))
            assert jsx.publish_async_pending() <= 64
        await jsx.publish_async_completed()
        assert jsx.publish_async_pending() == 0
        assert [f.result().seq for f in futures] == list(range(1, 5001))
        assert (await jsx.stream_info(s)).state.messages == 5000
        e = await expect(jse.NoStreamResponseError, await jsx.publish_async(unique("none"), b"x"))
        assert str(e)
    finally:
        await nc.close()


async def test_publish_async_settles_each_future_from_a_mixed_batch_of_acks():
    # Acks cross from JavaScript a batch at a time, as typed arrays with a
    # table of stream names and the failures apart (pyodide_js_publish.mjs):
    # two streams and a subject without one, interleaved, must each settle
    # their own future.
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    jsx = nc.jetstream(publish_async_max_pending=256)
    try:
        a = await new_stream(jsx)
        b = await new_stream(jsx)
        lost = unique("nostream")
        futures = []
        for i in range(30):
            target = (f"{a}.x", f"{b}.x", lost)[i % 3]
            futures.append((i % 3, await jsx.publish_async(target, b"m%d" % i)))
        await jsx.publish_async_completed()
        seqs = {0: [], 1: []}
        for kind, future in futures:
            if kind == 2:
                assert isinstance(future.exception(), jse.NoStreamResponseError)
                continue
            ack = future.result()
            assert ack.stream == (a, b)[kind]
            assert ack.duplicate is None
            seqs[kind].append(ack.seq)
        assert seqs == {0: list(range(1, 11)), 1: list(range(1, 11))}
    finally:
        await nc.close()


async def test_publish_async_wait_stall_raises():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    jsx = nc.jetstream(publish_async_max_pending=1)
    try:
        subj = unique("slow")
        await nc.subscribe(subj)  # answers nothing: the ack never comes
        await nc.flush()
        first = await jsx.publish_async(subj, b"x")
        await expect(jse.TooManyStalledMsgsError, jsx.publish_async(subj, b"y", wait_stall=0.05))
    finally:
        await nc.close()
    await expect(errors.ConnectionClosedError, first)


async def test_streams_admin():
    nc, jsx = await connected()
    try:
        name = unique("ST")
        si = await jsx.add_stream(api.StreamConfig(name=name, subjects=[f"{name}.*"], max_age=60.0,
                                                   storage=api.StorageType.MEMORY))
        assert si.config.max_age == 60.0 and si.config.storage == "memory"
        assert si.state.messages == 0
        si.config.max_msgs = 10
        up = await jsx.update_stream(si.config)
        assert up.config.max_msgs == 10
        assert name in await jsx.stream_names()
        assert await jsx.find_stream_name_by_subject(f"{name}.x") == name
        assert any(i.config.name == name for i in await jsx.streams_info())
        for i in range(3):
            await jsx.publish(f"{name}.k{i}", b"v")
        info = await jsx.stream_info(name, subjects_filter=">")
        assert info.state.subjects == {f"{name}.k0": 1, f"{name}.k1": 1, f"{name}.k2": 1}
        assert await jsx.purge_stream(name, subject=f"{name}.k0")
        assert (await jsx.stream_info(name)).state.messages == 2
        assert await jsx.delete_stream(name)
        e = await expect(jse.NotFoundError, jsx.stream_info(name))
        assert e.err_code == 10059
        e = await expect(jse.BadRequestError, jsx.add_stream(name=unique("OV"), subjects=[f"{await new_stream(jsx)}.x"]))
        assert e.err_code == 10065
        await expect(errors.InvalidArgumentError, jsx.add_stream(name="a.b", subjects=["x"]))
    finally:
        await nc.close()


async def test_messages_get_direct_and_delete():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, allow_direct=True)
        await jsx.publish(f"{s}.a", b"first", headers={"K": "v"})
        await jsx.publish(f"{s}.a", b"last")
        m = await jsx.get_msg(s, seq=1)
        assert (m.subject, m.seq, m.data, m.headers) == (f"{s}.a", 1, b"first", {"K": "v"})
        assert m.time is not None and m.time.tzinfo is not None
        last = await jsx.get_last_msg(s, f"{s}.a")
        assert last.seq == 2 and last.data == b"last"
        direct = await jsx.get_msg(s, subject=f"{s}.a", direct=True)
        assert direct.seq == 2 and direct.headers["Nats-Stream"] == s
        assert await jsx.delete_msg(s, 1)
        e = await expect(jse.NotFoundError, jsx.get_msg(s, seq=1))
        assert e.err_code == 10037
        await expect(jse.NotFoundError, jsx.get_msg(s, seq=1, direct=True))
    finally:
        await nc.close()


async def test_consumers_admin_and_account():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx)
        ci = await jsx.add_consumer(s, durable_name="work", ack_wait=2.5, max_deliver=3)
        assert ci.name == "work" and ci.config.ack_wait == 2.5
        assert (await jsx.consumer_info(s, "work")).config.max_deliver == 3
        assert [c.name for c in await jsx.consumers_info(s)] == ["work"]
        assert await jsx.consumer_names(s) == ["work"]
        assert await jsx.delete_consumer(s, "work")
        e = await expect(jse.NotFoundError, jsx.consumer_info(s, "work"))
        assert e.err_code == 10014
        acct = await jsx.account_info()
        assert acct.streams >= 1 and acct.limits.max_streams != 0 and acct.api.total > 0
        jsm = nc.jsm()
        assert (await jsm.account_info()).streams == acct.streams
    finally:
        await nc.close()


async def test_no_jetstream_server_is_service_unavailable():
    nc = await nats_wasm.connect(js.natsTestEnv.noJetStreamWsUrl)
    try:
        e = await expect(jse.ServiceUnavailableError, nc.jetstream().account_info())
        assert e.code == 503
        await expect(jse.NoStreamResponseError, nc.jetstream().publish("x", b"y"))
    finally:
        await nc.close()


async def test_cancelled_call_leaves_nothing_in_the_engine():
    nc, jsx = await connected()
    try:
        subj = unique("slow")
        await nc.subscribe(subj)
        await nc.flush()
        task = asyncio.ensure_future(jsx.publish(subj, b"x", timeout=30))
        await asyncio.sleep(0.05)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        assert int(nc._nc._engine.c.jsInFlight()) == 0
    finally:
        await nc.close()


async def test_partitions_match_the_shared_vectors_and_topics_work():
    with open("/nats/vectors/jetstream/partitions.json") as f:
        doc = json.load(f)
    nc, jsx = await connected()
    try:
        for c in doc["cases"]:
            assert partition_for(c["key"], c["partitions"]) == c["partition"], c
        topic = unique("T")
        si = await create_topic(jsx, topic, 3)
        assert partition_count(si) == 3
        producer = await topic_producer(jsx, topic)
        acks = [await producer.send(k, b"v") for k in ["a", "b", "c", "a"]]
        await producer.flush()
        assert all(a.stream == topic for a in acks)
        p = partition_for("a", 3)
        info = await jsx.stream_info(topic, subjects_filter=f"{topic}.{p}")
        assert info.state.subjects[f"{topic}.{p}"] >= 2
    finally:
        await nc.close()


async def test_interop_with_nats_js_both_ways():
    nc, jsx = await connected()
    try:
        a = unique("NJ")
        await js.natsTestEnv.natsjs.addStream(a, [f"{a}.>"])
        stream, seq, _ = (await js.natsTestEnv.natsjs.publish(f"{a}.x", "from nats.js", "n1")).to_py()
        assert (stream, seq) == (a, 1)
        assert (await jsx.get_msg(a, seq=1)).data == b"from nats.js"
        dup = await jsx.publish(f"{a}.x", b"again", headers={"Nats-Msg-Id": "n1"})
        assert dup.duplicate
        b = await new_stream(jsx)
        ack = await jsx.publish(f"{b}.y", b"from nats-wasm")
        assert await js.natsTestEnv.natsjs.lastSeq(b) == ack.seq
        assert await js.natsTestEnv.natsjs.getString(b, 1) == "from nats-wasm"
    finally:
        await nc.close()
