"""``reportgen.kept``: what a process keeps, bounded by count and by weight, the least recently used dropped first."""

from __future__ import annotations

from reportgen.kept import Kept


def test_the_least_recently_used_is_dropped_beyond_the_count():
    kept = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # ("a" now the most recently used)
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (1, None, 3, 2)
    assert kept.get("missing") is None


def test_the_weight_is_bounded_and_kept_true_when_values_are_replaced():
    kept = Kept(10, max_bytes=10, weigh=len)
    kept.put("a", "xxxx")
    kept.put("b", "xxxx")
    assert kept.weight == 8
    kept.put("a", "xx")  # replaced: its old weight no longer counts
    assert kept.weight == 6 and kept.get("a") == "xx"
    kept.put("c", "xxxxxx")  # 12 > 10: the least recently used ("b") goes
    assert kept.get("b") is None and kept.weight == 8 and len(kept) == 2
    kept.put("d", "x" * 11)  # heavier than the whole budget: not kept, nothing dropped
    assert kept.get("d") is None and len(kept) == 2 and kept.weight == 8


def test_without_a_weight_only_the_count_bounds_it():
    kept = Kept(3, max_bytes=1)  # (no ``weigh``: ``max_bytes`` has nothing to weigh)
    for i in range(5):
        kept.put(i, "x" * 100)
    assert len(kept) == 3 and kept.weight == 0
