"""A bounded in-process cache of serialised query answers.

The data only changes with a build, so an answer keyed by (dataset version, request) stays right
until the next swap, which clears the cache. Bounded by bytes, not entries: one CONSTRUCT can
outweigh ten thousand label look-ups. Least recently used answers leave first.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Cached:
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]


class ResultCache:
    """LRU by bytes. Not thread-safe by design: only the event loop touches it."""

    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("cache size must be >= 0")
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[str, Cached] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> Cached | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item

    def put(self, key: str, item: Cached) -> None:
        size = len(item.body)
        if size > self.max_bytes // 4:
            return  # one huge answer must not flush everything else
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self._items[key] = item
        self.bytes += size
        while self.bytes > self.max_bytes and self._items:
            _, evicted = self._items.popitem(last=False)
            self.bytes -= len(evicted.body)

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0
