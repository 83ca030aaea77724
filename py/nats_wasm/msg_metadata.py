"""Where a JetStream message sits (nats.py's ``Msg.Metadata``), read from
its ack subject by the engine's parser (both the 9-token form of servers
before 2.10 and the 11+-token form with domain and account hash)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from . import errors

if TYPE_CHECKING:
    from .client import Client


@dataclass(frozen=True)
class SequencePair:
    """A consumer and a stream sequence."""

    consumer: int
    stream: int


@dataclass(frozen=True)
class Metadata:
    """The delivery metadata of a JetStream message."""

    sequence: SequencePair
    num_pending: int
    num_delivered: int
    timestamp: datetime.datetime
    stream: str
    consumer: str
    domain: Optional[str] = None

    SequencePair = SequencePair

    @classmethod
    def _from_reply(cls, client: "Optional[Client]", reply: str) -> "Metadata":
        from . import _loader

        mod = client._mod if client is not None else _loader._module
        info = mod.pyodide.parseAckReply(reply) if reply else None
        if info is None:
            raise errors.NotJSMessageError("not a JetStream message", "not_js_message")
        nanos = int(str(info.timestampNanosText))
        stamp = datetime.datetime.fromtimestamp(nanos // 1_000_000_000, tz=datetime.timezone.utc)
        stamp = stamp.replace(microsecond=(nanos % 1_000_000_000) // 1000)
        # nats.py: no domain in the 9-token form (None); "_" is "" in the long form.
        domain = str(info.domain) if str(info.account_hash) else None
        return cls(sequence=SequencePair(consumer=int(info.deliverySequence),
                                         stream=int(info.streamSequence)),
                   num_pending=int(info.pending), num_delivered=int(info.deliveryCount),
                   timestamp=stamp, stream=str(info.stream), consumer=str(info.consumer),
                   domain=domain)
