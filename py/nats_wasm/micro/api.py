"""The discovery replies as nats.py's ``nats.micro`` dataclasses (the same
names and fields), with ``from_dict``/``to_dict``. The JSON itself is made by
the core (core/src/micro/service_json.cpp)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Optional

PING_RESPONSE = "io.nats.micro.v1.ping_response"
INFO_RESPONSE = "io.nats.micro.v1.info_response"
STATS_RESPONSE = "io.nats.micro.v1.stats_response"


@dataclass
class ServiceIdentity:
    """What every discovery reply says about the instance."""

    id: str
    name: str
    version: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class ServicePing:
    id: str
    name: str
    version: str
    metadata: dict[str, str] = field(default_factory=dict)
    type: str = PING_RESPONSE

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ServicePing":
        return cls(id=d["id"], name=d["name"], version=d["version"],
                   metadata=d.get("metadata") or {}, type=d.get("type", PING_RESPONSE))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EndpointInfo:
    name: str
    subject: str
    queue_group: Optional[str] = None
    metadata: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "EndpointInfo":
        return cls(name=d["name"], subject=d["subject"], queue_group=d.get("queue_group"),
                   metadata=d.get("metadata") or {})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ServiceInfo:
    name: str
    id: str
    version: str
    description: Optional[str] = None
    endpoints: list[EndpointInfo] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    type: str = INFO_RESPONSE

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ServiceInfo":
        return cls(name=d["name"], id=d["id"], version=d["version"],
                   description=d.get("description"),
                   endpoints=[EndpointInfo.from_dict(e) for e in d.get("endpoints") or []],
                   metadata=d.get("metadata") or {}, type=d.get("type", INFO_RESPONSE))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EndpointStats:
    name: str
    subject: str
    queue_group: Optional[str] = None
    num_requests: int = 0
    num_errors: int = 0
    processing_time: int = 0
    """Nanoseconds, all requests."""
    average_processing_time: int = 0
    last_error: Optional[str] = None
    """"<code>:<description>" of the last error reply."""
    data: Any = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "EndpointStats":
        return cls(name=d["name"], subject=d["subject"], queue_group=d.get("queue_group"),
                   num_requests=d.get("num_requests", 0), num_errors=d.get("num_errors", 0),
                   processing_time=d.get("processing_time", 0),
                   average_processing_time=d.get("average_processing_time", 0),
                   last_error=d.get("last_error") or None, data=d.get("data"))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["last_error"] = self.last_error or ""
        return out


@dataclass
class ServiceStats:
    name: str
    id: str
    version: str
    started: datetime
    endpoints: list[EndpointStats] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    type: str = STATS_RESPONSE

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ServiceStats":
        return cls(name=d["name"], id=d["id"], version=d["version"],
                   started=datetime.fromisoformat(d["started"].replace("Z", "+00:00")),
                   endpoints=[EndpointStats.from_dict(e) for e in d.get("endpoints") or []],
                   metadata=d.get("metadata") or {}, type=d.get("type", STATS_RESPONSE))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["started"] = self.started.isoformat().replace("+00:00", "Z")
        out["endpoints"] = [e.to_dict() for e in self.endpoints]
        return out
