"""How long shared caches may keep an answer: one policy for every cacheable route.

Routes mark what may be stored with ``Cache-Control: public, no-cache`` (`conditional.REVALIDATE`)
and an ETag. With ``cache_max_age`` > 0 this middleware turns that into ``public,
max-age=N, stale-while-revalidate=M`` on GET and HEAD, so a CDN or the nginx in front of the
replicas (deploy/) answers repeats itself and revalidates with a cheap 304. The price is
staleness: after a swap, a cache may serve the previous version's answer for up to N seconds
(plus M while it revalidates) — hence a setting, and 0 restores "always ask". POST answers
(``/sparql`` with a body) are never stored. Answers that chose another policy (immutable
versioned dumps, redirects, errors) pass untouched.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publish.server.conditional import NO_STORE, REVALIDATE


class SharedCachePolicy:
    def __init__(self, app: ASGIApp, max_age: int, stale_while_revalidate: int) -> None:
        if max_age < 0 or stale_while_revalidate < 0:
            raise ValueError("cache lifetimes are seconds >= 0")
        self.app = app
        self.shared = (f"public, max-age={max_age}, stale-while-revalidate="
                       f"{stale_while_revalidate}" if max_age else REVALIDATE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                policy = headers.get("cache-control")
                if method in ("GET", "HEAD") and policy == REVALIDATE:
                    headers["cache-control"] = self.shared
                elif method not in ("GET", "HEAD") and policy in (None, REVALIDATE):
                    headers["cache-control"] = NO_STORE
            await send(message)

        await self.app(scope, receive, send_with_policy)
