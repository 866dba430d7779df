"""Query workers that can really be stopped: forked processes that inherit the loaded store.

pyoxigraph has no query cancellation and a Python thread cannot be killed, so a time limit
enforced with threads only stops the *waiting*; the query keeps a core busy until it ends (a
COUNT over a cross product: minutes). Here each query runs in a worker process forked from the
process that holds the store, so the in-memory store is shared copy-on-write and costs no load
time. On timeout the worker gets SIGKILL — the kernel frees its CPU at once — and a fresh fork
takes its place (a fork costs milliseconds; see ``make bench`` for the numbers).

Design notes, each a reason:

* All forks happen on one long-lived *keeper* thread per pool, and every worker sets
  ``PR_SET_PDEATHSIG``. The kernel kills the workers when that thread ends: when the pool is
  closed, and when the server dies by any means, so no orphan keeps computing.
* A worker closes every inherited descriptor but its own socket, so the listening socket and
  the other workers' pipes are never held open by a sibling, and a closed parent end means EOF.
* The parent never runs queries on the store itself, so no engine lock can be held at a fork.
* Talking to a worker happens on the event loop itself (non-blocking socket, the framing of
  `multiprocessing.connection`, which the worker keeps using): no thread hand-off and no GIL
  ping-pong per query, which on 2 cores was most of the server's cost for a small query. Only
  forking and reaping, which block, run in threads. The pool size bounds the concurrent
  queries; excess requests queue.
* Two lanes (`publish.query.lanes`): ``fast`` workers only ever run queries that are cheap by
  their shape (lookups), so a lookup does not queue behind aggregations; a cheap query may
  also take an idle general worker, a long one never takes a reserved worker. With lanes, the
  general workers also run at a lower CPU priority (`LONG_NICENESS`): on a machine with fewer
  cores than busy workers a lookup would otherwise wait for the scheduler instead of the pool.
  A long query loses little by it — lookups are short and leave the CPU to it again at once.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import ctypes
import os
import pickle
import queue
import signal
import socket
import struct
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal

import anyio
import anyio.to_thread

from publish.errors import NotAcceptableKind, QuerySyntax, QueryTimeout, StoreError, VestlodError
from publish.query.lanes import Lane, lane
from publish.query.store import QueryRequest, QueryResult, Store

_PR_SET_PDEATHSIG = 1
#: how much nicer than the server the general workers run when there is a cheap lane
LONG_NICENESS = 5
_LONG = struct.pack("!i", -1)  # multiprocessing's header for a message of 2 GiB or more


def _die_with_parent_thread() -> None:
    """Ask Linux to SIGKILL this process when the thread that forked it ends."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _close_inherited(keep: int) -> None:
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd != keep:
            with contextlib.suppress(OSError):
                os.close(fd)


_ERRORS: dict[str, type[VestlodError]] = {
    "QuerySyntax": QuerySyntax,
    "StoreError": StoreError,
}


