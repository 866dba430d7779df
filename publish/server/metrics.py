"""Prometheus metrics for one app: request counts, latency histograms, query timeouts.

One `Metrics` per `create_app` (kept on ``app.state.metrics``), never a module-level registry,
so tests and several apps in one process never see each other's counts. The text exposition
format (version 0.0.4) is written by hand: it is a dozen lines and saves a dependency.

Paths are grouped into a fixed set of route labels (``/sparql``, ``/doc``, …, ``other``):
a label per raw path would let any client grow the registry without bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

BUCKETS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

ROUTES: tuple[str, ...] = (
    "/sparql", "/id", "/doc", "/def", "/dumps", "/catalog", "/.well-known", "/validation",
    "/static", "/healthz", "/readyz", "/metrics",
)


def route_label(path: str) -> str:
    """The bounded label for ``path``: its known first segment, ``/`` or ``other``."""
    if path == "/":
        return "/"
    first = "/" + path.lstrip("/").split("/", 1)[0]
    return first if first in ROUTES else "other"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _fmt(value: float) -> str:
    if value == float("inf"):
        return "+Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class Metrics:
    """Counters and histograms updated from the event loop and read by ``GET /metrics``."""

    def __init__(self, buckets: Iterable[float] = BUCKETS) -> None:
        self.buckets = tuple(sorted(buckets))
        if not self.buckets or self.buckets[0] <= 0:
            raise ValueError("histogram buckets must be positive")
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, str], int] = {}
        self._hist: dict[str, list[int]] = {}
        self._sum: dict[str, float] = {}
        self._count: dict[str, int] = {}
        self.query_timeouts = 0
        self.gauges: dict[str, tuple[str, Callable[[], float]]] = {}

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        """Count one finished request and put its duration in its route's histogram."""
        route = route_label(path)
        method = method if method in ("GET", "HEAD", "POST", "OPTIONS") else "other"
        with self._lock:
            key = (method, route, str(status))
            self.requests[key] = self.requests.get(key, 0) + 1
            counts = self._hist.setdefault(route, [0] * len(self.buckets))
            for i, bound in enumerate(self.buckets):
                if seconds <= bound:
                    counts[i] += 1
            self._sum[route] = self._sum.get(route, 0.0) + seconds
            self._count[route] = self._count.get(route, 0) + 1

    def query_timed_out(self) -> None:
        with self._lock:
            self.query_timeouts += 1

    def gauge(self, name: str, help_text: str, read: Callable[[], float]) -> None:
        """A value read at scrape time (e.g. readiness, cache size) from live objects."""
        self.gauges[name] = (help_text, read)

    def render(self) -> str:
        """The whole registry in the Prometheus text exposition format."""
        out: list[str] = []
        with self._lock:
            out += [
                "# HELP vestlod_http_requests_total HTTP requests by method, route and status.",
                "# TYPE vestlod_http_requests_total counter",
            ]
            for (method, route, status), n in sorted(self.requests.items()):
                out.append(
                    f'vestlod_http_requests_total{{method="{method}",route="{_escape(route)}",'
                    f'status="{status}"}} {n}'
                )
            out += [
                "# HELP vestlod_http_request_duration_seconds Time to answer, by route.",
                "# TYPE vestlod_http_request_duration_seconds histogram",
            ]
            for route in sorted(self._hist):
                label = f'route="{_escape(route)}"'
                for bound, n in zip(self.buckets, self._hist[route], strict=True):
                    out.append(
                        f'vestlod_http_request_duration_seconds_bucket{{{label},'
                        f'le="{_fmt(bound)}"}} {n}'
                    )
                out.append(
                    f'vestlod_http_request_duration_seconds_bucket{{{label},le="+Inf"}} '
                    f"{self._count[route]}"
                )
                out.append(
                    f"vestlod_http_request_duration_seconds_sum{{{label}}} {self._sum[route]!r}"
                )
                out.append(
                    f"vestlod_http_request_duration_seconds_count{{{label}}} "
                    f"{self._count[route]}"
                )
            out += [
                "# HELP vestlod_query_timeouts_total SPARQL queries stopped at query_timeout.",
                "# TYPE vestlod_query_timeouts_total counter",
                f"vestlod_query_timeouts_total {self.query_timeouts}",
            ]
        for name, (help_text, read) in sorted(self.gauges.items()):
            out += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {_fmt(read())}"]
        return "\n".join(out) + "\n"
