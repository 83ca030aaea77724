"""nats-wasm streaming demo: a partitioned topic, produced to and consumed
from Python in Pyodide.

- a topic "clicks" with 4 partitions (a JetStream stream, clicks.0..clicks.3);
- a producer sending keyed records at `rate` records/s (pipelined, every one
  acknowledged; a key always goes to the same partition);
- a consumer group "workers" of two workers sharing the records;
- an ordered reader of the whole topic from an `offset` (beginning, end,
  last:N or time:<RFC 3339>);
- the settings in a key-value bucket, watched: change `rate` or `offset`
  (from the page, another tab, or node with the JS package) and this
  program follows;
- twice a second a report: records/s produced and consumed per partition,
  the group's lag, the reader's count, and connection events.

`main(url, report, duration)` runs it; the page (examples/streaming.html) and
`npm run demo` (under Node) both call it. Edit it in the page and run again.
"""

import asyncio
import json
import random
import time

import nats_wasm
from nats_wasm.js import Offset
from nats_wasm.js import errors as jserrors
from nats_wasm.js.partitions import (consumer_groups, create_consumer_group, create_topic,
                                     partition_for, topic_producer)

TOPIC = "clicks"
PARTITIONS = 4
GROUP = "workers"
BUCKET = "demo_settings"
DEFAULTS = {"rate": "200", "offset": "last:100"}


def parse_offset(text):
    """'beginning', 'end', 'last:N' or 'time:<RFC 3339>' as an Offset."""
    if text.startswith("last:"):
        return Offset.from_end(max(1, int(text[5:])))
    if text.startswith("time:"):
        return Offset.from_time(text[5:])
    return Offset.end() if text == "end" else Offset.beginning()


class Demo:
    def __init__(self, nc, report):
        self.nc = nc
        self.js = nc.jetstream()
        self.report = report
        self.settings = dict(DEFAULTS)
        self.produced = [0] * PARTITIONS
        self.consumed = [0] * PARTITIONS
        self.read = 0
        self.reader = None

    async def setup(self):
        try:
            await self.js.stream_info(TOPIC)
        except jserrors.NotFoundError:
            await create_topic(self.js, TOPIC, PARTITIONS, max_msgs=200_000)
        try:
            self.kv = await self.js.key_value(BUCKET)
        except jserrors.BucketNotFoundError:
            self.kv = await self.js.create_key_value(bucket=BUCKET)
        for key, value in DEFAULTS.items():
            try:
                self.settings[key] = (await self.kv.get(key)).value.decode()
            except jserrors.KeyNotFoundError:
                await self.kv.create(key, value.encode())
        try:
            await create_consumer_group(self.js, TOPIC, GROUP, Offset.end())
        except jserrors.APIError:
            pass  # the group exists (another run or tab): keep its committed offset
        self.producer = await topic_producer(self.js, TOPIC)

    async def produce(self):
        """`rate` keyed records/s, sent in ticks of 100 ms; each tick's
        records are pipelined and all acknowledged before the next."""
        owed = 0.0
        while True:
            owed += float(self.settings["rate"]) / 10
            for _ in range(int(owed)):
                key = f"user-{random.randrange(100)}"
                await self.producer.send_async(key, json.dumps({"key": key, "t": time.time()}).encode())
                self.produced[partition_for(key, PARTITIONS)] += 1
            owed -= int(owed)
            await self.producer.flush()
            await asyncio.sleep(0.1)

    async def work(self):
        """One worker of the group: records are shared between the workers."""
        consumer = await self.js.get_consumer(TOPIC, GROUP)
        async with consumer.messages() as records:
            async for record in records:
                self.consumed[int(record.subject.rsplit(".", 1)[1])] += 1
                await record.ack()

    async def read_from_offset(self, offset):
        """An ordered reader of every partition from `offset`."""
        self.read = 0
        consumer = await self.js.ordered_consumer(TOPIC, offset=parse_offset(offset))
        async with consumer.messages() as records:
            async for _ in records:
                self.read += 1

    def restart_reader(self):
        if self.reader is not None:
            self.reader.cancel()
        self.reader = asyncio.ensure_future(self.read_from_offset(self.settings["offset"]))

    async def watch_settings(self):
        watcher = await self.kv.watchall()
        async for entry in watcher:
            if entry is None or entry.value is None:
                continue
            old = self.settings.get(entry.key)
            self.settings[entry.key] = entry.value.decode()
            self.report({"setting": entry.key, "value": self.settings[entry.key]})
            if entry.key == "offset" and old != self.settings["offset"]:
                self.restart_reader()

    async def measure(self):
        """Twice a second: rates per partition since the last report, lag."""
        last_p, last_c, last_t = list(self.produced), list(self.consumed), time.monotonic()
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            dt = max(now - last_t, 1e-3)
            lag = None
            try:
                lag = next((g.lag for g in await consumer_groups(self.js, TOPIC) if g.name == GROUP), None)
            except nats_wasm.errors.Error:
                pass  # e.g. reconnecting: this report has no lag
            self.report({
                "time": time.time(),
                "produced_per_s": [round((p - q) / dt, 1) for p, q in zip(self.produced, last_p)],
                "consumed_per_s": [round((c - q) / dt, 1) for c, q in zip(self.consumed, last_c)],
                "produced": sum(self.produced), "consumed": sum(self.consumed),
                "lag": lag, "read": self.read, "settings": dict(self.settings),
            })
            last_p, last_c, last_t = list(self.produced), list(self.consumed), now


def print_report(event):
    """The report under Node: one line per second, and every event."""
    if "produced_per_s" not in event:
        print("  ", event)
        return
    print_report.n = getattr(print_report, "n", 0) + 1
    if print_report.n % 2 == 0:
        print(f"   produced {event['produced']:6d}  consumed {event['consumed']:6d}  "
              f"lag {event['lag']}  read {event['read']}  "
              f"rate/partition {event['produced_per_s']}")


async def main(url, report=print_report, duration=None):
    async def disconnected():
        report({"status": "disconnected"})

    async def reconnected():
        report({"status": f"reconnected to {nc.connected_url.netloc}"})

    nc = await nats_wasm.connect(url, name="streaming demo", max_reconnect_attempts=-1,
                                 disconnected_cb=disconnected, reconnected_cb=reconnected)
    report({"status": f"connected to {nc.connected_url} (nats-server {nc.server_info['version']})"})
    demo = Demo(nc, report)
    tasks = []
    try:
        await demo.setup()
        demo.restart_reader()
        tasks = [asyncio.ensure_future(c) for c in
                 (demo.produce(), demo.work(), demo.work(), demo.watch_settings(), demo.measure())]
        if duration is None:
            await asyncio.gather(*tasks)
        else:
            await asyncio.sleep(duration)
    finally:
        for t in tasks + [demo.reader]:
            if t is not None:
                t.cancel()
        await asyncio.gather(*(t for t in tasks + [demo.reader] if t is not None),
                             return_exceptions=True)
        await nc.close()
        report({"status": "stopped"})
