"""What a process made once and may be asked for again (a batch's documents, ``watch``'s rounds), bounded.

``Kept`` is a mapping with a limit on how many values it holds and, given
``weigh``, on their total weight (bytes): the least recently used are
dropped first, and a value heavier than the whole budget is not kept. The
writers keep their readings of slide masters and their images' objects in
one each, per process (a worker process has its own).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Kept:
    """At most ``size`` values and, with ``weigh``, at most ``max_bytes`` of them by weight, the least recently used
    dropped first."""

    def __init__(self, size: int, max_bytes: int | None = None, weigh: Callable[[Any], int] | None = None):
        self.size = size
        self.max_bytes = max_bytes
        self._weigh = weigh if weigh is not None and max_bytes is not None else None
        self._kept: OrderedDict = OrderedDict()
        self.weight = 0  # what the values kept weigh together (0 without ``weigh``)

    def get(self, key: Hashable) -> Any:
        """Return the value kept for ``key`` (now the most recently used), or None."""
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used beyond the limits; a value heavier than
        ``max_bytes`` alone is not kept."""
        weight = self._weigh(value) if self._weigh is not None else 0
        if self.max_bytes is not None and weight > self.max_bytes:
            return
        old = self._kept.pop(key, None)
        if old is not None and self._weigh is not None:
            self.weight -= self._weigh(old)
        self._kept[key] = value
        self.weight += weight
        while len(self._kept) > self.size or (self.max_bytes is not None and self.weight > self.max_bytes):
            _key, dropped = self._kept.popitem(last=False)
            if self._weigh is not None:
                self.weight -= self._weigh(dropped)

    def __len__(self) -> int:
        return len(self._kept)
