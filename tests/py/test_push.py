"""Push consumers from Python in Pyodide against a real server, as nats.py
makes them: js.subscribe (a push consumer on a fresh inbox, queue groups as
deliver groups, flow control and heartbeats) and js.subscribe_bind; the
rules on binding to an existing consumer; the engine's session count goes
back to 0."""

import asyncio

from helpers import connected, expect, settled, unique
from nats_wasm import errors as nats_errors
from nats_wasm.js import api, errors as jse


async def new_stream(jsx, count=0, size=None):
    name = unique("PU")
    await jsx.add_stream(name=name, subjects=[f"{name}.>"])
    for i in range(count):
        await jsx.publish_async(f"{name}.k", b"x" * size if size else b"m%d" % i)
    await jsx.publish_async_completed()
    return name


def sessions(nc):
    return int(nc._nc._engine.c.pullSessions())


async def test_subscribe_makes_a_push_consumer_and_auto_acks():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 5)
        sub = await jsx.subscribe(f"{s}.>", durable="pushd", idle_heartbeat=1.0, flow_control=True)
        info = await sub.consumer_info()
        assert info.config.deliver_subject and info.config.deliver_subject.startswith("_INBOX.")
        assert info.config.flow_control is True and info.config.idle_heartbeat == 1.0
        got = [(await sub.next_msg(timeout=2)).data for _ in range(5)]
        # The server marks the consumer bound from its own goroutine, after
        # the SUB: asked once messages have flowed, it knows.
        assert (await sub.consumer_info()).push_bound is True
        assert got == [b"m0", b"m1", b"m2", b"m3", b"m4"]
        await sub.unsubscribe()

        seen = []
        done = asyncio.Event()

        async def cb(msg):
            seen.append(msg.metadata.sequence.stream)
            if len(seen) == 3:
                done.set()

        s2 = await new_stream(jsx, 3)
        cbsub = await jsx.subscribe(f"{s2}.>", durable="cbpush", cb=cb)
        await asyncio.wait_for(done.wait(), 5)
        await cbsub.unsubscribe()
        # Auto-acks are plain acks: the server applies them from its own queue.
        info = await settled(lambda: jsx.consumer_info(s2, "cbpush"),
                             lambda i: i.num_ack_pending == 0 and i.ack_floor.stream_seq == 3)
        assert info.config.deliver_subject, "a push consumer, as nats.py makes"
        assert seen == [1, 2, 3]
        assert sessions(nc) == 0
    finally:
        await nc.close()


async def test_queue_subscribers_share_each_message_once():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx)
        subs = [await jsx.subscribe(f"{s}.>", queue="workers") for _ in range(2)]
        info = await jsx.consumer_info(s, "workers")
        assert info.config.deliver_group == "workers"
        await nc.flush()
        for i in range(40):
            await jsx.publish_async(f"{s}.k", b"m%d" % i)
        await jsx.publish_async_completed()
        seen = [[], []]
        done = asyncio.Event()

        async def work(i, sub):
            async for m in sub.messages:
                seen[i].append(m.metadata.sequence.stream)
                await m.ack()
                if len(seen[0]) + len(seen[1]) == 40:
                    done.set()

        tasks = [asyncio.ensure_future(work(i, sub)) for i, sub in enumerate(subs)]
        await asyncio.wait_for(done.wait(), 10)
        for sub in subs:
            await sub.unsubscribe()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert sorted(seen[0] + seen[1]) == list(range(1, 41)), "each message to one member"
        assert seen[0] and seen[1], [len(x) for x in seen]
        assert sessions(nc) == 0
    finally:
        await nc.close()


async def test_binding_rules_for_existing_push_consumers():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 1)
        await jsx.add_consumer(s, durable_name="grp", deliver_subject=nc.new_inbox(),
                               deliver_group="grp")
        e = await expect(jse.Error, jsx.subscribe(f"{s}.>", durable="grp"))
        assert "deliver group" in str(e)
        await expect(jse.Error, jsx.subscribe(f"{s}.>", queue="other", durable="other2"))
        await jsx.add_consumer(s, durable_name="solo", deliver_subject=nc.new_inbox())
        e = await expect(jse.Error, jsx.subscribe(f"{s}.>", queue="solo"))
        assert "without a deliver group" in str(e)
        first = await jsx.subscribe(f"{s}.>", durable="solo")
        # The server marks the consumer bound from its own goroutine after the
        # SUB (a flush does not prove it); a delivered message does.
        assert (await first.next_msg(timeout=5)).data == b"m0"
        e = await expect(jse.Error, jsx.subscribe(f"{s}.>", durable="solo"))
        assert "bound" in str(e)
        await first.unsubscribe()
        assert sessions(nc) == 0
    finally:
        await nc.close()


async def test_subscribe_bind_reads_by_the_consumers_config():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 3)
        deliver = nc.new_inbox()
        info = await jsx.add_consumer(s, durable_name="bound", deliver_subject=deliver,
                                      ack_policy=api.AckPolicy.EXPLICIT)
        sub = await jsx.subscribe_bind(stream=s, config=info.config, consumer="bound")
        got = []
        for _ in range(3):
            m = await sub.next_msg(timeout=2)
            got.append(m.data)
            await m.ack_sync()
        assert got == [b"m0", b"m1", b"m2"]
        assert (await sub.consumer_info()).num_ack_pending == 0
        await sub.unsubscribe()
        bad = api.ConsumerConfig(durable_name="x")
        try:
            await jsx.subscribe_bind(stream=s, config=bad, consumer="x")
            raise AssertionError("a config without deliver_subject must be refused")
        except TypeError as err:
            assert "deliver_subject" in str(err)
        assert sessions(nc) == 0
    finally:
        await nc.close()


