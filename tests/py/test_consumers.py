"""Consuming JetStream from Python in Pyodide against a real server: nats.py's
pull_subscribe/fetch and subscribe(ordered_consumer=True), the consumer
objects (get_consumer, ordered_consumer: fetch/next/messages), acks and
metadata, recovery and cancellation (the engine's pull count goes to 0)."""

import asyncio
import datetime

import js
import nats_wasm
from helpers import connected, expect, settled, unique
from nats_wasm import Msg, errors
from nats_wasm.js import api, errors as jse


async def new_stream(jsx, count=0, **cfg):
    name = unique("PC")
    await jsx.add_stream(name=name, subjects=[f"{name}.>"], **cfg)
    for i in range(count):
        await jsx.publish_async(f"{name}.k{i % 3}", b"m%d" % i)
    await jsx.publish_async_completed()
    return name


def pulls(nc):
    """Pull sessions still in the engine."""
    return int(nc._nc._engine.c.pullSessions())


async def test_pull_subscribe_fetch_and_ack():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 10)
        psub = await jsx.pull_subscribe(f"{s}.>", durable="work")
        msgs = await psub.fetch(4, timeout=1)
        assert [m.data for m in msgs] == [b"m0", b"m1", b"m2", b"m3"]
        for m in msgs:
            await m.ack()
        rest = await psub.fetch(100, timeout=1)
        assert [m.data for m in rest] == [b"m%d" % i for i in range(4, 10)], "returns what is there"
        for m in rest[:-1]:
            await m.ack()
        # The server confirms the last ack after it has applied the ones before it.
        await rest[-1].ack_sync()
        info = await psub.consumer_info()
        assert info.num_pending == 0 and info.ack_floor.stream_seq == 10
        assert info.num_ack_pending == 0
        # nats.py: nothing at all raises TimeoutError (an asyncio.TimeoutError too).
        await expect(errors.TimeoutError, psub.fetch(1, timeout=0.3))
        await expect(asyncio.TimeoutError, psub.fetch(5, timeout=0.3))
        e = await expect(jse.FetchTimeoutError, psub.fetch(2, timeout=1.2, heartbeat=0.5))
        assert isinstance(e, errors.TimeoutError)
        try:
            await psub.fetch(0)
            raise AssertionError("batch 0 must be refused")
        except ValueError:
            pass
        # The same durable bound again sees no more and shares the ack state.
        again = await jsx.pull_subscribe(f"{s}.>", durable="work")
        await expect(errors.TimeoutError, again.fetch(1, timeout=0.2))
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def test_metadata_and_ack_rules():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 2)
        psub = await jsx.pull_subscribe(f"{s}.>", durable="meta")
        m = (await psub.fetch(1, timeout=1))[0]
        md = m.metadata
        assert isinstance(md, nats_wasm.Msg.Metadata)
        assert (md.stream, md.consumer) == (s, "meta")
        assert (md.sequence.stream, md.sequence.consumer) == (1, 1)
        assert md.num_delivered == 1 and md.num_pending == 1 and md.domain is None
        assert md.timestamp.tzinfo is not None
        assert abs((datetime.datetime.now(datetime.timezone.utc) - md.timestamp).total_seconds()) < 60
        await m.in_progress()
        await m.in_progress()  # repeatable
        await m.ack()
        assert m.is_acked
        await expect(errors.MsgAlreadyAckdError, m.ack())
        await expect(errors.MsgAlreadyAckdError, m.term())
        plain = nats_wasm.Msg("x", "", b"", None)
        await expect(errors.NotJSMessageError, plain.ack())
        try:
            plain.metadata
            raise AssertionError("a plain message has no metadata")
        except errors.NotJSMessageError:
            pass
        n = (await psub.fetch(1, timeout=1))[0]
        await nc.close()
        await expect(errors.ConnectionClosedError, n.ack())
    finally:
        await nc.close()


async def test_nak_with_delay_redelivers_and_term_does_not():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 2)
        c = await jsx.get_consumer(s, (await jsx.add_consumer(s, durable_name="redo",
                                                              ack_wait=30)).name)
        first = await c.next(max_wait=2)
        second = await c.next(max_wait=2)
        assert (first.data, second.data) == (b"m0", b"m1")
        await first.nak(delay=0.3)
        await second.term()
        again = await c.next(max_wait=3)
        assert again.data == b"m0" and again.metadata.num_delivered == 2
        confirmed = await again.ack_sync()
        # As nats.py: the server's (empty) reply, not the message acknowledged.
        assert isinstance(confirmed, Msg) and confirmed is not again
        assert confirmed.data == b"" and again.is_acked
        none = await c.fetch(5, max_wait=1)
        assert [m async for m in none] == [] and none.error is None, "term is not redelivered"
        info = await c.get_info()
        assert info.num_ack_pending == 0 and info.num_pending == 0
    finally:
        await nc.close()


