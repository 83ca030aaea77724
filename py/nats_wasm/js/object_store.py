"""Object stores with nats.py's names (``nats.js.object_store``):
``obs = await js.create_object_store("files")`` or ``await
js.object_store("files")``, then ``put``, ``get``, ``get_info``, ``list``,
``delete``, ``watch``, ``status``, ``seal``.

Every rule (the store's stream, subjects, the info record, rollups, purges,
links, the digest's text form) is the engine's, and the chunking and
hashing are the JS package's (js/src/obj/obj.mjs); this module maps
nats.py's names, moves bytes in pieces (so a large object never has to be
in memory at once: pass a reader or an async iterable to ``put`` and a
``writeinto`` to ``get``) and maps errors.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
import json
from typing import TYPE_CHECKING, Any, AsyncIterable, Dict, List, Optional, Union

from .. import _ffi
from .. import errors as _core_errors
from . import api, errors
from .watcher import JsWatcher

if TYPE_CHECKING:
    from ..client import Client

# What put() reads at a time from a file-like object.
_READ_SIZE = 128 * 1024


# nats.py keeps these in nats.js.api; they are there (and here, for imports).
ObjectLink = api.ObjectLink
ObjectMetaOptions = api.ObjectMetaOptions
ObjectMeta = api.ObjectMeta
ObjectInfo = api.ObjectInfo
ObjectStoreConfig = api.ObjectStoreConfig


def _info(text: Optional[str]) -> Optional[ObjectInfo]:
    return ObjectInfo.from_response(json.loads(text)) if text else None


# nats.py's name for the core's default chunk size (js::obj::kDefaultChunkSize;
# a test checks that the two agree).
OBJ_DEFAULT_CHUNK_SIZE = 128 * 1024

class ObjectStore:
    """An object store (nats.py ``ObjectStore``)."""

    @dataclass
    class ObjectResult:
        """An object's info and bytes (``data`` stays empty with ``writeinto``)."""

        info: ObjectInfo
        data: Optional[bytes] = b""

    @dataclass(frozen=True)
    class ObjectStoreStatus:
        """A store's state (nats.py ``ObjectStore.ObjectStoreStatus``)."""

        stream_info: api.StreamInfo
        bucket: str

        @property
        def description(self) -> Optional[str]:
            return self.stream_info.config.description

        @property
        def ttl(self) -> Optional[float]:
            return self.stream_info.config.max_age

        @property
        def storage_type(self) -> Optional[api.StorageType]:
            return self.stream_info.config.storage

        @property
        def replicas(self) -> Optional[int]:
            return self.stream_info.config.num_replicas

        @property
        def sealed(self) -> bool:
            return bool(self.stream_info.config.sealed)

        @property
        def size(self) -> int:
            return int(self.stream_info.state.bytes or 0)

    def __init__(self, js: Any, name: str, js_store: Any) -> None:
        self._jsctx = js
        self._name = name
        self._js = js_store
        self._bridge = js._nc._mod.pyodide

    @property
    def name(self) -> str:
        return self._name

    @property
    def stream(self) -> str:
        return str(self._js.stream)

    async def _call(self, op: str, **args: Any) -> Any:
        try:
            return await self._jsctx._call(op, {"bucket": self._name, **args})
        except _core_errors.ProtocolError as e:
            if "name" not in args:
                raise
            # An object's info that cannot be read (nats.py's class for it).
            raise errors.BadObjectMetaError(str(e), "protocol_error") from e

    async def get_info(self, name: str, show_deleted: Optional[bool] = False) -> ObjectInfo:
        """An object's info; ObjectNotFoundError when there is none (or it
        was deleted, unless ``show_deleted``)."""
        info = ObjectInfo.from_response(await self._call("obj_info", name=name))
        if info.deleted and not show_deleted:
            raise errors.ObjectNotFoundError()
        return info

    async def get(self, name: str, writeinto: Optional[Any] = None,
                  show_deleted: Optional[bool] = False) -> "ObjectStore.ObjectResult":
        """An object's bytes with its digest checked (DigestMismatchError
        otherwise). Links are followed. With ``writeinto`` (anything with
        ``write``, sync or async) chunks go there as they come and ``data``
        stays empty: memory stays bounded whatever the size."""
        try:
            reader = await _ffi.settle(_ffi.call(self._bridge.objReader, self._js, name))
        except _core_errors.ProtocolError as e:
            raise errors.BadObjectMetaError(str(e), "protocol_error") from e
        if reader is None:
            if show_deleted:
                info = await self.get_info(name, show_deleted=True)
                return ObjectStore.ObjectResult(info=info, data=b"")
            raise errors.ObjectNotFoundError()
        info = _info(reader.info)
        assert info is not None
        parts: List[bytes] = []
        try:
            while True:
                chunk = await _ffi.settle(reader.next())
                if chunk is None:
                    break
                data = chunk.to_bytes()
                if writeinto is None:
                    parts.append(data)
                    continue
                written = writeinto.write(data)
                if inspect.isawaitable(written):
                    await written
        except BaseException:
            reader.cancel()
            raise
        return ObjectStore.ObjectResult(info=info, data=b"".join(parts))

    async def put(self, name: str, data: Union[str, bytes, bytearray, memoryview, Any],
                  meta: Optional[ObjectMeta] = None) -> ObjectInfo:
        """Stores an object from bytes (str is UTF-8), a file-like object
        (read in pieces) or an async iterable of bytes; returns its info.
        The bytes go out in chunks as they are read."""
        meta = meta or ObjectMeta(name=name)
        if name:
            meta.name = name
        meta_json = json.dumps(meta.as_dict())
        writer = _ffi.call(self._bridge.objWriter, self._js, meta_json, 0)
        try:
            if isinstance(data, str):
                data = data.encode()
            if isinstance(data, (bytes, bytearray, memoryview)):
                await _ffi.settle(writer.write(_ffi.to_js_bytes(data)))
            elif hasattr(data, "read"):
                while True:
                    piece = data.read(_READ_SIZE)
                    if inspect.isawaitable(piece):
                        piece = await piece
                    if not piece:
                        break
                    await _ffi.settle(writer.write(_ffi.to_js_bytes(piece)))
            elif isinstance(data, AsyncIterable):
                async for piece in data:
                    await _ffi.settle(writer.write(_ffi.to_js_bytes(piece)))
            else:
                raise TypeError("nats: invalid type for object store")
        except BaseException as exc:
            await writer.abort(str(exc) or type(exc).__name__)
            raise
        return _info(await _ffi.settle(writer.close()))  # type: ignore[return-value]

    async def update_meta(self, name: str, meta: ObjectMeta) -> ObjectInfo:
        """Renames (``meta.name``, to a name no live object has:
        ObjectAlreadyExists otherwise) or re-describes an object without
        rewriting its data; returns the new info. ObjectDeletedError when
        there is no live object ``name`` (nats.py's class for it)."""
        m: Dict[str, Any] = {"name": meta.name or name, "description": meta.description or ""}
        if meta.headers is not None:
            m["headers"] = meta.headers
        try:
            reply = await self._call("obj_update_meta", name=name, meta=m)
        except errors.ObjectNotFoundError as e:
            raise errors.ObjectDeletedError(code=e.code, description=e.description,
                                            err_code=e.err_code) from None
        return ObjectInfo.from_response(reply)

    async def delete(self, name: str) -> None:
        """Marks an object deleted and purges its chunks
        (ObjectNotFoundError when there is none)."""
        await self._call("obj_delete", name=name)

    async def list(self, ignore_deletes: bool = False) -> List[ObjectInfo]:
        """Every object's info (NotFoundError when there are none, as nats.py)."""
        out = await (await self.watch(ignore_deletes=ignore_deletes)).initial()
        if not out:
            raise errors.NotFoundError()
        return out

    async def watch(self, ignore_deletes: bool = False, include_history: bool = False,
                    meta_only: bool = False, updates_only: bool = False) -> "ObjectWatcher":
        """Infos as they change: the latest of every object (every one kept
        with ``include_history``; none with ``updates_only``), then a
        ``None``, then updates."""
        include = "updates" if updates_only else "history" if include_history else "latest"
        iterable = await _ffi.settle(_ffi.call(self._bridge.objWatch, self._js, include,
                                               ignore_deletes))
        return ObjectWatcher(self._bridge, iterable)

    async def status(self) -> "ObjectStore.ObjectStoreStatus":
        """The store's settings and size."""
        info = api.StreamInfo.from_response(await self._call("obj_store_info"))
        return ObjectStore.ObjectStoreStatus(stream_info=info, bucket=self._name)

    async def seal(self) -> None:
        """Seals the store: nothing more can be written or deleted."""
        await self._call("obj_store_seal")