async def test_flow_control_with_a_slow_reader_delivers_everything_in_order():
    nc, jsx = await connected()
    try:
        n = 2000
        s = await new_stream(jsx, n, size=1024)
        sub = await jsx.subscribe(f"{s}.>", idle_heartbeat=1.0, flow_control=True,
                                  config=api.ConsumerConfig(ack_policy=api.AckPolicy.NONE))
        expected = 1
        most = 0
        async for m in sub.messages:
            assert m.metadata.sequence.stream == expected
            expected += 1
            most = max(most, sub.pending_msgs)
            await asyncio.sleep(0)  # a slow reader: one event-loop turn each
            if expected > n:
                break
        assert most < n, f"held {most} of {n}: flow control stalls the server"
        await sub.unsubscribe()
        assert sessions(nc) == 0
    finally:
        await nc.close()


async def test_subscribe_completes_the_callers_config_as_nats_py_does():
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 3)
        given = api.ConsumerConfig(description="mine", max_deliver=4, ack_wait=7.0,
                                   filter_subject="ignored.by.subscribe")
        sub = await jsx.subscribe(f"{s}.k", config=given, deliver_policy=api.DeliverPolicy.LAST,
                                  headers_only=True, inactive_threshold=30.0)
        info = await sub.consumer_info()
        c = info.config
        assert (c.description, c.max_deliver, c.ack_wait) == ("mine", 4, 7.0), "the config's own fields stay"
        assert c.filter_subject == f"{s}.k", "the subscribe subject is the filter"
        assert c.deliver_policy == api.DeliverPolicy.LAST and c.headers_only is True
        assert c.inactive_threshold == 30.0 and not c.flow_control, (c.inactive_threshold, c.flow_control)
        assert c.durable_name is None and c.deliver_subject.startswith("_INBOX.")
        msg = await sub.next_msg(timeout=2)
        assert msg.metadata.sequence.stream == 3 and msg.data == b"", "last, headers only"
        await sub.unsubscribe()
        e = await expect(jse.Error, jsx.subscribe(f"{s}.k", queue="workers", durable="other"))
        assert str(e) == "nats: cannot create queue subscription 'workers' to consumer 'other'" or \
            "cannot create queue subscription 'workers' to consumer 'other'" in str(e)
        assert sessions(nc) == 0
    finally:
        await nc.close()


async def test_a_reader_that_holds_too_much_gets_slow_consumer_and_memory_stays_bounded():
    errs = []
    told = asyncio.Event()

    async def error_cb(e):
        errs.append(e)
        told.set()

    nc, jsx = await connected(error_cb=error_cb)
    try:
        s = await new_stream(jsx)
        # No acks and no flow control: the server pushes without waiting.
        config = api.ConsumerConfig(ack_policy=api.AckPolicy.NONE)
        sub = await jsx.subscribe(f"{s}.>", config=config, pending_msgs_limit=5)
        await nc.flush()
        for i in range(40):
            await jsx.publish_async(f"{s}.k", b"m%d" % i)
        await jsx.publish_async_completed()
        await asyncio.wait_for(told.wait(), 5)
        e = errs[0]
        assert isinstance(e, nats_errors.SlowConsumerError) and e.subject == f"{s}.>" and e.sub is sub
        assert sub.pending_msgs <= 5
        got = [(await sub.next_msg(timeout=2)).data for _ in range(5)]
        assert got == [b"m%d" % i for i in range(5)], "what was held comes first, in order"
        assert len(errs) == 1, "told once per episode"
        await sub.unsubscribe()
        assert sessions(nc) == 0
    finally:
        await nc.close()


async def test_pending_msgs_and_bytes_count_what_arrived_and_was_not_taken():
    """nats.py's Subscription.pending_bytes, on js.subscribe (push) and
    js.pull_subscribe (during a fetch nothing waits: it hands all out)."""
    nc, jsx = await connected()
    try:
        s = await new_stream(jsx, 4, size=100)
        sub = await jsx.subscribe(f"{s}.>", config=api.ConsumerConfig(ack_policy=api.AckPolicy.NONE))
        first = await sub.next_msg(timeout=5)
        assert len(first.data) == 100
        # The other three arrive without being taken.
        await settled(lambda: _counts(sub), lambda c: c == (3, 300))
        await sub.next_msg(timeout=1)
        assert (sub.pending_msgs, sub.pending_bytes) == (2, 200)
        await sub.unsubscribe()
        psub = await jsx.pull_subscribe(f"{s}.>", durable="pb")
        assert (psub.pending_msgs, psub.pending_bytes) == (0, 0)
        assert len(await psub.fetch(4, timeout=2)) == 4
        assert (psub.pending_msgs, psub.pending_bytes, psub.delivered) == (0, 0, 4)
    finally:
        await nc.close()


async def _counts(sub):
    return (sub.pending_msgs, sub.pending_bytes)