def _serve(conn: Connection, store: Store) -> None:
    """The worker's loop: one request in, one ``("ok", result)`` or ``("err", …)`` out."""
    store.prepare_worker()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", store.execute(request))
        except NotAcceptableKind as exc:
            reply = ("406", exc.kind)
        except VestlodError as exc:
            reply = ("err", type(exc).__name__, str(exc))
        except Exception as exc:  # noqa: BLE001 — reported to the parent, which logs it
            reply = ("err", "StoreError", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


@dataclass
class Worker:
    pid: int
    sock: socket.socket  # non-blocking, our end of the socketpair
    spawned: float
    lane: Lane = "long"  # "cheap": a reserved worker, which runs cheap queries only

    async def ask(self, request: QueryRequest) -> QueryResult:
        """Send one request and await its answer on the running loop. The caller bounds the
        wait and, on timeout or error, must kill this worker: a half-read reply leaves the
        socket out of step."""
        loop = asyncio.get_running_loop()
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        n = len(payload)
        header = struct.pack("!i", n) if n <= 0x7FFFFFFF else struct.pack("!iQ", -1, n)
        await loop.sock_sendall(self.sock, header + payload)
        # One receive usually brings the header and the whole of a small reply.
        first = b""
        while len(first) < 4 or (first[:4] == _LONG and len(first) < 12):
            more = await loop.sock_recv(self.sock, 65536)
            if not more:
                raise EOFError("the query worker closed its socket")
            first += more
        (size,) = struct.unpack_from("!i", first)
        start = 4
        if size == -1:
            (size,) = struct.unpack_from("!Q", first, 4)
            start = 12
        body = first[start:]
        if len(body) < size:
            rest = await self._read(loop, size - len(body))
            body = body + rest
        reply = pickle.loads(body)
        if reply[0] == "ok" and isinstance(reply[1], QueryResult):
            return reply[1]
        if reply[0] == "406":
            raise NotAcceptableKind(reply[1])
        raise _ERRORS.get(reply[1], StoreError)(reply[2])

    async def _read(self, loop: asyncio.AbstractEventLoop, n: int) -> bytearray:
        buf = bytearray(n)
        view = memoryview(buf)
        got = 0
        while got < n:
            k = await loop.sock_recv_into(self.sock, view[got:])
            if k == 0:
                raise EOFError("the query worker closed its socket")
            got += k
        return buf

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.sock.close()
        self.reap()

    def stop(self) -> None:
        """Ask the worker to leave (EOF on its socket) and reap it."""
        with contextlib.suppress(OSError):
            self.sock.close()
        self.reap(grace=2.0)

    def reap(self, grace: float = 0.0) -> None:
        deadline = time.monotonic() + grace
        while True:
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                return
            if time.monotonic() >= deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(self.pid, 0)
                return
            time.sleep(0.01)


class _Keeper(threading.Thread):
    """The one thread that forks a pool's workers (see the module docstring for why)."""

    def __init__(self, spawn: Callable[[], Worker]) -> None:
        super().__init__(name="vestlod-query-keeper", daemon=True)
        self._spawn = spawn
        self._jobs: queue.Queue[concurrent.futures.Future[Worker] | None] = queue.Queue()

    def run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if job.set_running_or_notify_cancel():
                try:
                    job.set_result(self._spawn())
                except BaseException as exc:  # noqa: BLE001 — handed to the waiter
                    job.set_exception(exc)

    def spawn(self) -> concurrent.futures.Future[Worker]:
        job: concurrent.futures.Future[Worker] = concurrent.futures.Future()
        self._jobs.put(job)
        return job

    def stop(self) -> None:
        self._jobs.put(None)


class _Pool:
    """What every query pool checks and counts, whatever runs its queries."""

    noun, unit = "query pool", "slot"

    def __init__(self, store: Store, size: int, timeout: float, fast: int = 0) -> None:
        if size < 1:
            raise ValueError(f"a {self.noun} needs at least one {self.unit}")
        if fast < 0:
            raise ValueError("query_fast_workers must be 0 or more")
        if timeout <= 0:
            raise ValueError("query_timeout must be positive")
        self.store = store
        self.size = size
        self.fast = fast
        self.timeout = timeout
        self.closed = False
        self.timeouts = 0
        self.lanes: dict[Lane, int] = {"cheap": 0, "long": 0}  # queries run, per lane

    def lane_of(self, request: QueryRequest) -> Lane:
        """The lane ``request`` runs in (always "long" without reserved workers)."""
        chosen: Lane = lane(request.query, request.substitutions) if self.fast else "long"
        self.lanes[chosen] += 1
        return chosen

    def too_long(self) -> QueryTimeout:
        """Count a query stopped at the limit and return the error to raise for it."""
        self.timeouts += 1
        return QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped "
                            "(setting query_timeout)")

    def too_busy(self) -> QueryTimeout:
        """The error for a query that never got a worker (or slot) within the limit."""
        return QueryTimeout(f"all {self.size} query {self.unit}s stayed busy for "
                            f"{self.timeout:g} s; try again later")


