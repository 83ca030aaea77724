"""The machinery under nats.py's ``nats.js.api`` dataclasses (api.py):
conversion between Python's units and the wire's (durations in seconds here
and nanoseconds in JSON, aware ``datetime`` here and RFC 3339 text in JSON)
and the :class:`Base` every record derives from."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any, Dict, Optional, Type, TypeVar

_B = TypeVar("_B", bound="Base")


def _to_ns(seconds: Optional[float]) -> int:
    return 0 if seconds is None else int(seconds * 1_000_000_000)


def _from_ns(ns: Any) -> Optional[float]:
    return None if ns is None else ns / 1_000_000_000


def _parse_time(text: Any) -> Optional[_dt.datetime]:
    """RFC 3339 (nanoseconds, "Z") to an aware UTC datetime (microseconds)."""
    if not isinstance(text, str) or not text:
        return None
    s = text.replace("Z", "+00:00")
    if "." in s:
        head, _, rest = s.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        tz = rest[len(digits):]
        s = f"{head}.{digits[:6].ljust(6, '0')}{tz}"
    return _dt.datetime.fromisoformat(s).astimezone(_dt.timezone.utc)


def _format_time(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")
    return value


# Field kinds: seconds on this side, nanoseconds on the wire; times; nested types.
_NS = "ns"
_NS_LIST = "ns_list"
_TIME = "time"


def _kind(f: dataclasses.Field) -> Any:
    return f.metadata.get("kind")


def _ns(**kw: Any) -> Any:
    return field(metadata={"kind": _NS}, **kw)


def _time(**kw: Any) -> Any:
    return field(metadata={"kind": _TIME}, **kw)


def _nested(cls: Any, many: bool = False, **kw: Any) -> Any:
    return field(metadata={"kind": ("list" if many else "one", cls)}, **kw)


@dataclass
class Base:
    """Conversion between these dataclasses and the JSON the server speaks."""

    @classmethod
    def from_response(cls: Type[_B], resp: Dict[str, Any]) -> _B:
        """Builds from a reply dict; unknown fields are ignored."""
        values: Dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in resp:
                continue
            v = resp[f.name]
            kind = _kind(f)
            if kind == _NS:
                v = _from_ns(v)
            elif kind == _NS_LIST:
                v = [_from_ns(x) for x in v] if isinstance(v, list) else v
            elif kind == _TIME:
                v = _parse_time(v)
            elif isinstance(kind, tuple) and v is not None:
                sub = kind[1]
                if kind[0] == "list":
                    v = [sub.from_response(x) if isinstance(x, dict) else x for x in v]
                elif kind[0] == "map":
                    v = {k: sub.from_response(x) for k, x in v.items()}
                else:
                    v = sub.from_response(v) if isinstance(v, dict) else v
            values[f.name] = v
        return cls(**values)

    def as_dict(self) -> Dict[str, Any]:
        """The JSON form; None fields are left out, durations sent in nanoseconds."""
        out: Dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            kind = _kind(f)
            if kind == _NS:
                if v is None and f.name not in self._ns_always():
                    continue
                v = _to_ns(v)
            elif v is None:
                continue
            elif kind == _NS_LIST:
                v = [_to_ns(x) for x in v]
            elif kind == _TIME:
                v = _format_time(v)
            elif isinstance(v, Base):
                v = v.as_dict()
            elif isinstance(v, list):
                v = [x.as_dict() if isinstance(x, Base) else x for x in v]
            elif isinstance(v, dict):
                v = {k: x.as_dict() if isinstance(x, Base) else x for k, x in v.items()}
            if isinstance(v, Enum):
                v = v.value
            out[f.name] = v
        return out

    @classmethod
    def _ns_always(cls) -> tuple:
        """Durations sent even when unset (as 0), as nats.py sends them."""
        return ()

    def evolve(self: _B, **params: Any) -> _B:
        """A copy with some fields replaced."""
        return dataclasses.replace(self, **params)
