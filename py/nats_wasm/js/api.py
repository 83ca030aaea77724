"""JetStream API types, named and shaped as nats.py's ``nats.js.api``.

Dataclasses convert between Python's units and the wire's: durations are
seconds (float) here and nanoseconds in JSON, times are aware ``datetime``
here and RFC 3339 strings in JSON. Unknown reply fields are ignored, as in
nats.py. What goes on the wire is decided by the engine; these classes only
translate names and types.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Optional

from .api_base import (  # noqa: F401 - hosts call the unit helpers through api
    _NS_LIST, Base, _format_time, _from_ns, _nested, _ns, _parse_time, _time, _to_ns)

DEFAULT_PREFIX = "$JS.API"
INBOX_PREFIX = b"_INBOX."


class Header(str, Enum):
    """Headers JetStream understands."""

    CONSUMER_STALLED = "Nats-Consumer-Stalled"
    DESCRIPTION = "Description"
    EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id"
    EXPECTED_LAST_SEQUENCE = "Nats-Expected-Last-Sequence"
    EXPECTED_LAST_SUBJECT_SEQUENCE = "Nats-Expected-Last-Subject-Sequence"
    EXPECTED_STREAM = "Nats-Expected-Stream"
    LAST_CONSUMER = "Nats-Last-Consumer"
    LAST_STREAM = "Nats-Last-Stream"
    MSG_ID = "Nats-Msg-Id"
    MSG_TTL = "Nats-TTL"
    ROLLUP = "Nats-Rollup"
    STATUS = "Status"


class StatusCode(str, Enum):
    SERVICE_UNAVAILABLE = "503"
    NO_MESSAGES = "404"
    REQUEST_TIMEOUT = "408"
    CONFLICT = "409"
    CONTROL_MESSAGE = "100"


class RetentionPolicy(str, Enum):
    LIMITS = "limits"
    INTEREST = "interest"
    WORK_QUEUE = "workqueue"


class StorageType(str, Enum):
    FILE = "file"
    MEMORY = "memory"


class DiscardPolicy(str, Enum):
    OLD = "old"
    NEW = "new"


class StoreCompression(str, Enum):
    NONE = "none"
    S2 = "s2"


class AckPolicy(str, Enum):
    NONE = "none"
    ALL = "all"
    EXPLICIT = "explicit"


class DeliverPolicy(str, Enum):
    ALL = "all"
    LAST = "last"
    NEW = "new"
    BY_START_SEQUENCE = "by_start_sequence"
    BY_START_TIME = "by_start_time"
    LAST_PER_SUBJECT = "last_per_subject"


class ReplayPolicy(str, Enum):
    INSTANT = "instant"
    ORIGINAL = "original"


@dataclass
class PubAck(Base):
    stream: str
    seq: int
    domain: Optional[str] = None
    duplicate: Optional[bool] = None


@dataclass
class Placement(Base):
    cluster: Optional[str] = None
    tags: Optional[List[str]] = None


@dataclass
class ExternalStream(Base):
    api: str
    deliver: Optional[str] = None


@dataclass
class StreamSource(Base):
    name: str
    opt_start_seq: Optional[int] = None
    opt_start_time: Optional[_dt.datetime] = _time(default=None)
    filter_subject: Optional[str] = None
    external: Optional[ExternalStream] = _nested(ExternalStream, default=None)


@dataclass
class StreamSourceInfo(Base):
    name: str
    lag: Optional[int] = None
    active: Optional[int] = None
    error: Optional[Dict[str, Any]] = None


@dataclass
class LostStreamData(Base):
    msgs: Optional[List[int]] = None
    bytes: Optional[int] = None


@dataclass
class StreamState(Base):
    messages: int
    bytes: int
    first_seq: int
    last_seq: int
    consumer_count: int
    deleted: Optional[List[int]] = None
    num_deleted: Optional[int] = None
    lost: Optional[LostStreamData] = _nested(LostStreamData, default=None)
    subjects: Optional[Dict[str, int]] = None


@dataclass
class RePublish(Base):
    src: Optional[str] = None
    dest: Optional[str] = None
    headers_only: Optional[bool] = None


@dataclass
class StreamConfig(Base):
    """A stream's configuration (nats-server 2.9 fields)."""

    name: Optional[str] = None
    description: Optional[str] = None
    subjects: Optional[List[str]] = None
    retention: Optional[RetentionPolicy] = None
    max_consumers: Optional[int] = None
    max_msgs: Optional[int] = None
    max_bytes: Optional[int] = None
    discard: Optional[DiscardPolicy] = DiscardPolicy.OLD
    discard_new_per_subject: bool = False
    max_age: Optional[float] = _ns(default=None)
    max_msgs_per_subject: int = -1
    max_msg_size: Optional[int] = -1
    storage: Optional[StorageType] = None
    num_replicas: Optional[int] = None
    no_ack: bool = False
    template_owner: Optional[str] = None
    duplicate_window: float = _ns(default=0)
    placement: Optional[Placement] = _nested(Placement, default=None)
    mirror: Optional[StreamSource] = _nested(StreamSource, default=None)
    sources: Optional[List[StreamSource]] = _nested(StreamSource, many=True, default=None)
    sealed: bool = False
    deny_delete: bool = False
    deny_purge: bool = False
    allow_rollup_hdrs: bool = False
    republish: Optional[RePublish] = _nested(RePublish, default=None)
    allow_direct: Optional[bool] = None
    mirror_direct: Optional[bool] = None
    metadata: Optional[Dict[str, str]] = None

    @classmethod
    def _ns_always(cls) -> tuple:
        return ("max_age", "duplicate_window")