class WorkerPool(_Pool):
    """``size`` forked workers over one store; `run` is the only way the server queries it."""

    noun, unit = "worker pool", "worker"

    def __init__(self, store: Store, size: int, timeout: float, fast: int = 0) -> None:
        super().__init__(store, size, timeout, fast)
        self._keeper = _Keeper(self._fork)
        # Idle workers and the requests waiting for one, both first come first served. A
        # freed worker goes straight to the oldest waiter: with asyncio.Queue a newcomer could
        # take it first and a waiter went to the back of the line again (p99 of 300 ms+ at 8
        # clients and 4 workers, measured).
        # One line of each per lane; a freed general worker serves long waiters first.
        self._idle: dict[Lane, collections.deque[Worker]] = {
            "cheap": collections.deque(), "long": collections.deque()}
        self._waiters: dict[Lane, collections.deque[asyncio.Future[Worker]]] = {
            "cheap": collections.deque(), "long": collections.deque()}
        self._started = False
        self._background: set[asyncio.Task[None]] = set()  # worker replacements under way
        self._all: dict[int, Worker] = {}
        self._lock = threading.Lock()

    def _fork(self) -> Worker:
        parent_sock, child_sock = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # pragma: no cover — runs in the child, measured by the server tests
            code = 0
            try:
                _die_with_parent_thread()
                parent_sock.close()
                child_fd = child_sock.detach()
                _close_inherited(child_fd)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                _serve(Connection(child_fd), self.store)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        child_sock.close()
        parent_sock.setblocking(False)
        worker = Worker(pid, parent_sock, time.monotonic())
        with self._lock:
            self._all[pid] = worker
        return worker

    def _spawn_blocking(self) -> Worker:
        return self._keeper.spawn().result()

    async def start(self) -> None:
        """Fork all workers (off the event loop) and make them available."""
        self._keeper.start()
        self._started = True
        long: Lane = "long"
        cheap: Lane = "cheap"
        for kind in [long] * self.size + [cheap] * self.fast:
            worker = await anyio.to_thread.run_sync(self._spawn_blocking)
            self._assign(worker, kind)
            self._give(worker)

    def _assign(self, worker: Worker, kind: Lane) -> None:
        """Put ``worker`` in lane ``kind``; a general worker beside a cheap lane yields the CPU
        to it (a parent may lower its own child's priority without privileges)."""
        worker.lane = kind
        if kind == "long" and self.fast:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, worker.pid, os.getpriority(
                    os.PRIO_PROCESS, 0) + LONG_NICENESS)

    @property
    def pids(self) -> tuple[int, ...]:
        with self._lock:
            return tuple(self._all)

    async def run(self, request: QueryRequest) -> QueryResult:
        """Run one query in a worker with the pool's time limit, queueing if all are busy.

        Time spent waiting for a free worker counts against the same limit, so an overloaded
        server answers 503 promptly instead of piling up requests.
        """
        if not self._started or self.closed:
            raise StoreError("the query workers are not running")
        started = time.monotonic()
        worker = await self._acquire(self.lane_of(request))
        remaining = max(self.timeout - (time.monotonic() - started), 0.001)
        replace = False
        try:
            async with asyncio.timeout(remaining):  # no extra task, unlike wait_for
                return await worker.ask(request)
        except TimeoutError:
            replace = True
            raise self.too_long() from None
        except asyncio.CancelledError:
            replace = True  # the client left mid-query: the worker may still be computing
            raise
        except (EOFError, OSError, ConnectionError) as exc:
            replace = True
            raise StoreError(f"a query worker died ({type(exc).__name__})") from None
        finally:
            await self._release(worker, replace)

    async def _acquire(self, kind: Lane = "long") -> Worker:
        idle, waiters = self._idle, self._waiters
        # the usual case: no future, no timer
        if kind == "cheap" and idle["cheap"] and not waiters["cheap"]:
            return idle["cheap"].popleft()
        if idle["long"] and not waiters["long"] and not (kind == "cheap" and waiters["cheap"]):
            return idle["long"].popleft()
        waiter: asyncio.Future[Worker] = asyncio.get_running_loop().create_future()
        line = waiters[kind]
        line.append(waiter)
        try:
            async with asyncio.timeout(self.timeout):
                return await waiter
        except (TimeoutError, asyncio.CancelledError) as exc:
            if waiter.done() and not waiter.cancelled():
                self._give(waiter.result())  # handed over just as we gave up: pass it on
            with contextlib.suppress(ValueError):
                line.remove(waiter)
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise self.too_busy() from None

    def _give(self, worker: Worker) -> None:
        """Hand ``worker`` to the oldest request waiting for its lane, or make it idle. A
        general worker goes to a long query first (cheap ones have their own workers) and to
        a cheap one when no long query waits."""
        lines: tuple[Lane, ...] = ("cheap",) if worker.lane == "cheap" else ("long", "cheap")
        for kind in lines:
            line = self._waiters[kind]
            while line:
                waiter = line.popleft()
                if not waiter.done():
                    waiter.set_result(worker)
                    return
        self._idle[worker.lane].append(worker)

    async def _release(self, worker: Worker, replace: bool) -> None:
        if not (replace or self.closed):
            self._give(worker)
            return
        with self._lock:
            self._all.pop(worker.pid, None)
        if replace:
            # Killed and replaced in the background: the caller answers (503) at the limit,
            # not after a fork of the whole server, and a cancelled request cannot stop it.
            task = asyncio.get_running_loop().create_task(self._replace(worker))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(worker.stop)
            self._finish_if_empty()

    async def _replace(self, worker: Worker) -> None:
        await anyio.to_thread.run_sync(worker.kill)
        if self.closed:
            self._finish_if_empty()
            return
        fresh = await anyio.to_thread.run_sync(self._spawn_blocking)
        self._assign(fresh, worker.lane)
        if self.closed:
            with self._lock:
                self._all.pop(fresh.pid, None)
            await anyio.to_thread.run_sync(fresh.stop)
            self._finish_if_empty()
            return
        self._give(fresh)

    async def close(self) -> None:
        """Stop taking queries; idle workers leave now, busy ones when their query ends."""
        self.closed = True
        idle: list[Worker] = []
        for line in self._idle.values():
            while line:
                idle.append(line.popleft())
        with self._lock:
            for worker in idle:
                self._all.pop(worker.pid, None)
        for worker in idle:
            await anyio.to_thread.run_sync(worker.stop)
        self._finish_if_empty()

    def _finish_if_empty(self) -> None:
        # The keeper thread must outlive busy workers: its exit SIGKILLs them (PDEATHSIG).
        with self._lock:
            empty = not self._all
        if empty:
            self._keeper.stop()

    def kill_all(self) -> None:
        """Last resort at process exit: no worker may outlive the server."""
        self.closed = True
        with self._lock:
            workers = list(self._all.values())
            self._all.clear()
        for worker in workers:
            worker.kill()
        self._keeper.stop()


