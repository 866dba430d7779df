"""The one percentile every benchmark reports, so their p50/p99 figures mean the same thing."""

from __future__ import annotations


def percentile_ms(values: list[float], q: float, digits: int = 2) -> float | None:
    """The ``q`` quantile (nearest rank) of durations in seconds, in milliseconds; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000, digits)
