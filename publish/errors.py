"""The one exception tree of vestlod.

    VestlodError                 exit code 1, HTTP 500
    ├── BuildError               the build cannot go on (exit 2)
    │   ├── SourceError          the annex is missing or its sha256 changed
    │   ├── AnnotationError      a curated YAML entry is wrong: carries path, line and field
    │   ├── FigureError          a number expression cannot be parsed
    │   └── ShaclViolation       the dataset does not conform to shapes/ (exit 3)
    ├── StoreError               the SPARQL store failed (HTTP 502/500)
    │   ├── QuerySyntax          malformed SPARQL (HTTP 400, carries the parser's message)
    │   ├── QueryRefused         update, LOAD, outbound SERVICE (HTTP 403)
    │   ├── QueryTimeout         the time limit was reached (HTTP 503)
    │   └── NotReady             no dataset is loaded yet (HTTP 503)
    ├── NotFound                 no such resource (HTTP 404)
    ├── NotAcceptable            no offered format matches Accept/format= (HTTP 406)
    └── BadRequest               a protocol request is malformed, e.g. no query (HTTP 400)
        └── UnsupportedMediaType a POST body of an unknown type (HTTP 415)

Callers catch classes, never strings. The CLI maps `exit_code`, the server maps `status`.
"""

from __future__ import annotations


class VestlodError(Exception):
    exit_code = 1
    status = 500


class BuildError(VestlodError):
    exit_code = 2


class SourceError(BuildError):
    pass


class AnnotationError(BuildError):
    """A curated annotation is wrong; the message names file, line and field."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f" [{self.field}]" if self.field else ""
        return f"{where}:{what} {self.message}"


class FigureError(BuildError, ValueError):
    """A Danish number expression could not be parsed."""


class ShaclViolation(BuildError):
    exit_code = 3


class StoreError(VestlodError):
    status = 502


class QuerySyntax(StoreError):
    status = 400


class QueryRefused(StoreError):
    status = 403


class QueryTimeout(StoreError):
    status = 503


class NotFound(VestlodError):
    status = 404


class NotReady(StoreError):
    """The server is up but no dataset has been loaded yet (readiness)."""

    status = 503


class NotAcceptable(VestlodError):
    """Content negotiation found nothing; the message lists what is offered."""

    status = 406


class BadRequest(VestlodError):
    """The HTTP request itself is malformed (not the SPARQL inside it)."""

    status = 400


class AnnotationErrors(BuildError):
    """Every problem found in the annotations at once (what `vestlod check` reports)."""

    def __init__(self, errors: list[AnnotationError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class UnsupportedMediaType(BadRequest):
    """A POST body of a type the protocol does not define."""

    status = 415
