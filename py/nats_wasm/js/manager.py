"""JetStreamManager with nats.py's names (``nats.js.manager``): streams,
consumers, messages and the account. Every request is built and every reply
checked by the engine's JetStream API (core/src/jetstream); this module
turns dataclasses into its JSON arguments and its JSON results back."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .. import _ffi
from ..msg import decode_headers
from . import api, errors

if TYPE_CHECKING:
    from ..client import Client


class JetStreamManager:
    """JetStream administration (nats.py ``nc.jsm()``)."""

    def __init__(self, conn: "Client", prefix: str = api.DEFAULT_PREFIX,
                 timeout: float = 5, domain: Optional[str] = None,
                 publish_async_max_pending: int = 256) -> None:
        self._nc = conn
        self._prefix = prefix
        self._timeout = timeout
        self._ctx = _ffi.call(conn._mod.pyodide.jsContext, conn._nc, prefix, domain,
                              _ffi.ms(timeout, "timeout"), publish_async_max_pending)

    async def _call(self, op: str, args: Dict[str, Any], timeout: Optional[float] = None) -> Any:
        """One API call: JSON arguments in, the parsed result (or a packed
        stored message) out; cancelling the task cancels it in the engine."""
        self._nc._push_pubs()
        pending = _ffi.call(self._nc._mod.pyodide.jsCall, self._ctx, op, json.dumps(args),
                            _ffi.ms(timeout, "timeout"))
        result = await _ffi.settle(pending)
        return json.loads(result) if isinstance(result, str) else result

    # --- account ------------------------------------------------------------
    async def account_info(self) -> api.AccountInfo:
        """Usage, limits and API stats of the account."""
        return api.AccountInfo.from_response(await self._call("account_info", {}))

    # --- streams --------------------------------------------------------------
    async def add_stream(self, config: Optional[api.StreamConfig] = None,
                         **params: Any) -> api.StreamInfo:
        """Creates a stream (an identical one already there is returned)."""
        config = (config or api.StreamConfig()).evolve(**params)
        resp = await self._call("stream_create", {"config": config.as_dict()})
        return api.StreamInfo.from_response(resp)

    async def update_stream(self, config: Optional[api.StreamConfig] = None,
                            **params: Any) -> api.StreamInfo:
        """Replaces a stream's configuration."""
        config = (config or api.StreamConfig()).evolve(**params)
        resp = await self._call("stream_update", {"config": config.as_dict()})
        return api.StreamInfo.from_response(resp)

    async def stream_info(self, name: str, subjects_filter: Optional[str] = None) -> api.StreamInfo:
        """A stream's info; with subjects_filter, its subjects and their counts."""
        args: Dict[str, Any] = {"name": name}
        if subjects_filter:
            args["subjects_filter"] = subjects_filter
        return api.StreamInfo.from_response(await self._call("stream_info", args))

    async def delete_stream(self, name: str) -> bool:
        return bool((await self._call("stream_delete", {"name": name})).get("success"))

    async def purge_stream(self, name: str, seq: Optional[int] = None,
                           subject: Optional[str] = None, keep: Optional[int] = None) -> bool:
        """Purges all, or below seq, or all but the last keep (of subject)."""
        args: Dict[str, Any] = {"name": name}
        if seq:
            args["seq"] = seq
        if subject:
            args["filter"] = subject
        if keep:
            args["keep"] = keep
        return bool((await self._call("stream_purge", args)).get("success"))

    async def streams_info(self, offset: int = 0) -> List[api.StreamInfo]:
        """Every stream's info (all pages), from offset."""
        resp = await self._call("stream_list", {})
        return [api.StreamInfo.from_response(s) for s in resp["streams"][offset:]]

    async def streams_info_iterator(self, offset: int = 0) -> api.StreamsListIterator:
        resp = await self._call("stream_list", {})
        return api.StreamsListIterator(offset, resp["total"], resp["streams"][offset:])

    async def stream_names(self, subject: Optional[str] = None) -> List[str]:
        """Every stream name (those whose subjects overlap `subject`)."""
        args = {"subject": subject} if subject else {}
        return list((await self._call("stream_names", args))["streams"])

    async def find_stream_name_by_subject(self, subject: str) -> str:
        """The first stream whose subjects match `subject` (NotFoundError if none)."""
        names = await self.stream_names(subject)
        if not names:
            raise errors.NotFoundError(code=404, description="no stream matches subject")
        return names[0]

    # --- messages -------------------------------------------------------------
    async def get_msg(self, stream_name: str, seq: Optional[int] = None,
                      subject: Optional[str] = None, direct: Optional[bool] = False,
                      next: Optional[bool] = False) -> api.RawStreamMsg:  # noqa: A002
        """A stored message: by seq, the last on subject, or (next) the first
        at or after seq on subject. direct uses the stream's direct get."""
        args: Dict[str, Any] = {"name": stream_name}
        if next:
            args["seq"] = seq or 1
            args["next_by_subj"] = subject
        elif subject:
            args["last_by_subj"] = subject
        elif seq is not None:
            args["seq"] = seq
        packed = await self._call("direct_get" if direct else "stream_msg_get", args)
        return self._raw_msg(packed)

    async def get_last_msg(self, stream_name: str, subject: str,
                           direct: Optional[bool] = False) -> api.RawStreamMsg:
        return await self.get_msg(stream_name, subject=subject, direct=direct)

    def _raw_msg(self, packed: Any) -> api.RawStreamMsg:
        subject, seq, raw_headers, data, time, stream = packed.to_py()
        hdrs = bytes(raw_headers) if raw_headers is not None else None
        return api.RawStreamMsg(subject=subject, seq=int(seq), data=bytes(data) or None, hdrs=hdrs,
                                headers=decode_headers(self._nc, hdrs) if hdrs else None,
                                stream=stream or None, time=api._parse_time(time))

    async def delete_msg(self, stream_name: str, seq: int) -> bool:
        return bool((await self._call("stream_msg_delete", {"name": stream_name, "seq": seq}))
                    .get("success"))

    # --- consumers ------------------------------------------------------------
    async def add_consumer(self, stream: str, config: Optional[api.ConsumerConfig] = None,
                           timeout: Optional[float] = None, **params: Any) -> api.ConsumerInfo:
        """Creates a consumer (or updates it: 2.9 servers treat a create of an
        existing name as an update)."""
        config = (config or api.ConsumerConfig()).evolve(**params)
        resp = await self._call("consumer_create", {"stream": stream, "config": config.as_dict()},
                                timeout)
        return api.ConsumerInfo.from_response(resp)

    async def delete_consumer(self, stream: str, consumer: str) -> bool:
        return bool((await self._call("consumer_delete", {"stream": stream, "name": consumer}))
                    .get("success"))

    async def consumer_info(self, stream: str, consumer: str,
                            timeout: Optional[float] = None) -> api.ConsumerInfo:
        resp = await self._call("consumer_info", {"stream": stream, "name": consumer}, timeout)
        return api.ConsumerInfo.from_response(resp)

    async def consumers_info(self, stream: str, offset: Optional[int] = None) -> List[api.ConsumerInfo]:
        """Every consumer's info (all pages), from offset."""
        resp = await self._call("consumer_list", {"stream": stream})
        return [api.ConsumerInfo.from_response(c) for c in resp["consumers"][offset or 0:]]

    async def consumer_names(self, stream: str) -> List[str]:
        """Every consumer name of a stream."""
        return list((await self._call("consumer_names", {"stream": stream}))["consumers"])
