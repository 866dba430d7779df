"""How `vestlod serve` speaks HTTP on a connection: uvicorn's httptools protocol, plus two things.

**1. A time limit on receiving a request, which uvicorn does not have.**

uvicorn closes a keep-alive connection that stays idle between requests, but a client that
opens a connection and sends nothing, or sends half its headers and stops (slowloris), keeps it
for ever: measured, 1,100 such connections were all still held after 12 s, and about a thousand
exhaust a default limit of 1,024 file descriptors. Here every request must arrive whole —
request line, headers and body — within ``request_timeout`` seconds of its connection or of its
first byte; a client that is slower gets ``408 Request Timeout`` and the connection is closed.
The time the app then takes to answer is not counted (queries have their own limit).

**2. One write per answer.** uvicorn writes a response's status line and headers, then its body,
as two writes. A replica killed with -9 between them leaves a load balancer holding headers
without a body, which it can no longer retry elsewhere (measured behind nginx: one truncated
answer per kill under load). `_Corked` collects what one turn of the event loop writes and hands
it to the socket in one call, so a killed process has sent either a whole small answer or
nothing, and nothing is safely retried.
"""

from __future__ import annotations

import asyncio
from typing import cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

TIMEOUT_ANSWER = (b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                  b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: 30\r\n\r\n"
                  b"request not received in time\r\n")


class _Corked:
    """A transport whose writes within one event-loop turn reach the socket as one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._transport, name)


class TimedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's arrival and one socket
    write per event-loop turn."""

    request_timeout: float = 10.0
    _deadline: asyncio.TimerHandle | None = None

    # uvicorn's own method narrows BaseProtocol's BaseTransport to Transport the same way
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(cast(asyncio.Transport, _Corked(transport, self.loop)))
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a later request on a kept-alive connection
            self._arm()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.write(TIMEOUT_ANSWER)
            self.transport.close()


def timed_protocol(request_timeout: float) -> type[TimedHttpToolsProtocol]:
    """The protocol class for uvicorn's ``http=`` with this deadline."""
    return type("TimedHttp", (TimedHttpToolsProtocol,), {"request_timeout": request_timeout})
