"""Key-value buckets with nats.py's names (``nats.js.kv``):
``kv = await js.create_key_value(bucket="cfg")`` or ``await
js.key_value("cfg")``, then ``put``, ``get``, ``create``, ``update``,
``delete``, ``purge``, ``keys``, ``history``, ``watch``, ``status``.

Every rule (the bucket's stream, subjects, headers, create over a deleted
key, watch entries) is the engine's; this module maps nats.py's names and
errors onto the JS package's KV (js/src/kv/kv.mjs).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, List, Optional

from .. import _ffi
from . import api, errors
from .watcher import JsWatcher

if TYPE_CHECKING:
    from ..client import Client

_INCLUDE = {"last": "", "history": "history", "updates": "updates"}


@dataclass
class Entry:
    """A key-value entry (nats.py ``KeyValue.Entry``)."""

    bucket: str
    key: str
    value: Optional[bytes]
    revision: Optional[int]
    delta: Optional[int] = None
    created: Optional[datetime.datetime] = None
    operation: Optional[str] = None


@dataclass(frozen=True)
class BucketStatus:
    """A bucket's state (nats.py ``KeyValue.BucketStatus``)."""

    stream_info: api.StreamInfo
    bucket: str

    @property
    def values(self) -> int:
        return self.stream_info.state.messages

    @property
    def history(self) -> int:
        return int(self.stream_info.config.max_msgs_per_subject or 1)

    @property
    def ttl(self) -> Optional[float]:
        """The max age in seconds: 0.0 for none, as nats.py gives it."""
        return self.stream_info.config.max_age


def _entry(bucket: str, packed: Any) -> Optional[Entry]:
    if packed is None:
        return None
    key, value, revision, created_ms, operation, delta = packed.to_py(depth=1)
    data = bytes(value.to_py()) if value is not None else b""
    created = datetime.datetime.fromtimestamp(created_ms / 1000, tz=datetime.timezone.utc) \
        if created_ms else None
    return Entry(bucket=bucket, key=str(key), value=data, revision=int(revision),
                 delta=int(delta) if delta >= 0 else None, created=created,
                 operation=None if operation == "PUT" else str(operation))


def _no_msg_ttl(msg_ttl: Optional[float]) -> None:
    """Per-message TTLs need nats-server 2.11: refused here, typed."""
    if msg_ttl is not None:
        raise errors.KeyValueLimitMarkerTTLNotSupportedError()


class KeyWatcher(JsWatcher[Entry]):
    """Entries as they come: ``async for e in watcher`` yields entries, and
    one ``None`` once the initial values are out (nats.py's marker)."""

    def __init__(self, kv: "KeyValue", js_iterable: Any) -> None:
        super().__init__(kv._client._mod.pyodide, js_iterable)
        self._kv = kv

    def _convert(self, value: Any) -> Optional[Entry]:
        return _entry(self._kv._name, self._bridge.kvEntryPacked(value))


