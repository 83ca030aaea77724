"""Behaviour tests for compatibility rows (tests/compat/py.json) of nats.js
(JetStream, its api dataclasses, key-value and object-store errors) that no
other test exercised: each name used as a nats.py program uses it, against
a real server. nats.py's values are written out from nats.py 2.15's source
(nats/js/api.py, nats/js/errors.py)."""

import asyncio
import base64
import json

import js
import nats_wasm
from helpers import expect, unique, when_cluster_ready
from nats_wasm import errors
from nats_wasm.js import api
from nats_wasm.js import errors as jse
from nats_wasm.js.kv import KeyValue
from nats_wasm.js.object_store import ObjectStore


async def connected():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    return nc, nc.jetstream()


def round_trips(obj):
    """as_dict() gives the wire form from_response() reads back to the same object."""
    assert type(obj).from_response(obj.as_dict()) == obj, obj
    return obj


async def test_header_status_code_and_prefixes_are_nats_py_values_and_on_the_wire():
    assert {h.name: h.value for h in api.Header} == {
        "CONSUMER_STALLED": "Nats-Consumer-Stalled", "DESCRIPTION": "Description",
        "EXPECTED_LAST_MSG_ID": "Nats-Expected-Last-Msg-Id",
        "EXPECTED_LAST_SEQUENCE": "Nats-Expected-Last-Sequence",
        "EXPECTED_LAST_SUBJECT_SEQUENCE": "Nats-Expected-Last-Subject-Sequence",
        "EXPECTED_STREAM": "Nats-Expected-Stream", "LAST_CONSUMER": "Nats-Last-Consumer",
        "LAST_STREAM": "Nats-Last-Stream", "MSG_ID": "Nats-Msg-Id", "MSG_TTL": "Nats-TTL",
        "ROLLUP": "Nats-Rollup", "STATUS": "Status"}
    assert {c.name: c.value for c in api.StatusCode} == {
        "SERVICE_UNAVAILABLE": "503", "NO_MESSAGES": "404", "REQUEST_TIMEOUT": "408",
        "CONFLICT": "409", "CONTROL_MESSAGE": "100"}
    assert (api.DEFAULT_PREFIX, api.INBOX_PREFIX) == ("$JS.API", b"_INBOX.")
    nc, jsx = await connected()
    try:
        name = unique("S")
        # DEFAULT_PREFIX: where the context's API requests go.
        snoop = await nc.subscribe(f"{api.DEFAULT_PREFIX}.STREAM.CREATE.{name}")
        await jsx.add_stream(name=name, subjects=[f"{name}.>"], allow_rollup_hdrs=True)
        request = await snoop.next_msg(timeout=2)
        assert request.reply.startswith(api.INBOX_PREFIX.decode()), request.reply
        assert nc.new_inbox().startswith(api.INBOX_PREFIX.decode())
        # Header: what JetStream understands.
        assert (await jsx.publish(f"{name}.a", b"1", headers={api.Header.MSG_ID: "m"})).seq == 1
        assert (await jsx.publish(f"{name}.a", b"1", headers={api.Header.MSG_ID: "m"})).duplicate
        for header, value, err_code in ((api.Header.EXPECTED_STREAM, "OTHER", 10060),
                                        (api.Header.EXPECTED_LAST_SEQUENCE, "9", 10071),
                                        (api.Header.EXPECTED_LAST_MSG_ID, "x", 10070),
                                        (api.Header.EXPECTED_LAST_SUBJECT_SEQUENCE, "9", 10071)):
            # The member itself as the key: its value goes on the wire, as in nats.py.
            e = await expect(jse.APIError, jsx.publish(f"{name}.a", b"", headers={header: value}))
            assert e.err_code == err_code, (header, e)
        await jsx.publish(f"{name}.b", b"2")
        await jsx.publish(f"{name}.b", b"3", headers={api.Header.ROLLUP: "sub"})
        assert (await jsx.stream_info(name)).state.messages == 2
        # StatusCode and the status headers of pull replies and no-responder replies.
        await jsx.add_consumer(name, durable_name="d")
        inbox = nc.new_inbox()
        replies = await nc.subscribe(inbox)
        nxt = f"{api.DEFAULT_PREFIX}.CONSUMER.MSG.NEXT.{name}.d"
        await nc.publish(nxt, json.dumps({"batch": 5, "no_wait": True}).encode(), reply=inbox)
        statuses = []
        while not statuses or statuses[-1] == "-":
            h = (await replies.next_msg(timeout=2)).headers or {}
            statuses.append(h.get(api.Header.STATUS, "-"))
        assert statuses == ["-", "-", api.StatusCode.REQUEST_TIMEOUT], statuses  # 2 of 5, then 408
        await nc.publish(nxt, json.dumps({"batch": 1, "no_wait": True}).encode(), reply=inbox)
        h = (await replies.next_msg(timeout=2)).headers
        assert (h[api.Header.STATUS], h[api.Header.DESCRIPTION]) == (api.StatusCode.NO_MESSAGES, "No Messages")
        await nc.publish(nxt, json.dumps({"batch": 1, "expires": 300_000_000,
                                          "idle_heartbeat": 100_000_000}).encode(), reply=inbox)
        h = (await replies.next_msg(timeout=2)).headers
        assert h[api.Header.STATUS] == api.StatusCode.CONTROL_MESSAGE
        assert h[api.Header.DESCRIPTION] == "Idle Heartbeat"
        assert (h[api.Header.LAST_CONSUMER], h[api.Header.LAST_STREAM]) == ("2", "3")
        while h[api.Header.STATUS] == api.StatusCode.CONTROL_MESSAGE:
            h = (await replies.next_msg(timeout=2)).headers
        assert h[api.Header.STATUS] == api.StatusCode.REQUEST_TIMEOUT
        await nc.publish(unique("nobody"), b"", reply=inbox)
        h = (await replies.next_msg(timeout=2)).headers
        assert h[api.Header.STATUS] == api.StatusCode.SERVICE_UNAVAILABLE
    finally:
        await nc.close()


