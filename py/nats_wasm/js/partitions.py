"""Topics with partitions (the Fluvio model) over JetStream. The hash and the
subject layout are the engine's (core/include/nats/jetstream/partitions.hpp):
the same key goes to the same partition from Python, JavaScript and C++."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from .. import _ffi, _loader, errors
from . import api
from .consumer import Consumer
from .offset import Offset

#: The header carrying a record's key.
PARTITION_KEY_HEADER = "Partition-Key"


def _core() -> Any:
    if _loader._module is None:
        raise errors.Error("the engine is not loaded yet: connect first", "illegal_state")
    return _loader._module.pyodide


def partition_for(key: Union[str, bytes], partitions: int) -> int:
    """The partition of ``key`` among ``partitions`` (FNV-1a 32 of its UTF-8 bytes, mod partitions)."""
    text = key.decode() if isinstance(key, bytes) else str(key)
    p = int(_core().partitionFor(text, partitions))
    if p < 0:
        raise errors.InvalidArgumentError(f"invalid partition count {partitions}", "invalid_argument")
    return p


def topic_subjects(topic: str, partitions: int) -> List[str]:
    """["<topic>.0", ..., "<topic>.<n-1>"]."""
    out = _core().topicSubjects(topic, partitions).to_py()
    if out and isinstance(out[0], int):
        raise errors.translate_code(out[0], out[1])
    return out


def topic_config(topic: str, partitions: int, **config: Any) -> api.StreamConfig:
    """A stream config for a topic with ``partitions`` partitions."""
    return api.StreamConfig(name=topic, subjects=topic_subjects(topic, partitions), **config)


def partition_count(info: Union[api.StreamInfo, api.StreamConfig]) -> int:
    """How many partitions a stream has as a topic (0 when it is not one)."""
    cfg = info.config if isinstance(info, api.StreamInfo) else info
    return int(_core().partitionCount(cfg.name or "", _ffi.to_js(list(cfg.subjects or []))))


async def create_topic(jsm: Any, topic: str, partitions: int, **config: Any) -> api.StreamInfo:
    """Creates a topic: a stream named after it with one subject per partition."""
    return await jsm.add_stream(topic_config(topic, partitions, **config))


class TopicProducer:
    """Fluvio's TopicProducer: ``send(key, value)`` publishes to the key's
    partition (key in a header), pipelined; ``flush()`` awaits every ack."""

    def __init__(self, js: Any, topic: str, partitions: int) -> None:
        self._js = js
        self.topic = topic
        self.partitions = partitions
        self._pending: list = []

    async def send(self, key: Optional[Union[str, bytes]], value: bytes) -> api.PubAck:
        """Publishes one record and waits for its PubAck."""
        fut = await self.send_async(key, value)
        return await fut

    async def send_async(self, key: Optional[Union[str, bytes]], value: bytes) -> Any:
        """Queues one record; returns a future of its PubAck (bounded by the window)."""
        if key is None:
            return await self._js.publish_async(partition_subject(self.topic, 0), value)
        k = key.decode() if isinstance(key, bytes) else str(key)
        subject = partition_subject(self.topic, partition_for(k, self.partitions))
        return await self._js.publish_async(subject, value, headers={PARTITION_KEY_HEADER: k})

    async def send_all(self, records: Iterable[Tuple[Optional[Union[str, bytes]], bytes]]) -> List[api.PubAck]:
        futures = [await self.send_async(k, v) for k, v in records]
        return [await f for f in futures]

    async def flush(self) -> None:
        """Waits until every record sent so far is acknowledged."""
        await self._js.publish_async_completed()


async def topic_producer(js: Any, topic: str) -> TopicProducer:
    """A producer for an existing topic (reads its partition count)."""
    n = partition_count(await js.stream_info(topic))
    if n == 0:
        raise errors.InvalidArgumentError(f"stream '{topic}' is not a topic with partitions", "invalid_name")
    return TopicProducer(js, topic, n)


# --- consuming topics ---------------------------------------------------------------


def partition_subject(topic: str, partition: int) -> str:
    """The subject of one partition (the engine's layout)."""
    if not isinstance(partition, int) or partition < 0:
        raise errors.InvalidArgumentError(f"invalid partition {partition}", "invalid_argument")
    return topic_subjects(topic, partition + 1)[partition]


async def partition_consumer(js: Any, topic: str, partition: int,
                             offset: Optional[Offset] = None, **opts: Any) -> Consumer:
    """Fluvio's ``partition_consumer(topic, p)`` + ``stream(offset)``: an
    ordered consumer of one partition, from ``offset`` (the beginning by
    default). Iterate ``consumer.messages()``."""
    return await js.ordered_consumer(topic, filter_subjects=partition_subject(topic, partition),
                                     offset=offset or Offset.beginning(), **opts)


async def multi_partition_consumer(js: Any, topic: str, offset: Optional[Offset] = None,
                                   **opts: Any) -> Consumer:
    """An ordered consumer of every partition of a topic (stream order)."""
    return await js.ordered_consumer(topic, offset=offset or Offset.beginning(), **opts)


@dataclass
class ConsumerGroup:
    """A consumer group's progress: ``committed`` is its ack floor (the
    stream sequence every record up to which is acknowledged), ``lag`` the
    records not yet acknowledged (``pending`` + ``ack_pending``)."""

    name: str
    filter: str
    committed: int
    delivered: int
    pending: int
    ack_pending: int
    lag: int


async def create_consumer_group(js: Any, topic: str, group: str, offset: Optional[Offset] = None,
                                partition: Optional[int] = None,
                                config: Optional[api.ConsumerConfig] = None) -> api.ConsumerInfo:
    """A durable pull consumer with explicit acks that workers share (each
    record to one of them), starting at ``offset``; ``partition`` limits it
    to one partition. Workers consume it with ``js.get_consumer(topic, group)``."""
    cfg = (config or api.ConsumerConfig()).evolve(durable_name=group,
                                                  ack_policy=api.AckPolicy.EXPLICIT)
    if partition is not None:
        cfg = cfg.evolve(filter_subject=partition_subject(topic, partition))
    args: Dict[str, Any] = {"stream": topic, "config": cfg.as_dict(), "action": "create"}
    if offset is not None:
        args["offset"] = json.loads(offset.as_json())
    return api.ConsumerInfo.from_response(await js._call("consumer_create", args))


async def consumer_groups(js: Any, topic: str) -> List[ConsumerGroup]:
    """Every consumer group of a topic with its committed offset and lag."""
    resp = await js._call("consumer_groups", {"stream": topic})
    return [ConsumerGroup(**g) for g in resp["groups"]]


async def delete_consumer_group(js: Any, topic: str, group: str) -> bool:
    """Deletes a group (its committed offset goes with it)."""
    return bool(await js.delete_consumer(topic, group))