class KeyValue:
    """A key-value bucket (nats.py ``KeyValue``)."""

    # nats.py names these as KeyValue's own classes.
    Entry = Entry
    BucketStatus = BucketStatus
    KeyWatcher = KeyWatcher

    def __init__(self, client: "Client", name: str, js_bucket: Any) -> None:
        self._client = client
        self._name = name
        self._js = js_bucket

    @property
    def bucket(self) -> str:
        return self._name

    async def get(self, key: str, revision: Optional[int] = None,
                  validate_keys: bool = True) -> Entry:
        """The entry of a key (latest, or at ``revision``). KeyNotFoundError
        when there is none, and for a deleted or purged key (with ``entry``
        and ``op`` set, as nats.py)."""
        opts = _ffi.js_object(revision=revision)
        found = await _ffi.settle(_ffi.call(self._js.get, key, opts))
        entry = _entry(self._name, self._client._mod.pyodide.kvEntryPacked(found))
        if entry is None:
            raise errors.KeyNotFoundError()
        if entry.operation in ("DEL", "PURGE"):
            raise errors.KeyNotFoundError(entry=entry, op=entry.operation)
        return entry

    async def put(self, key: str, value: bytes, validate_keys: bool = True) -> int:
        """Stores a value; returns its revision. Keys are always checked
        (``validate_keys`` is accepted for nats.py programs)."""
        return int(await _ffi.settle(_ffi.call(self._js.put, key, _ffi.to_js_bytes(value))))

    async def create(self, key: str, value: bytes, validate_keys: bool = True,
                     msg_ttl: Optional[float] = None) -> int:
        """Stores a value only if the key has none (also over a deleted key)."""
        _no_msg_ttl(msg_ttl)
        return int(await _ffi.settle(_ffi.call(self._js.create, key, _ffi.to_js_bytes(value))))

    async def update(self, key: str, value: bytes, last: Optional[int] = None,
                     validate_keys: bool = True) -> int:
        """Stores a value only if the key's last revision is ``last`` (0 or
        None: it has none); KeyWrongLastSequenceError otherwise."""
        # _write, not update(): nats.js's update() refuses 0, nats.py's means "no value yet".
        return int(await _ffi.settle(_ffi.call(self._js._write, key, _ffi.to_js_bytes(value), 0,
                                               last or 0)))

    async def delete(self, key: str, last: Optional[int] = None,
                     validate_keys: bool = True) -> bool:
        """A soft delete (a DEL entry); with ``last``, only at that revision."""
        opts = _ffi.js_object(previousSeq=last if last else None)
        await _ffi.settle(_ffi.call(self._js.delete, key, opts))
        return True

    async def purge(self, key: str, msg_ttl: Optional[float] = None) -> bool:
        """Removes the key's history (a PURGE entry)."""
        _no_msg_ttl(msg_ttl)
        await _ffi.settle(_ffi.call(self._js.purge, key))
        return True

    async def purge_deletes(self, olderthan: int = 30 * 60) -> bool:
        """Removes delete and purge markers (nats.py): for every key whose
        latest entry is one, its history goes, and the marker too once it
        is older than ``olderthan`` seconds. Keys with a value are never
        touched."""
        await _ffi.settle(_ffi.call(self._js.purgeDeletes, float(olderthan) * 1000))
        return True

    async def status(self) -> BucketStatus:
        import js as _js  # type: ignore[import-not-found]

        info = await _ffi.settle(_ffi.call(self._js.status))
        return BucketStatus(stream_info=api.StreamInfo.from_response(
            json.loads(_js.JSON.stringify(info.streamInfo))), bucket=self._name)

    async def watch(self, keys: str = ">", headers_only: bool = False,
                    include_history: bool = False, ignore_deletes: bool = False,
                    meta_only: bool = False, inactive_threshold: Optional[float] = None,
                    updates_only: bool = False,
                    resume_from_revision: Optional[int] = None) -> KeyWatcher:
        """Entries of ``keys`` (wildcards allowed): the last value of each,
        or every kept entry with ``include_history``, or only new ones with
        ``updates_only``, or every entry from ``resume_from_revision`` on
        (not in nats.py); then a ``None``; then updates.
        ``inactive_threshold`` is accepted for nats.py programs; the engine
        deletes the watch's consumer itself when the watch stops."""
        del inactive_threshold
        include = "history" if include_history else "updates" if updates_only else ""
        iterable = await _ffi.settle(_ffi.call(self._client._mod.pyodide.kvWatch, self._js, keys,
                                               include, ignore_deletes, meta_only or headers_only,
                                               resume_from_revision or 0))
        return KeyWatcher(self, iterable)

    async def watchall(self, **kwargs: Any) -> KeyWatcher:
        return await self.watch(">", **kwargs)

    async def keys(self, filters: Optional[List[str]] = None) -> List[str]:
        """Every key that has a value (NoKeysError when none). As nats.py,
        ``filters`` are matched as substrings."""
        entries = await (await self.watch(">", meta_only=True, ignore_deletes=True)).initial()
        keys = list(dict.fromkeys(e.key for e in entries))
        if filters:
            keys = [k for k in keys if any(f in k for f in filters)]
        if not keys:
            raise errors.NoKeysError()
        return keys

    async def history(self, key: str) -> List[Entry]:
        """Every kept entry of a key (NoKeysError when none)."""
        entries = await (await self.watch(key, include_history=True)).initial()
        if not entries:
            raise errors.NoKeysError()
        return entries


async def key_value(client: "Client", ctx: Any, bucket: str,
                    config: Optional[dict] = None) -> KeyValue:
    """Opens (or, with ``config``, creates) a bucket."""
    op = _ffi.call(client._mod.pyodide.kvBucket, ctx, bucket,
                   json.dumps(config) if config is not None else None)
    js_bucket, _info = (await _ffi.settle(op)).to_py(depth=1)
    return KeyValue(client, bucket, js_bucket)