def _execute_here(store: Store, request: QueryRequest) -> QueryResult:
    """``store.execute`` in this thread; an error leaves without the locals of its frames.

    pyoxigraph's results iterators may only be dropped by the thread that made them, and an
    error's traceback keeps the frame that held one alive into the event loop's thread (a
    406 for a CONSTRUCT asked as CSV did): clearing the frames here drops it where it was made.
    """
    try:
        return store.execute(request)
    except BaseException as exc:
        traceback.clear_frames(exc.__traceback__)
        raise


class ThreadPool(_Pool):
    """The same interface as `WorkerPool` for a store whose queries run in *another* process.

    A remote store's query is network I/O: forking would copy the server's memory to wait on a
    socket. Here a query runs in a thread, at most ``size`` at once. The time limit is real
    without killing anything: the store is told the limit (and stops the query itself) and
    its HTTP client gives up shortly after; the caller is answered at ``timeout`` regardless.

    Tests that drive the app in-process use it for the embedded store too (``make_pool(...,
    kind="threads")``): nothing forks, but a query past the limit is only abandoned, not
    stopped, and keeps its thread until it ends.
    """

    def __init__(self, store: Store, size: int, timeout: float, fast: int = 0) -> None:
        super().__init__(store, size, timeout, fast)
        self._slots: asyncio.Semaphore | None = None
        self._fast_slots: asyncio.Semaphore | None = None
        self._busy = 0

    async def start(self) -> None:
        self._slots = asyncio.Semaphore(self.size)
        self._fast_slots = asyncio.Semaphore(self.fast) if self.fast else None

    @property
    def pids(self) -> tuple[int, ...]:
        return ()

    async def run(self, request: QueryRequest) -> QueryResult:
        """Run one query in a thread within the pool's time limit (waiting counts too)."""
        if self._slots is None or self.closed:
            raise StoreError("the query pool is not running")
        started = time.monotonic()
        # a cheap query takes a general slot if one is free, else waits for a reserved one
        slots = self._slots
        if (self.lane_of(request) == "cheap" and self._fast_slots is not None
                and self._slots.locked()):
            slots = self._fast_slots
        try:
            await asyncio.wait_for(slots.acquire(), self.timeout)
        except TimeoutError:
            raise self.too_busy() from None
        self._busy += 1
        remaining = max(self.timeout - (time.monotonic() - started), 0.001)
        try:
            with anyio.fail_after(remaining):
                return await anyio.to_thread.run_sync(
                    _execute_here, self.store, request, abandon_on_cancel=True
                )
        except TimeoutError:
            raise self.too_long() from None
        except QueryTimeout:
            self.timeouts += 1
            raise
        finally:
            self._busy -= 1
            slots.release()
            if self.closed and not self._busy:
                self._close_store()

    def _close_store(self) -> None:
        close = getattr(self.store, "close", None)
        if callable(close):
            close()

    async def close(self) -> None:
        """Stop taking queries; the store's connections close when the last query ends."""
        self.closed = True
        if not self._busy:
            self._close_store()

    def kill_all(self) -> None:
        self.closed = True