async def test_working_extends_the_ack_wait():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 1)
        await jsx.add_consumer(s, durable_name="slow", ack_wait=2)
        c = await jsx.get_consumer(s, "slow")
        m = await c.next(max_wait=2)
        # Keep it in progress past twice the ack wait: never redelivered
        # meanwhile (1.5 s of slack for each progress report under load).
        redelivered = []
        for _ in range(10):
            await m.in_progress()
            batch = await c.fetch(1, max_wait=0.5)
            redelivered += [x async for x in batch]
        assert redelivered == [], "in_progress restarts the ack wait"
        await m.ack_sync()
    finally:
        await nc.close()


async def test_consumer_fetch_from_empty_stream_is_an_empty_batch():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx)
        await jsx.add_consumer(s, durable_name="empty")
        c = await jsx.get_consumer(s, "empty")
        assert c.info.name == "empty" and c.stream_name == s
        batch = await c.fetch(10, max_wait=0.5)
        assert [m async for m in batch] == [] and batch.error is None
        assert await c.fetch_messages(10, max_wait=0.5) == []
        await expect(errors.TimeoutError, c.next(max_wait=0.5))
        assert pulls(nc) == 0
        await expect(jse.NotFoundError, jsx.get_consumer(s, "missing"))
    finally:
        await nc.close()


async def test_messages_5000_acked_then_nothing_pending():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 5000)
        await jsx.add_consumer(s, durable_name="bulk")
        c = await jsx.get_consumer(s, "bulk")
        seen = 0
        stream = c.messages(max_messages=256)
        async for m in stream:
            assert m.data == b"m%d" % seen
            # The last ack is confirmed, so the server applied all before it.
            await (m.ack_sync() if seen == 4999 else m.ack())
            seen += 1
            if seen == 5000:
                break
        await stream.stop()
        assert [m async for m in stream] == [], "ends after stop, nothing more"
        info = await c.get_info()
        assert info.num_pending == 0 and info.num_ack_pending == 0
        assert info.ack_floor.stream_seq == 5000
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def test_cancelling_the_task_stops_the_pull():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx)
        await jsx.add_consumer(s, durable_name="cancel")
        c = await jsx.get_consumer(s, "cancel")
        got = asyncio.Event()

        async def reader():
            async for _ in c.messages():
                got.set()

        task = asyncio.ensure_future(reader())
        await jsx.publish(f"{s}.a", b"x")
        await got.wait()
        assert pulls(nc) == 1
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        assert pulls(nc) == 0, "no pull left once the task is cancelled"
        # async with ends it too.
        async with c.messages() as msgs:
            assert pulls(nc) == 1
            await jsx.publish(f"{s}.a", b"y")
            async for m in msgs:
                assert m.data == b"y"
                break
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def test_consumer_deleted_while_consuming_is_an_error_not_a_hang():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 1)
        await jsx.add_consumer(s, durable_name="doomed")
        c = await jsx.get_consumer(s, "doomed")
        # By default (nats.js): notifications, and it waits for the consumer to return.
        waiting = c.messages(max_wait=2)
        first = await waiting.__anext__()
        assert first.data == b"m0"
        await first.ack()
        notes = waiting.status()
        strict = c.messages(max_wait=2, abort_on_missing_resource=True)
        await strict
        fetching = await c.fetch(5, max_wait=5)
        await jsx.delete_consumer(s, "doomed")
        async for n in notes:
            if n["type"] == "consumer_deleted":
                assert n["code"] == 409
                break
        e = await expect(jse.ConsumerDeletedError, strict.__anext__())
        assert isinstance(e, jse.NotFoundError)
        assert [m async for m in fetching] == []
        assert isinstance(fetching.error, jse.ConsumerDeletedError), fetching.error
        await waiting.stop()
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def test_heartbeats_missed_then_consume_resumes_with_nothing_lost():
    server = await js.natsTestEnv.startServer()
    try:
        nc, jsx = await connected(server.wsUrl)
        s = await new_stream(jsx, 5)
        await jsx.add_consumer(s, durable_name="hb")
        c = await jsx.get_consumer(s, "hb")
        msgs = c.messages(max_messages=10, max_wait=2, heartbeat=0.5)
        got = []
        async for m in msgs:
            got.append(m.data)
            await m.ack()
            if len(got) == 5:
                break
        notes = msgs.status()
        server.pause()
        missed = None
        async for n in notes:
            if n["type"] == "heartbeats_missed":
                missed = n
                break
        server.resume()
        assert missed is not None and missed["count"] >= 2
        for i in range(5, 10):
            await jsx.publish(f"{s}.k", b"m%d" % i)
        async for m in msgs:
            got.append(m.data)
            await m.ack()
            if len(got) == 10:
                break
        assert got == [b"m%d" % i for i in range(10)], "nothing lost, nothing twice"
        await msgs.stop()
        await nc.close()
    finally:
        await server.stop()