async def test_stream_dataclasses_from_real_replies():
    nc, jsx = await connected()
    try:
        a = unique("A")
        si = await jsx.add_stream(api.StreamConfig(
            name=a, subjects=[f"{a}.>"], retention=api.RetentionPolicy.LIMITS,
            discard=api.DiscardPolicy.NEW, max_msgs=10, placement=api.Placement(tags=["rows"]),
            republish=api.RePublish(src=">", dest=f"rp.{a}.>")))
        assert isinstance(si, api.StreamInfo) and isinstance(si, api.Base)
        assert si.config.placement == api.Placement(tags=["rows"])
        assert si.config.republish == api.RePublish(src=">", dest=f"rp.{a}.>")
        assert (si.config.retention, si.config.discard) == (api.RetentionPolicy.LIMITS, api.DiscardPolicy.NEW)
        republished = await nc.subscribe(f"rp.{a}.>")
        for sub in ("x", "y", "x"):
            await jsx.publish(f"{a}.{sub}", b"v")
        assert (await republished.next_msg(timeout=2)).subject == f"rp.{a}.{a}.x"  # RePublish at work
        info = round_trips(await jsx.stream_info(a, subjects_filter=">"))
        state = info.state
        assert isinstance(state, api.StreamState)
        assert (state.messages, state.first_seq, state.last_seq, state.consumer_count) == (3, 1, 3, 0)
        assert state.subjects == {f"{a}.x": 2, f"{a}.y": 1}
        assert state.lost is None and info.cluster is None  # a single server: no cluster info
        # StreamSource, ExternalStream, StreamSourceInfo.
        b = unique("B")
        ext = api.ExternalStream(api="$JS.ext.API", deliver="ext.deliver")
        bi = round_trips(await jsx.add_stream(name=b, sources=[
            api.StreamSource(name=a, filter_subject=f"{a}.y"), api.StreamSource(name="EXT", external=ext)]))
        assert bi.config.sources[0] == api.StreamSource(name=a, filter_subject=f"{a}.y")
        assert bi.config.sources[1].external == ext
        found = {s.name: s for s in (await jsx.stream_info(b)).sources}
        assert set(found) == {a, "EXT"} and all(isinstance(s, api.StreamSourceInfo) for s in found.values())
        assert all(isinstance(s.lag, int) and isinstance(s.active, int) for s in found.values())
        # LostStreamData: what a server reports after losing data (it never does here).
        lost = api.StreamState.from_response({"messages": 1, "bytes": 2, "first_seq": 1, "last_seq": 4,
                                              "consumer_count": 0, "lost": {"msgs": [2, 3], "bytes": 40}})
        assert lost.lost == api.LostStreamData(msgs=[2, 3], bytes=40)
        round_trips(lost)
        # StoreCompression: nats.py's values (nats-server 2.9 has no compression).
        assert {c.name: c.value for c in api.StoreCompression} == {"NONE": "none", "S2": "s2"}
        # StreamsListIterator from streams_info_iterator (JetStreamManager's).
        it = await jsx.streams_info_iterator()
        assert isinstance(it, api.StreamsListIterator)
        listed = {s.config.name: s for s in it}
        assert {a, b} <= set(listed) and it.total == len(listed) and it.offset == 0
        assert listed[a].state.messages == 3
        assert list(it) == [], "an iterator: used up"
    finally:
        await nc.close()


