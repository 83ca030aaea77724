"""NATS micro services (nats.py's ``nats.micro``): serve endpoints with
``async def`` handlers (or async generators, for streamed replies), be found
by ``$SRV.PING|INFO|STATS``, and call services (``ServiceClient``,
``request_stream``)."""

from .api import (
    INFO_RESPONSE, PING_RESPONSE, STATS_RESPONSE, EndpointInfo, EndpointStats, ServiceIdentity,
    ServiceInfo, ServicePing, ServiceStats,
)
from .client import ServiceClient, request_stream
from .request import ERROR_CODE_HEADER, ERROR_HEADER, Request, ServiceError
from .service import (
    DEFAULT_PREFIX, DEFAULT_QUEUE_GROUP, EndpointConfig, Group, GroupConfig, Service, ServiceConfig,
    ServiceVerb, add_service, control_subject,
)

__all__ = [
    "DEFAULT_PREFIX", "INFO_RESPONSE", "PING_RESPONSE", "STATS_RESPONSE", "ServiceIdentity",
    "ServiceVerb", "control_subject", "DEFAULT_QUEUE_GROUP", "ERROR_CODE_HEADER", "ERROR_HEADER", "EndpointConfig", "EndpointInfo",
    "EndpointStats", "Group", "GroupConfig", "Request", "Service", "ServiceClient", "ServiceConfig",
    "ServiceError", "ServiceInfo", "ServicePing", "ServiceStats", "add_service", "request_stream",
]