async def test_ordered_consumer_resets_after_its_consumer_is_deleted():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 5)
        async with await jsx.ordered_consumer(s) as oc:
            msgs = oc.messages()
            seqs = []
            async for m in msgs:
                seqs.append(m.metadata.sequence.stream)
                if len(seqs) == 3:
                    break
            first_name = oc.name
            await jsx.delete_consumer(s, first_name)
            for i in range(5, 8):
                await jsx.publish(f"{s}.k", b"m%d" % i)
            async for m in msgs:
                seqs.append(m.metadata.sequence.stream)
                if len(seqs) == 8:
                    break
            assert seqs == list(range(1, 9)), "each message once, in order"
            assert oc.name != first_name
            await msgs.stop()
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def test_ordered_deliver_policies():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 9)

        async def first(**opts):
            oc = await jsx.ordered_consumer(s, **opts)
            try:
                return (await oc.next(max_wait=2)).data
            finally:
                await oc.close()

        assert await first() == b"m0"
        assert await first(deliver_policy=api.DeliverPolicy.LAST) == b"m8"
        assert await first(deliver_policy="by_start_sequence", opt_start_seq=4) == b"m3"
        assert await first(deliver_policy="last_per_subject", filter_subjects=f"{s}.k1") == b"m7"
        assert await first(filter_subjects=[f"{s}.k2"]) == b"m2"
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
        assert await first(deliver_policy="by_start_time", opt_start_time=past) == b"m0"
        oc = await jsx.ordered_consumer(s, deliver_policy="new")
        await expect(errors.TimeoutError, oc.next(max_wait=0.3))
        await jsx.publish(f"{s}.k", b"later")
        assert (await oc.next(max_wait=2)).data == b"later"
        await oc.close()
    finally:
        await nc.close()


async def test_js_subscribe_ordered_and_durable_with_callback():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 3)
        sub = await jsx.subscribe(f"{s}.>", ordered_consumer=True)
        got = [(await sub.next_msg(timeout=2)).data for _ in range(3)]
        assert got == [b"m0", b"m1", b"m2"]
        await expect(errors.TimeoutError, sub.next_msg(timeout=0.2))
        # nats.py's unsubscribe(limit) is refused here, not ignored; the
        # subscription goes on.
        await expect(errors.InvalidArgumentError, sub.unsubscribe(limit=2))
        await jsx.publish(f"{s}.x", b"m3")
        assert (await sub.next_msg(timeout=2)).data == b"m3"
        await sub.unsubscribe()

        seen = []
        done = asyncio.Event()

        async def cb(msg):
            seen.append(msg.data)
            if len(seen) == 4:
                done.set()

        dur = await jsx.subscribe(f"{s}.>", durable="cbdur", cb=cb)
        await asyncio.wait_for(done.wait(), 5)
        await dur.unsubscribe()
        assert seen == [b"m0", b"m1", b"m2", b"m3"]
        # Auto-acks are plain acks: the server applies them from its own queue.
        await settled(lambda: jsx.consumer_info(s, "cbdur"),
                      lambda i: i.num_ack_pending == 0 and i.ack_floor.stream_seq == 4)
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def test_queue_group_shares_messages_exactly_once():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 3000)
        await jsx.add_consumer(s, durable_name="group", ack_wait=30, max_ack_pending=10000)
        workers = [await jsx.get_consumer(s, "group") for _ in range(3)]
        seen = [[], [], []]
        total = [0]
        done = asyncio.Event()

        async def work(i, consumer):
            async for m in consumer.messages(max_messages=50):
                seen[i].append(m.metadata.sequence.stream)
                await m.ack()
                total[0] += 1
                if total[0] == 3000:
                    done.set()

        tasks = [asyncio.ensure_future(work(i, c)) for i, c in enumerate(workers)]
        await asyncio.wait_for(done.wait(), 20)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        everything = sorted(seen[0] + seen[1] + seen[2])
        assert everything == list(range(1, 3001)), "each message to exactly one worker"
        assert all(len(x) > 0 for x in seen), [len(x) for x in seen]
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def first_of(consumer, n, max_wait=2, then_none=False):
    """The data of up to n messages of an ordered consumer, then closes it.
    then_none: after the n, a short wait must find nothing more (each of
    the n still gets the whole max_wait: a slow delivery is no short list)."""
    got = []
    try:
        while len(got) < n:
            try:
                got.append((await consumer.next(max_wait=max_wait)).data)
            except errors.TimeoutError:
                break
        if then_none and len(got) == n:
            await expect(errors.TimeoutError, consumer.next(max_wait=0.5))
        return got
    finally:
        await consumer.close()