class ObjectWatcher(JsWatcher[ObjectInfo]):
    """Infos as they come (nats.py ``ObjectStore.ObjectWatcher``), with a
    ``None`` after the initial ones."""

    def _convert(self, value: Any) -> Optional[ObjectInfo]:
        return _info(self._bridge.objInfoJson(value))


# nats.py names it as ObjectStore's own class.
ObjectStore.ObjectWatcher = ObjectWatcher  # type: ignore[attr-defined]


class ObjectStoreMixin:
    """nats.py's object-store calls of JetStreamContext."""

    _nc: "Client"
    _ctx: Any

    async def _open_store(self, bucket: str, config: Optional[dict]) -> ObjectStore:
        op = _ffi.call(self._nc._mod.pyodide.objStore, self._ctx, bucket,
                       json.dumps(config) if config is not None else None)
        return ObjectStore(self, bucket, await _ffi.settle(op))

    async def object_store(self, bucket: str) -> ObjectStore:
        """Opens a store (BucketNotFoundError when there is none)."""
        return await self._open_store(bucket, None)

    async def create_object_store(self, bucket: Optional[str] = None,
                                  config: Optional[ObjectStoreConfig] = None,
                                  **params: Any) -> ObjectStore:
        """Creates a store (or opens it when it exists with the same
        settings): bucket, description, ttl (seconds), max_bytes, storage,
        replicas, placement."""
        config = config or ObjectStoreConfig()
        for key, value in params.items():
            setattr(config, key, value)
        if bucket:
            config.bucket = bucket
        if not config.bucket:
            raise ValueError("nats: bucket name is required")
        storage = config.storage
        cfg = {"bucket": config.bucket, "description": config.description or "",
               "ttl": int(float(config.ttl or 0) * 1000), "max_bytes": config.max_bytes or -1,
               "storage": getattr(storage, "value", storage) or "file",
               "replicas": config.replicas or 1}
        if config.placement is not None:
            placement = config.placement
            cfg["placement"] = placement.as_dict() if hasattr(placement, "as_dict") else placement
        return await self._open_store(config.bucket, cfg)

    async def delete_object_store(self, bucket: str) -> bool:
        """Deletes a store and everything in it."""
        resp = await self._call("obj_store_delete", {"bucket": bucket})  # type: ignore[attr-defined]
        return bool(resp.get("success"))


__all__ = ["ObjectInfo", "ObjectLink", "ObjectMeta", "ObjectMetaOptions", "ObjectStore",
           "ObjectStoreConfig", "ObjectWatcher"]