async def test_consumer_and_account_dataclasses_from_real_replies():
    nc, jsx = await connected()
    try:
        name = unique("S")
        await jsx.add_stream(name=name, subjects=[f"{name}.>"])
        for i in range(3):
            await jsx.publish(f"{name}.a", str(i).encode())
        cfg = api.ConsumerConfig(durable_name="d", ack_policy=api.AckPolicy.EXPLICIT,
                                 replay_policy=api.ReplayPolicy.INSTANT, max_deliver=5, ack_wait=7.5)
        ci = round_trips(await jsx.add_consumer(name, cfg))
        assert isinstance(ci, api.ConsumerInfo) and isinstance(ci.config, api.ConsumerConfig)
        assert (ci.config.ack_policy, ci.config.replay_policy, ci.config.max_deliver, ci.config.ack_wait) == \
            (api.AckPolicy.EXPLICIT, api.ReplayPolicy.INSTANT, 5, 7.5)
        assert cfg.as_dict()["ack_wait"] == 7_500_000_000  # seconds here, nanoseconds on the wire
        # JetStreamContext.pull_subscribe_bind: a pull subscription on that durable.
        psub = await jsx.pull_subscribe_bind("d", name)
        msgs = await psub.fetch(2, timeout=2)
        assert [m.data for m in msgs] == [b"0", b"1"]
        await msgs[0].ack_sync()
        info = round_trips(await jsx.consumer_info(name, "d"))
        assert isinstance(info.delivered, api.SequenceInfo)
        assert (info.delivered.stream_seq, info.ack_floor.stream_seq, info.num_ack_pending,
                info.num_pending) == (2, 1, 1, 1)
        assert info.delivered.last_active is not None
        # AccountInfo, AccountLimits, APIStats.
        acct = round_trips(await jsx.account_info())
        assert isinstance(acct.limits, api.AccountLimits) and isinstance(acct.api, api.APIStats)
        assert acct.streams == len(await jsx.stream_names()) and acct.consumers >= 1
        assert acct.api.total > 0 and acct.api.errors >= 0 and acct.limits.max_streams == -1
        # Tier: a server with tiered limits reports one per tier (the test server has none).
        tiered = api.AccountInfo.from_response({**acct.as_dict(), "tiers": {"R1": {
            "memory": 0, "storage": 5, "streams": 1, "consumers": 2, "limits": acct.limits.as_dict()}}})
        assert tiered.tiers["R1"] == api.Tier(memory=0, storage=5, streams=1, consumers=2, limits=acct.limits)
        assert acct.tiers is None
        # RawStreamMsg from get_msg.
        raw = await jsx.get_msg(name, 3)
        assert isinstance(raw, api.RawStreamMsg)
        assert (raw.subject, raw.seq, raw.sequence, raw.data, raw.stream) == (f"{name}.a", 3, 3, b"2", name)
        assert raw.time is not None and raw.header is None
    finally:
        await nc.close()


async def test_jetstream_manager_exports():
    from nats_wasm.js import JetStreamManager as FromJs
    from nats_wasm.js.manager import JetStreamManager

    assert FromJs is JetStreamManager
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        jsm = nc.jsm()
        assert isinstance(jsm, JetStreamManager)
        name = unique("M")
        await jsm.add_stream(name=name, subjects=[f"{name}.>"])
        assert (await jsm.stream_info(name)).config.name == name
        assert await jsm.delete_stream(name)
        await expect(jse.NotFoundError, jsm.stream_info(name))
    finally:
        await nc.close()


async def test_server_error_from_a_500_reply():
    nc, jsx = await connected()
    try:
        for kw, err_code in (({"num_replicas": 3}, 10074), ({"max_age": 1, "duplicate_window": 5}, 10052)):
            e = await expect(jse.ServerError, jsx.add_stream(name=unique("X"), subjects=[unique("x")], **kw))
            assert (e.code, e.err_code) == (500, err_code)
            assert isinstance(e, jse.APIError)
    finally:
        await nc.close()