async def test_offsets_on_ordered_consumers():
    from nats_wasm.js import Offset

    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 10)

        async def oc(offset):
            return await jsx.ordered_consumer(s, offset=offset)

        assert await first_of(await oc(Offset.beginning()), 2) == [b"m0", b"m1"]
        assert await first_of(await oc(Offset.absolute(4)), 2) == [b"m3", b"m4"]
        assert await first_of(await oc(Offset.from_end(3)), 3, then_none=True) == [b"m7", b"m8", b"m9"]
        hour_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
        assert await first_of(await oc(Offset.from_time(hour_ago)), 1) == [b"m0"]
        end = await oc(Offset.end())
        await expect(errors.TimeoutError, end.next(max_wait=0.3))
        await jsx.publish(f"{s}.k", b"fresh")
        assert await first_of(end, 1) == [b"fresh"]
        await expect(errors.InvalidArgumentError, oc(Offset.absolute(0)))
        await expect(jse.NotFoundError, jsx.ordered_consumer(unique("none"), offset=Offset.end()))
        assert pulls(nc) == 0
    finally:
        await nc.close()


async def test_partitions_and_consumer_groups():
    from nats_wasm.js import Offset
    from nats_wasm.js.partitions import (consumer_groups, create_consumer_group, create_topic,
                                         delete_consumer_group, multi_partition_consumer,
                                         partition_consumer, partition_for, topic_producer)

    nc, jsx = await connected()
    try:
        topic = unique("PT")
        await create_topic(jsx, topic, 3)
        producer = await topic_producer(jsx, topic)
        keys = ["a", "b", "c", "d", "e", "f"]
        for i in range(60):
            await producer.send_async(keys[i % 6], f"{keys[i % 6]}-{i}".encode())
        await producer.flush()
        p = partition_for("a", 3)
        in_p = [f"{keys[i % 6]}-{i}".encode() for i in range(60) if partition_for(keys[i % 6], 3) == p]
        assert await first_of(await partition_consumer(jsx, topic, p), len(in_p)) == in_p
        last3 = await first_of(await partition_consumer(jsx, topic, p, Offset.from_end(3)), 3,
                               then_none=True)
        assert last3 == in_p[-3:], "the last 3 of the partition"
        every = await first_of(await multi_partition_consumer(jsx, topic), 60)
        for k in keys:
            nums = [int(x.split(b"-")[1]) for x in every if x.startswith(k.encode() + b"-")]
            assert nums == sorted(nums) and len(nums) == 10, k

        await create_consumer_group(jsx, topic, "all", Offset.beginning())
        await create_consumer_group(jsx, topic, "tail", Offset.from_end(5))
        await create_consumer_group(jsx, topic, "p1", partition=1)
        worker = await jsx.get_consumer(topic, "all")
        for m in await worker.fetch_messages(8, max_wait=2):
            await m.ack_sync()
        groups = {g.name: g for g in await consumer_groups(jsx, topic)}
        assert sorted(groups) == ["all", "p1", "tail"]
        assert groups["all"].committed == 8 and groups["all"].lag == 52
        assert groups["tail"].pending == 5
        assert groups["p1"].filter == f"{topic}.1"
        assert await delete_consumer_group(jsx, topic, "tail")
        assert sorted(g.name for g in await consumer_groups(jsx, topic)) == ["all", "p1"]
        assert pulls(nc) == 0
    finally:
        await nc.close()
