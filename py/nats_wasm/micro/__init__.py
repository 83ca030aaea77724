"""NATS micro services (nats.py's ``nats.micro``): serve endpoints with
``async def`` handlers (or async generators, for streamed replies), be found
by ``$SRV.PING|INFO|STATS``, and call services (``ServiceClient``,
``request_stream``)."""

from .api import EndpointInfo, EndpointStats, ServiceInfo, ServicePing, ServiceStats
from .client import ServiceClient, request_stream
from .request import ERROR_CODE_HEADER, ERROR_HEADER, Request, ServiceError
from .service import (
    DEFAULT_QUEUE_GROUP, EndpointConfig, Group, GroupConfig, Service, ServiceConfig, add_service,
)

__all__ = [
    "DEFAULT_QUEUE_GROUP", "ERROR_CODE_HEADER", "ERROR_HEADER", "EndpointConfig", "EndpointInfo",
    "EndpointStats", "Group", "GroupConfig", "Request", "Service", "ServiceClient", "ServiceConfig",
    "ServiceError", "ServiceInfo", "ServicePing", "ServiceStats", "add_service", "request_stream",
]
