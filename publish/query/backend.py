"""The choice of backend: the embedded store over a built folder, or a remote SPARQL store.

Both the server (which swaps in new versions) and `vestlod query` (which runs one query) ask
here, so the command line never imports the web stack to find its store.
"""

from __future__ import annotations

from collections.abc import Callable

from publish.config import Settings
from publish.query.store import Store, dist_version, load_store


def backend(settings: Settings) -> tuple[Callable[[], Store], Callable[[], str | None]]:
    """How to load the dataset and how to ask cheaply which version is current.

    Embedded: dist/ and its SHA256SUMS. Remote: the store itself and the version `vestlod
    load` recorded there, so a load from another machine is noticed and swapped in here.
    """
    if settings.store_url:
        from publish.query.remote import connect, remote_version

        return (lambda: connect(settings)), (lambda: remote_version(settings))
    return (
        (lambda: load_store(settings.dist_dir, settings.store_path)),
        (lambda: dist_version(settings.dist_dir)),
    )
