"""Where rendered pages are kept: Redis in production, a bounded map in each process
otherwise. A store that fails (Redis down) answers "not found"; the page is drawn anew."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any, Protocol

import redis

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600  # a page is drawn at least once a day (the key holds the day too)


class PageStore(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...

    def clear(self) -> None: ...


class MemoryStore:
    """The most recently used pages of this process, up to `max_bytes` of them."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._pages.get(key)
            if value is not None:
                self._pages.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._pages[key] = value
            self._size += len(value)
            while self._size > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0


class RedisStore:
    """Pages shared by every worker, in the Redis the portal already uses."""

    PREFIX = "portal:page:"

    def __init__(self, url: str) -> None:
        self._redis: Any = redis.Redis.from_url(
            url, socket_timeout=0.25, socket_connect_timeout=0.25
        )

    def get(self, key: str) -> bytes | None:
        try:
            value: bytes | None = self._redis.get(self.PREFIX + key)
        except redis.RedisError as exc:
            log.warning("page cache: Redis unavailable (%s); drawing the page", exc)
            return None
        return value

    def put(self, key: str, value: bytes) -> None:
        try:
            self._redis.set(self.PREFIX + key, value, ex=TTL_SECONDS)
        except redis.RedisError as exc:
            log.warning("page cache: Redis unavailable (%s); page not kept", exc)

    def clear(self) -> None:
        try:
            for key in self._redis.scan_iter(match=self.PREFIX + "*", count=1000):
                self._redis.delete(key)
        except redis.RedisError as exc:
            log.warning("page cache: Redis unavailable (%s); nothing cleared", exc)


class TieredStore:
    """Redis behind this process's own most recent pages. A key names one drawing for
    good (the data version is in it), so a page this process holds is never stale: Redis is
    asked only for pages this process has not seen, and shares what it draws."""

    def __init__(self, near: MemoryStore, far: RedisStore) -> None:
        self.near, self.far = near, far

    def get(self, key: str) -> bytes | None:
        value = self.near.get(key)
        if value is None:
            value = self.far.get(key)
            if value is not None:
                self.near.put(key, value)
        return value

    def put(self, key: str, value: bytes) -> None:
        self.near.put(key, value)
        self.far.put(key, value)

    def clear(self) -> None:
        self.near.clear()
        self.far.clear()


def make_store(config: Any) -> PageStore | None:
    """The store PAGE_CACHE names: "redis" (REDIS_URL, with each process's most recent
    pages in front), "memory", or "off" (None)."""
    kind = str(config.get("PAGE_CACHE", "memory")).lower()
    if kind == "off":
        return None
    near = MemoryStore(int(config.get("PAGE_CACHE_MAX_BYTES", 64 * 2**20)))
    if kind == "redis":
        return TieredStore(
            near, RedisStore(config.get("PAGE_CACHE_REDIS_URL") or config["REDIS_URL"])
        )
    if kind == "memory":
        return near
    raise ValueError(f"PAGE_CACHE must be off, memory or redis, not {kind!r}")
