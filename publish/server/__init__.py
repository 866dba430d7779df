"""The HTTP server: `create_app(settings, store)` builds it; only `vestlod serve` runs it."""

from publish.server.app import create_app

__all__ = ["create_app"]
