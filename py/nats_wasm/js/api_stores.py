"""The key-value and object-store settings and records (nats.py keeps them
in ``nats.js.api``; ``api`` re-exports them from here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Union

from .api import Base, Placement, RePublish, StorageType, _nested


@dataclass
class KeyValueConfig(Base):
    """A key-value bucket's settings (nats.py ``api.KeyValueConfig``; ttl in
    seconds). ``direct`` None means direct gets (nats-server 2.9 has them)."""

    bucket: str = ""
    description: Optional[str] = None
    max_value_size: Optional[int] = None
    history: int = 1
    ttl: Optional[float] = None
    max_bytes: Optional[int] = None
    storage: Optional[Union[StorageType, str]] = None
    replicas: int = 1
    placement: Optional[Placement] = None
    republish: Optional[RePublish] = None
    direct: Optional[bool] = None


@dataclass
class ObjectLink(Base):
    """Where a link points (nats.py ``api.ObjectLink``)."""

    bucket: str = ""
    name: Optional[str] = None


@dataclass
class ObjectMetaOptions(Base):
    """nats.py ``api.ObjectMetaOptions``."""

    link: Optional[ObjectLink] = _nested(ObjectLink, default=None)
    max_chunk_size: Optional[int] = None


@dataclass
class ObjectMeta(Base):
    """What a put describes (nats.py ``api.ObjectMeta``)."""

    name: Optional[str] = None
    description: Optional[str] = None
    headers: Optional[Dict[str, List[str]]] = None
    options: Optional[ObjectMetaOptions] = _nested(ObjectMetaOptions, default=None)


@dataclass
class ObjectInfo(Base):
    """An object's info (nats.py ``api.ObjectInfo``); ``revision`` is the
    stream sequence of the info (as nats.js)."""

    name: str = ""
    bucket: str = ""
    nuid: str = ""
    size: Optional[int] = None
    mtime: Optional[str] = None
    chunks: Optional[int] = None
    digest: Optional[str] = None
    deleted: Optional[bool] = False
    description: Optional[str] = None
    headers: Optional[Dict[str, List[str]]] = None
    options: Optional[ObjectMetaOptions] = _nested(ObjectMetaOptions, default=None)
    revision: Optional[int] = None

    @property
    def meta(self) -> ObjectMeta:
        return ObjectMeta(name=self.name, description=self.description, headers=self.headers,
                          options=self.options)

    def is_link(self) -> bool:
        return self.options is not None and self.options.link is not None


@dataclass
class ObjectStoreConfig(Base):
    """A store's settings (nats.py ``api.ObjectStoreConfig``; ttl in seconds)."""

    bucket: Optional[str] = None
    description: Optional[str] = None
    ttl: Optional[float] = None
    max_bytes: Optional[int] = None
    storage: Optional[Union[StorageType, str]] = None
    replicas: int = 1
    placement: Optional[Any] = None
