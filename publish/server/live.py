"""The dataset being served right now, and the atomic swap to a new build.

`Live` pairs a loaded store with its worker pool and the built folder of the same version, so
the downloads (`/dumps`, `/catalog`, VoID's dumps) always describe what `/sparql` answers from.
`Serving` holds the current `Live`; a swap loads the new build aside (in a thread), forks its
workers, then replaces the reference in one assignment on the event loop, so every request sees
either the old or the new dataset, never a mix. The old pool finishes its in-flight queries
and then leaves. A failed load leaves the old dataset serving and is logged. The result cache is
cleared on every swap.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import anyio.to_thread

from publish.config import Settings
from publish.errors import NotReady, VestlodError
from publish.layout import TRIG, read_sums
from publish.query.backend import backend
from publish.query.store import Store, prune_on_disk
from publish.query.workers import PoolKind, ThreadPool, WorkerPool, make_pool
from publish.server.cache import ResultCache

log = logging.getLogger("vestlod.server")


def version_folder(dist: Path, version: str) -> Path | None:
    """The folder that holds the build of ``version``, resolved, or None if none is on disk.

    ``dist`` is a symlink to ``dist.<digest>/`` that a build replaces atomically, keeping the
    previous folder beside it; so the served version is looked for behind the link first, then
    among the siblings. A folder is the version's only if its ``SHA256SUMS`` names the very
    ``vestlod.trig`` that was loaded (the version *is* that file's sha256).
    """
    dist = Path(dist)
    candidates = [dist.resolve()]
    candidates += sorted(p.resolve() for p in dist.parent.glob(f"{dist.name}.*"))
    for folder in candidates:
        if folder.is_dir() and read_sums(folder).get(TRIG) == version:
            return folder
    return None


@dataclass
class Live:
    store: Store
    pool: WorkerPool | ThreadPool
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: the built folder of this version (resolved at the swap); None when none is on disk
    folder: Path | None = None

    @property
    def version(self) -> str:
        return self.store.stats.version

    def files(self, dist: Path) -> Path | None:
        """The folder to serve this version's files from, checked again on every call.

        A build swaps the ``dist`` link but keeps the previous folder, so the remembered one
        normally stays right; a folder replaced in place (no link) no longer names our
        ``vestlod.trig``, and then the version is looked for again.
        """
        if self.folder is not None and read_sums(self.folder).get(TRIG) == self.version:
            return self.folder
        self.folder = version_folder(dist, self.version)
        return self.folder


def worker_count(settings: Settings) -> int:
    return settings.query_workers or max(os.cpu_count() or 1, 1)


class Serving:
    """Owns the live dataset, the result cache and the watcher that notices new builds."""

    def __init__(
        self,
        settings: Settings,
        loader: Callable[[], Store] | None = None,
        pool: PoolKind = "auto",
    ) -> None:
        self.settings = settings
        self.pool_kind = pool
        self.current: Live | None = None
        self.cache = ResultCache(settings.cache_mb * 1024 * 1024)
        self.swaps = 0
        self.last_error: str | None = None
        self.last_error_version: str | None = None
        default_loader, self._probe = backend(settings)
        self._loader = loader or default_loader
        self._watcher: asyncio.Task[None] | None = None
        self._swap_lock = asyncio.Lock()

    def live(self) -> Live:
        if self.current is None:
            raise NotReady("the dataset is still loading; try again in a moment")
        return self.current

    async def swap(self, store: Store) -> None:
        """Serve ``store`` from now on: fork its workers first, then switch in one step."""
        async with self._swap_lock:
            pool = make_pool(store, worker_count(self.settings), self.settings.query_timeout,
                             self.pool_kind, self.settings.query_fast_workers)
            await pool.start()
            folder = await anyio.to_thread.run_sync(
                version_folder, Path(self.settings.dist_dir), store.stats.version
            )
            old, self.current = self.current, Live(store, pool, folder=folder)
            self.cache.clear()
            self.swaps += 1
            # What is alive now lives as long as this dataset: keep it out of the collector's
            # full passes, which otherwise walk it every few thousand requests (a p99 cost).
            # Unfreeze first so that what the previous swap froze can still be collected.
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            log.info("serving dataset %s (%d quads)", store.stats.version[:12], store.stats.quads)
            if old is not None:
                await old.pool.close()
                if self.settings.store_path and not self.settings.store_url:
                    prune_on_disk(Path(self.settings.store_path), store.stats.version)

    async def reload(self) -> bool:
        """Load the current dataset aside and swap it in; False (old data kept) on failure."""
        try:
            store = await anyio.to_thread.run_sync(self._loader)
        except VestlodError as exc:
            self.last_error = str(exc)
            log.error("new build not loaded, still serving the old one: %s", exc)
            return False
        self.last_error = None
        await self.swap(store)
        return True

    async def _watch(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                announced = await anyio.to_thread.run_sync(self._probe)
            except VestlodError as exc:
                log.warning("cannot tell which version is current: %s", exc)
                continue
            current = self.current.version if self.current else None
            if announced and announced != current and announced != self.last_error_version:
                if not await self.reload():
                    self.last_error_version = announced

    def start_watching(self) -> None:
        if self.settings.reload_interval > 0 and self._watcher is None:
            self._watcher = asyncio.create_task(self._watch(self.settings.reload_interval))

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        if self.current is not None:
            pool = self.current.pool
            await pool.close()
            pool.kill_all()
