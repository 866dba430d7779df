"""The `vestlod` command: a thin shell that parses options, calls one function, maps errors.

Every command turns a `VestlodError` into a one-line message on stderr and the error's exit code;
nothing here holds logic a test would need to reach.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from publish.config import load_settings
from publish.errors import VestlodError


def _errors_to_exit(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VestlodError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


@click.group()
@click.version_option(package_name="vestlod")
def main() -> None:
    """vestlod: the West Danish cooperation annex as linked open data."""


@main.command()
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default dist/).")
@click.option("--data", type=click.Path(path_type=Path), help="Data folder (default data/).")
@_errors_to_exit
def build(out: Path | None, data: Path | None) -> None:
    """Build, validate and write the dataset (nothing is replaced unless it validates)."""
    from publish.build import build as run_build

    settings = load_settings({"dist_dir": out, "data_dir": data})
    result = run_build(settings, log=lambda msg: click.echo(msg, err=True))
    click.echo(result.summary())


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data folder (default data/).")
@_errors_to_exit
def check(data: Path | None) -> None:
    """Check the annotations (quotes, ids, references, figures) without building."""
    from publish.build import check_annotations

    settings = load_settings({"data_dir": data})
    click.echo(check_annotations(settings))


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data folder (default data/).")
@_errors_to_exit
def coverage(data: Path | None) -> None:
    """List names, acronyms and numbers in the annex that no annotation covers."""
    from publish.build import coverage_report

    settings = load_settings({"data_dir": data})
    lines = coverage_report(settings)
    for line in lines:
        click.echo(line)
    if lines:
        sys.exit(1)
