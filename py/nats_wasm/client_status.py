"""Connection status for the Python client: the JS status events as
:class:`Status`, and what nats.py does with them (error_cb and last_error,
disconnected_cb, reconnected_cb, discovered_server_cb, lame_duck_mode_cb,
closed_cb). A mixin of :class:`nats_wasm.client.Client`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Optional

from . import errors

if TYPE_CHECKING:
    from .subscription import Subscription

_log = logging.getLogger("nats_wasm")


@dataclass
class Status:
    """A connection status event: type is "disconnect", "reconnecting",
    "reconnect", "update", "ldm", "staleConnection", "forceReconnect",
    "error" or "close". ``data`` is the server as "host:port" (disconnect,
    reconnect, ldm), the URL tried (reconnecting), or {"added": [...],
    "deleted": [...]} (update)."""

    type: str
    error: Optional[BaseException] = None
    data: Any = None


class StatusEvents:
    """Status events and the callbacks they drive (a Client mixin)."""

    _nc: Any
    _subs: Any
    _last_error: Optional[BaseException]

    def status(self) -> AsyncIterator[Status]:
        """Connection status events until the connection closes."""
        return self._statuses(self._mod.pyodide.iteratorOf(self._nc.status()))

    async def _statuses(self, iterator: Any) -> AsyncIterator[Status]:
        try:
            while True:
                step = await iterator.next()
                if step.done:
                    return
                event = step.value
                err = getattr(event, "error", None)
                kind = str(event.type)
                data: Any = getattr(event, "server", None)
                if kind == "slowConsumer":
                    data = {"sid": int(event.sub.sid), "subject": str(event.sub.getSubject()),
                            "pending": int(event.pending), "dropped": int(event.dropped),
                            "dropping": bool(event.dropping)}
                if kind == "update":
                    added = getattr(event, "added", None)
                    deleted = getattr(event, "deleted", None)
                    data = {"added": added.to_py() if added is not None else [],
                            "deleted": deleted.to_py() if deleted is not None else []}
                yield Status(kind, errors.translate(err) if err is not None else None, data)
        finally:
            getattr(iterator, "return")()

    async def _watch_status(self, iterator: Any) -> None:
        async for status in self._statuses(iterator):
            if status.type == "error" and status.error is not None:
                self._errors_received += 1  # the server's -ERR (nats.py counts those)
                await self._report(status.error)
            elif status.type == "disconnect":
                self._reconnecting = True
                if self._disconnected_cb:
                    await self._safe(self._disconnected_cb())
            elif status.type == "reconnecting" and status.error is not None:
                # As nats.py: every failed reconnect attempt goes to error_cb.
                await self._report(status.error)
            elif status.type == "reconnect":
                self._reconnecting = False
                if self._reconnected_cb:
                    await self._safe(self._reconnected_cb())
            elif status.type == "update" and status.data and status.data["added"]:
                if self._discovered_server_cb:
                    await self._safe(self._discovered_server_cb())
            elif status.type == "slowConsumer" and status.data and status.data["dropping"]:
                await self._report(errors.SlowConsumerError(
                    f"slow consumer, messages dropped on {status.data['subject']}",
                    "slow_consumer", subject=status.data["subject"], sid=status.data["sid"],
                    sub=self._sub_by_sid(status.data["sid"])))
            elif status.type == "ldm" and self._lame_duck_mode_cb:
                await self._safe(self._lame_duck_mode_cb())
            elif status.type == "close":
                await self._watch_close(status.error)

    async def _watch_close(self, error: Optional[BaseException]) -> None:
        self._closing = True  # later publishes raise instead of buffering
        if error is not None:
            # As nats.py: what closed the connection (a protocol error,
            # -ERR) goes to error_cb and last_error.
            self._errors_received += 1
            await self._report(error)
        # nats.py calls disconnected_cb, then closed_cb, on every close
        # (close(), drain(), async with); a lost connection told it already.
        if not self._reconnecting and self._disconnected_cb:
            await self._safe(self._disconnected_cb())
        if getattr(self, "_auth_proxy", None) is not None:
            self._auth_proxy.destroy()  # no connect will ask for auth again
            self._auth_proxy = None
        if self._closed_cb:
            await self._safe(self._closed_cb())

    def _sub_by_sid(self, sid: int) -> Optional[Subscription]:
        return next((s for s in self._subs if s.sid == sid), None)

    async def _report(self, exc: BaseException) -> None:
        err = errors.translate(exc)
        self._last_error = err
        if self._error_cb is None:
            _log.error("nats: %s", err)  # as nats.py's default error callback
            return
        await self._safe(self._error_cb(err))  # type: ignore[arg-type]

    async def _safe(self, awaitable: Awaitable[None]) -> None:
        try:
            await awaitable
        except Exception:
            pass  # a user callback's failure must not stop status handling