@dataclass
class PeerInfo(Base):
    name: Optional[str] = None
    current: Optional[bool] = None
    offline: Optional[bool] = None
    active: Optional[int] = None
    lag: Optional[int] = None


@dataclass
class ClusterInfo(Base):
    leader: Optional[str] = None
    name: Optional[str] = None
    replicas: Optional[List[PeerInfo]] = _nested(PeerInfo, many=True, default=None)


@dataclass
class StreamInfo(Base):
    config: StreamConfig = _nested(StreamConfig)
    state: StreamState = _nested(StreamState)
    mirror: Optional[StreamSourceInfo] = _nested(StreamSourceInfo, default=None)
    sources: Optional[List[StreamSourceInfo]] = _nested(StreamSourceInfo, many=True, default=None)
    cluster: Optional[ClusterInfo] = _nested(ClusterInfo, default=None)
    did_create: Optional[bool] = None
    created: Optional[_dt.datetime] = _time(default=None)


@dataclass
class ConsumerConfig(Base):
    """A consumer's configuration (nats-server 2.9 fields)."""

    name: Optional[str] = None
    durable_name: Optional[str] = None
    description: Optional[str] = None
    deliver_policy: Optional[DeliverPolicy] = DeliverPolicy.ALL
    opt_start_seq: Optional[int] = None
    opt_start_time: Optional[_dt.datetime] = _time(default=None)
    ack_policy: Optional[AckPolicy] = AckPolicy.EXPLICIT
    ack_wait: Optional[float] = _ns(default=None)
    max_deliver: Optional[int] = None
    backoff: Optional[List[float]] = field(default=None, metadata={"kind": _NS_LIST})
    filter_subject: Optional[str] = None
    filter_subjects: Optional[List[str]] = None
    replay_policy: Optional[ReplayPolicy] = ReplayPolicy.INSTANT
    rate_limit_bps: Optional[int] = None
    sample_freq: Optional[str] = None
    max_waiting: Optional[int] = None
    max_ack_pending: Optional[int] = None
    flow_control: Optional[bool] = None
    idle_heartbeat: Optional[float] = _ns(default=None)
    headers_only: Optional[bool] = None
    max_batch: Optional[int] = None
    max_expires: Optional[float] = _ns(default=None)
    max_bytes: Optional[int] = None
    deliver_subject: Optional[str] = None
    deliver_group: Optional[str] = None
    inactive_threshold: Optional[float] = _ns(default=None)
    num_replicas: Optional[int] = None
    mem_storage: Optional[bool] = None
    metadata: Optional[Dict[str, str]] = None


@dataclass
class SequenceInfo(Base):
    consumer_seq: int
    stream_seq: int
    last_active: Optional[_dt.datetime] = _time(default=None)


@dataclass
class ConsumerInfo(Base):
    name: str
    stream_name: str
    config: ConsumerConfig = _nested(ConsumerConfig)
    created: Optional[_dt.datetime] = _time(default=None)
    delivered: Optional[SequenceInfo] = _nested(SequenceInfo, default=None)
    ack_floor: Optional[SequenceInfo] = _nested(SequenceInfo, default=None)
    num_ack_pending: Optional[int] = None
    num_redelivered: Optional[int] = None
    num_waiting: Optional[int] = None
    num_pending: Optional[int] = None
    cluster: Optional[ClusterInfo] = _nested(ClusterInfo, default=None)
    push_bound: Optional[bool] = None


@dataclass
class AccountLimits(Base):
    max_memory: int
    max_storage: int
    max_streams: int
    max_consumers: int
    max_ack_pending: int = -1
    memory_max_stream_bytes: int = -1
    storage_max_stream_bytes: int = -1
    max_bytes_required: bool = False


@dataclass
class Tier(Base):
    memory: int
    storage: int
    streams: int
    consumers: int
    limits: AccountLimits = _nested(AccountLimits)


@dataclass
class APIStats(Base):
    total: int
    errors: int
    level: Optional[int] = None


@dataclass
class AccountInfo(Base):
    memory: int
    storage: int
    streams: int
    consumers: int
    limits: AccountLimits = _nested(AccountLimits)
    api: APIStats = _nested(APIStats)
    domain: Optional[str] = None
    tiers: Optional[Dict[str, Tier]] = field(default=None, metadata={"kind": ("map", Tier)})


@dataclass
class RawStreamMsg(Base):
    """A message read from a stream (get_msg)."""

    subject: Optional[str] = None
    seq: Optional[int] = None
    data: Optional[bytes] = None
    hdrs: Optional[bytes] = None
    headers: Optional[Dict[str, str]] = None
    stream: Optional[str] = None
    time: Optional[_dt.datetime] = _time(default=None)

    @property
    def sequence(self) -> Optional[int]:
        return self.seq

    @property
    def header(self) -> Optional[Dict[str, str]]:
        return self.headers


class StreamsListIterator:
    """A synchronous iterator over StreamInfo (nats.py streams_info_iterator)."""

    def __init__(self, offset: int, total: int, streams: List[Dict[str, Any]]) -> None:
        self.offset = offset
        self.total = total
        self._items = [StreamInfo.from_response(s) for s in streams]
        self._i = 0

    def __iter__(self) -> "StreamsListIterator":
        return self

    def __next__(self) -> StreamInfo:
        if self._i >= len(self._items):
            raise StopIteration
        self._i += 1
        return self._items[self._i - 1]


# nats.py keeps the key-value and object-store settings here too.
from .api_stores import (  # noqa: E402  (they build on the classes above)
    KeyValueConfig, ObjectInfo, ObjectLink, ObjectMeta, ObjectMetaOptions, ObjectStoreConfig,
)
