"""Where a consumer starts (Fluvio's ``Offset``). These only name the start;
the engine turns it into a deliver policy (core/src/jetstream/offset.cpp),
counting for the last n of a partition."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class Offset:
    """``Offset.beginning()``, ``end()``, ``absolute(seq)``, ``from_end(n)``,
    ``from_time(t)``."""

    kind: str
    value: Optional[int] = None
    time: Optional[str] = None

    @staticmethod
    def beginning() -> "Offset":
        """Every record still in the stream."""
        return Offset("beginning")

    @staticmethod
    def end() -> "Offset":
        """Only records stored from now on."""
        return Offset("end")

    @staticmethod
    def absolute(seq: int) -> "Offset":
        """From a stream sequence (>= 1) on."""
        return Offset("absolute", seq)

    @staticmethod
    def from_end(n: int) -> "Offset":
        """The last n records (of the partition, for a partition consumer), then new ones."""
        return Offset("from_end", n)

    @staticmethod
    def from_time(t: Union[datetime.datetime, str]) -> "Offset":
        """Records stored at or after ``t`` (an aware datetime, or RFC 3339 text)."""
        if isinstance(t, datetime.datetime):
            if t.tzinfo is None:
                t = t.replace(tzinfo=datetime.timezone.utc)
            t = t.isoformat()
        return Offset("from_time", time=str(t))

    def as_json(self) -> str:
        """The JSON the engine reads ({kind, value?, time?})."""
        out: dict = {"kind": self.kind}
        if self.value is not None:
            out["value"] = self.value
        if self.time is not None:
            out["time"] = self.time
        return json.dumps(out)
