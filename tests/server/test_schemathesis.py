"""Schemathesis against a real `vestlod serve`: every operation of /openapi.json, no 5xx.

The schema is read from the running server, so this fuzzes what is served. Each operation
gets a bounded number of positive cases (valid by the schema) and negative cases (invalid:
wrong types, broken patterns, missing bodies), derandomized so a run is reproducible. Every
response goes through schemathesis's "not a server error" check; all failures are collected
and reported together, with a curl line to replay each. Issue 9 quotes the printed count.
"""

from __future__ import annotations

import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from publish.server.app import openapi_document
from tests.server.conftest import Server
from tests.server.test_openapi import HTTP_METHODS

EXAMPLES = 30
"""Per operation and generation mode; keeps the whole test well under 40 s."""


def run_operation(
    operation: schemathesis.APIOperation, mode: GenerationMode, session: requests.Session,
    base_url: str, statuses: list[int], failures: list[str],
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Case) -> None:
        response = case.call(base_url=base_url, session=session, timeout=20)
        statuses.append(response.status_code)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (AssertionError, FailureGroup) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            failures.append(f"{response.status_code} {case.as_curl_command()}\n    {first}")

    try:
        fuzz()
    except Unsatisfiable:
        pass  # e.g. no negative case exists for an operation without parameters


@pytest.mark.slow  # ~600 generated requests; `make test` runs it, `make test-fast` does not
def test_no_operation_answers_5xx(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = openapi_document()["paths"]
    assert isinstance(paths, dict)
    documented = {f"{method.upper()} {path}" for path, item in paths.items()
                  for method in item if method in HTTP_METHODS}
    # schemathesis leaves out the operation that serves the schema it loaded
    assert {op.label for op in operations} == documented - {"GET /openapi.json"}
    statuses: list[int] = []
    failures: list[str] = []
    with requests.Session() as session:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                run_operation(operation, mode, session, server.url, statuses, failures)
    server_errors = [s for s in statuses if s >= 500]
    with capsys.disabled():
        print(
            f"\nschemathesis {schemathesis.SCHEMATHESIS_VERSION}: {len(statuses)} cases over "
            f"{len(operations)} operations, {len(server_errors)} with a 5xx, "
            f"{time.monotonic() - started:.1f} s"
        )
    assert failures == [], "\n".join(failures)
    assert server_errors == []
    assert len(statuses) >= 10 * len(operations)
