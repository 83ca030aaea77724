"""The Client's read-only state (nats.py's properties): connection status,
servers, the server's INFO, counters. A mixin of Client."""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import ParseResult, urlparse


class ServerVersion:
    """The server's version (nats.py's ``nc.connected_server_version``):
    ``major``, ``minor``, ``patch`` and ``dev`` (after a '-')."""

    def __init__(self, server_version: str) -> None:
        self._text = server_version
        core, _, self._dev = server_version.partition("-")
        parts = (core.split(".") + ["0", "0", "0"])[:3]
        self._parts = tuple(int(p) if p.isdigit() else 0 for p in parts)

    @property
    def major(self) -> int:
        return self._parts[0]

    @property
    def minor(self) -> int:
        return self._parts[1]

    @property
    def patch(self) -> int:
        return self._parts[2]

    @property
    def dev(self) -> str:
        return self._dev

    def __repr__(self) -> str:
        return f"<nats server v{self._text}>"

    def __str__(self) -> str:
        return self._text


class ClientState:
    """Properties of a connected Client (``self._nc`` is the JS connection)."""

    _nc: Any
    _pubs: Any
    _last_error: Optional[BaseException]

    @property
    def is_closed(self) -> bool:
        """True once the connection is closed."""
        return bool(self._nc.isClosed())

    @property
    def is_connected(self) -> bool:
        """True while the connection is open (draining included, as in nats.py);
        False while reconnecting."""
        return not self._nc.isClosed() and not self._nc.isReconnecting()

    @property
    def is_reconnecting(self) -> bool:
        """True while the connection is lost and being re-established."""
        return bool(self._nc.isReconnecting())

    @property
    def is_connecting(self) -> bool:
        """True while the first connect runs (until connect() returns)."""
        return self._connecting

    @property
    def servers(self) -> list[ParseResult]:
        """Every server known, given and discovered, parsed as nats.py gives them."""
        return [urlparse(str(s.url)) for s in self._nc.servers()]

    @property
    def discovered_servers(self) -> list[ParseResult]:
        """The servers the cluster announced, parsed as nats.py gives them."""
        return [urlparse(str(s.url)) for s in self._nc.servers() if s.implicit]

    @property
    def last_error(self) -> Optional[BaseException]:
        """The last error reported asynchronously (error_cb's), or None."""
        return self._last_error

    @property
    def is_draining(self) -> bool:
        """True while draining (nats.py: False again once closed)."""
        return not self.is_closed and bool(self._nc.isDraining())

    @property
    def connected_url(self) -> Optional[ParseResult]:
        """The URL of the server connected to, parsed as nats.py gives it
        (``.geturl()``, ``.netloc``, ``.hostname``, ``.port``); None while
        not connected."""
        if not self.is_connected:
            return None
        return urlparse(str(self._nc._server))

    @property
    def server_info(self) -> dict[str, Any]:
        """The server's INFO."""
        info = self._nc.info
        return info.to_py() if info is not None else {}

    @property
    def max_payload(self) -> int:
        """The largest message (headers + payload) the server accepts."""
        return int(self.server_info.get("max_payload", 0))

    @property
    def client_id(self) -> int:
        """The id the server gave this connection."""
        return int(self.server_info.get("client_id", 0))

    @property
    def connected_server_version(self) -> ServerVersion:
        """The version of the server connected to (from its INFO)."""
        return ServerVersion(str(self.server_info.get("version", "0.0.0")))

    @property
    def client_ip(self) -> str:
        """This client's address as the server sees it (INFO client_ip)."""
        return str(self.server_info.get("client_ip", ""))

    @property
    def pending_data_size(self) -> int:
        """Bytes published and not yet on the wire: Python's batch and the
        JS/engine output (nats.py's pending buffer)."""
        return self._pubs.buffered + int(self._nc.pendingOutputBytes)

    @property
    def stats(self) -> dict[str, int]:
        """nats.py's counters: in_msgs, out_msgs, in_bytes, out_bytes,
        reconnects, errors_received."""
        self._pubs.push()  # buffered publishes count, as in nats.py
        s = self._nc.stats()
        return {"in_msgs": int(s.inMsgs), "out_msgs": int(s.outMsgs),
                "in_bytes": int(s.inBytes), "out_bytes": int(s.outBytes),
                "reconnects": int(self._nc._reconnects),
                "errors_received": self._errors_received}

