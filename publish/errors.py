"""The one exception tree of vestlod.

    VestlodError                 exit 1, HTTP 500  anything of ours; a 500 reveals no detail
    ├── ConfigError              exit 2, HTTP 500  a setting is unknown, mistyped or misplaced
    ├── BuildError               exit 2, HTTP 500  the build cannot go on
    │   ├── SourceError          exit 2, HTTP 500  the annex is missing or its sha256 changed
    │   ├── AnnotationError      exit 2, HTTP 500  a curated YAML entry is wrong (path, line)
    │   ├── AnnotationErrors     exit 2, HTTP 500  every annotation problem at once (check)
    │   ├── FigureError          exit 2, HTTP 500  a number expression cannot be parsed
    │   └── ShaclViolation       exit 3, HTTP 500  the dataset does not conform to shapes/
    ├── StoreError               exit 1, HTTP 502  the SPARQL store failed
    │   ├── QuerySyntax          exit 1, HTTP 400  malformed SPARQL (the parser's message)
    │   ├── QueryRefused         exit 1, HTTP 403  update, LOAD, outbound SERVICE
    │   ├── QueryTimeout         exit 1, HTTP 503  the time limit was reached
    │   └── NotReady             exit 1, HTTP 503  no dataset is loaded yet
    ├── NotFound                 exit 1, HTTP 404  no such resource
    ├── NotAcceptable            exit 1, HTTP 406  no offered format matches Accept/format=
    │   └── NotAcceptableKind    exit 1, HTTP 406  none for this query's answer kind
    └── BadRequest               exit 1, HTTP 400  a protocol request is malformed (no query)
        └── UnsupportedMediaType exit 1, HTTP 415  a POST body of an unknown type

Every class lives here, so the tree above is the whole of it (tests/test_errors.py checks it
against the classes). Callers catch classes, never strings. The CLI maps `exit_code`, the
server maps `status`.
"""

from __future__ import annotations


class VestlodError(Exception):
    exit_code = 1
    status = 500


class ConfigError(VestlodError):
    """A setting is unknown, of the wrong type, or came from a place it may not (a secret in
    TOML); the message names the setting and where it came from."""

    exit_code = 2


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


class NotAcceptableKind(NotAcceptable):
    """The query's answer kind (results, boolean, graph) has no negotiated format; the kind is
    known only once the query ran, and it travels back from a worker for the 406 message."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"no acceptable format for a {kind} answer")


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