async def test_key_value_errors_and_entry_delta():
    nc, jsx = await connected()
    try:
        kv = await jsx.create_key_value(bucket=unique("kv"), history=5)
        assert isinstance(kv, KeyValue)
        for bad in ("bad key", ".x", "x."):
            await expect(jse.InvalidKeyError, kv.put(bad, b"v"))
        await expect(jse.InvalidKeyError, kv.get("a b"))
        for key in ("a", "b", "c"):
            await kv.put(key, key.encode())
        # KeyValue.Entry.delta: entries still to come in the initial watch.
        watcher = await kv.watchall()
        deltas = []
        async for e in watcher:
            if e is None:
                break
            deltas.append((e.key, e.delta))
        await watcher.stop()
        assert deltas == [("a", 2), ("b", 1), ("c", 0)]
        # KeyValueError: the base of the key-value errors of real calls.
        await kv.delete("a")
        e = await expect(jse.KeyValueError, kv.get("a"))
        # As in nats.py: a deleted key is KeyNotFoundError (its KeyDeletedError stays inside get()).
        assert type(e) is jse.KeyNotFoundError and e.op == "DEL" and e.entry.key == "a"
        await expect(jse.KeyValueError, kv.update("b", b"x", last=99))
        assert issubclass(jse.KeyDeletedError, jse.KeyValueError)
        assert issubclass(jse.KeyDeletedError, jse.NotFoundError)
        deleted = jse.KeyDeletedError(entry=e.entry, op="DEL")
        assert (str(deleted), deleted.entry, deleted.op) == ("nats: key was deleted", e.entry, "DEL")
    finally:
        await nc.close()


async def test_object_store_config_info_link_and_link_is_a_bucket_error():
    nc, jsx = await connected()
    try:
        bucket = unique("ob")
        store = await jsx.create_object_store(config=api.ObjectStoreConfig(
            bucket=bucket, description="d", ttl=60.0, storage=api.StorageType.MEMORY,
            placement=api.Placement(tags=["rows"])))
        assert isinstance(store, ObjectStore)
        st = await store.status()
        assert (st.description, st.ttl, st.storage_type, st.stream_info.config.placement) == \
            ("d", 60.0, api.StorageType.MEMORY, api.Placement(tags=["rows"]))
        info = await store.put("f", b"0123456789")
        assert isinstance(info, api.ObjectInfo)
        assert (info.name, info.bucket, info.size, info.chunks, info.deleted) == ("f", bucket, 10, 1, False)
        assert info.digest.startswith("SHA-256=") and info.mtime and info.nuid
        assert round_trips(await store.get_info("f")) == info
        assert not info.is_link()
        assert (await store.get("f")).data == b"0123456789"
        # Links (written by another client; nats.py has no call that makes them).
        async def link(name, target):
            meta = {"name": name, "bucket": bucket, "nuid": unique("n"), "size": 0, "chunks": 0,
                    "digest": "", "options": {"link": target}}
            enc = base64.urlsafe_b64encode(name.encode()).decode()
            await jsx.publish(f"$O.{bucket}.M.{enc}", json.dumps(meta).encode(),
                              headers={api.Header.ROLLUP.value: "sub"})
        await link("to_f", {"bucket": bucket, "name": "f"})
        await link("to_all", {"bucket": bucket})
        to_f = await store.get_info("to_f")
        assert to_f.is_link() and to_f.options.link == api.ObjectLink(bucket=bucket, name="f")
        assert (await store.get("to_f")).data == b"0123456789", "a link to an object reads it"
        to_all = round_trips(await store.get_info("to_all"))
        assert to_all.options.link == api.ObjectLink(bucket=bucket)
        e = await expect(jse.LinkIsABucketError, store.get("to_all"))
        assert isinstance(e, jse.Error)
        # ObjectDeletedError: nats.py's update_meta() of an object that is gone.
        await store.delete("f")
        e = await expect(jse.ObjectDeletedError, store.update_meta("f", api.ObjectMeta(name="g")))
        assert isinstance(e, jse.NotFoundError)
        await expect(jse.ObjectDeletedError, store.update_meta("never", api.ObjectMeta(name="g")))
    finally:
        await nc.close()


async def test_cluster_and_peer_info_from_a_three_node_cluster():
    cluster = await js.natsTestEnv.startCluster()
    nc = None
    try:
        nc = await nats_wasm.connect(cluster.nodes[0].wsUrl)
        name = unique("R3")
        quick = nc.jetstream(timeout=1)
        await when_cluster_ready(
            lambda: quick.add_stream(name=name, subjects=[f"{name}.>"], num_replicas=3))
        jsx = nc.jetstream(timeout=5)
        info = round_trips(await jsx.stream_info(name))
        c = info.cluster
        assert isinstance(c, api.ClusterInfo)
        nodes = {n.name for n in cluster.nodes}
        assert c.name == "wasm-test" and c.leader in nodes
        assert all(isinstance(p, api.PeerInfo) for p in c.replicas)
        assert {p.name for p in c.replicas} | {c.leader} == nodes
        assert all(isinstance(p.current, bool) and isinstance(p.active, int) for p in c.replicas)
    finally:
        if nc is not None:
            await nc.close()
        await cluster.stop()


test_cluster_and_peer_info_from_a_three_node_cluster.timeout = 90