PoolKind = Literal["auto", "threads"]
"""How queries run: ``"auto"`` asks the store (its ``forked`` attribute) and is what the
server uses; ``"threads"`` always runs them in threads of this process, never forking. That is
for tests that drive the app in-process: a time limit then stops only the waiting (see
`ThreadPool`), so whatever must show a query really stopped runs a real server."""


def make_pool(
    store: Store, size: int, timeout: float, kind: PoolKind = "auto", fast: int = 0
) -> WorkerPool | ThreadPool:
    """Forked workers for an in-process engine, threads for a store that runs elsewhere (or
    whenever ``kind`` is ``"threads"``); ``fast`` more reserved for cheap queries."""
    if kind == "threads":
        return ThreadPool(store, size, timeout, fast)
    if kind != "auto":
        raise ValueError(f"unknown query pool kind {kind!r}")
    if getattr(store, "forked", True):
        return WorkerPool(store, size, timeout, fast)
    return ThreadPool(store, size, timeout, fast)


def query_once(store: Store, request: QueryRequest, timeout: float) -> QueryResult:
    """Run one query with a real time limit outside a server (``vestlod query``)."""

    async def run() -> QueryResult:
        pool = make_pool(store, 1, timeout)
        await pool.start()
        try:
            return await pool.run(request)
        finally:
            await pool.close()
            pool.kill_all()

    return asyncio.run(run())
