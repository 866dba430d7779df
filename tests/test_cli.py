"""One CLI vocabulary and one settings table (issue #14, items 5 and 6).

`--dist` is the built folder on every command that has one, `--data` only ever the source folder;
every flag falls back to its setting; the settings table, the `Settings` object, `vestlod
settings` and the README say the same; a bad value or an OS error is one line, never a traceback.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from publish.build.pipeline import BuildResult
from publish.cli import _errors_to_exit, main
from publish.config import SETTINGS, Settings, load_settings, settings_markdown

ROOT = Path(__file__).resolve().parent.parent
NO_TOML = ROOT / "no-such-file.toml"


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def one_clear_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("command", ["build", "validate", "serve", "query", "load"])
def test_every_command_that_reads_or_writes_the_built_folder_takes_dist(command: str) -> None:
    cmd = main.commands[command]
    visible = {opt for p in cmd.params if isinstance(p, click.Option) and not p.hidden
               for opt in p.opts}
    assert "--dist" in visible
    assert "--out" not in visible
    if command != "build":
        assert "--data" not in visible  # --data is the source folder, which only build reads


@pytest.mark.parametrize("command", ["build", "check", "coverage", "links"])
def test_data_is_the_source_folder(command: str) -> None:
    option = next(p for p in main.commands[command].params if "--data" in p.opts)
    assert "source folder" in (getattr(option, "help", "") or "")


def test_an_earlier_release_flag_still_works_and_says_it_is_deprecated(tmp_path: Path) -> None:
    code, _out, err = run(["validate", "--data", str(tmp_path / "nothing")])
    assert "warning: --data is deprecated here, use --dist" in err
    assert f"{tmp_path / 'nothing'}/vestlod.trig: missing" in err  # the alias was honoured
    assert code == 2


def test_load_reads_the_store_from_its_setting_when_no_flag_is_given(built: BuildResult) -> None:
    code, _out, err = run(["load"], env={"VESTLOD_STORE_URL": ""})
    assert code == 2
    assert one_clear_line(err) == ("error: no remote store: pass --store URL or set "
                                   "VESTLOD_STORE_URL")
    # With the variables set, load goes on to the store they name (closed port: one line).
    code, _out, err = run(["load", "--dist", str(built.out)], env={
        "VESTLOD_STORE_URL": "http://127.0.0.1:1/sparql",
        "VESTLOD_STORE_GRAPH_STORE_URL": "http://127.0.0.1:1/gsp"})
    assert code != 0
    assert "127.0.0.1:1" in one_clear_line(err)


def test_the_settings_table_and_the_settings_object_agree() -> None:
    names = [f.name for f in dataclasses.fields(Settings)]
    assert sorted(names) == sorted(s.name for s in SETTINGS)
    settings = load_settings(environ={}, toml_path=NO_TOML)
    for setting in SETTINGS:
        value = getattr(settings, setting.name)
        expected = Path(setting.default) if isinstance(value, Path) else setting.default
        assert value == expected, setting.name
    for field in dataclasses.fields(Settings):
        if field.default is not dataclasses.MISSING:
            table = next(s for s in SETTINGS if s.name == field.name)
            assert field.default == table.default, field.name


def test_the_readme_settings_section_is_the_generated_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- settings:start[^>]*-->\n(.*?)<!-- settings:end -->", readme, re.S)
    assert found, "README.md lacks the settings markers"
    assert found.group(1) == settings_markdown(), (
        "README settings table is stale: paste `vestlod settings --markdown` between the markers")


def test_settings_prints_default_variable_current_value_and_source(tmp_path: Path) -> None:
    toml = tmp_path / "v.toml"
    toml.write_text("result_cap = 50\n")
    code, out, _err = run(["settings"], env={
        "VESTLOD_CONFIG": str(toml), "VESTLOD_PORT": "9001", "VESTLOD_STORE_PASSWORD": "s3cret"})
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["port"] == ["port", "VESTLOD_PORT", "8000", "9001", "VESTLOD_PORT"]
    assert rows["result_cap"] == ["result_cap", "VESTLOD_RESULT_CAP", "10000", "50", str(toml)]
    assert rows["host"][-1] == "default"
    assert "s3cret" not in out
    assert rows["store_password"][-2:] == ["(set)", "VESTLOD_STORE_PASSWORD"]
    assert set(rows) == {s.name for s in SETTINGS}


@pytest.mark.parametrize(("toml", "message"), [
    ('port = "abc"\n', "port must be an integer, got 'abc'"),
    ("port = 1.5\n", "port must be an integer, got 1.5"),
    ("query_timeout = true\n", "query_timeout must be a number, got True"),
    ("host = 5\n", "host must be a string, got 5"),
    ("service_allowlist = [1]\n", "service_allowlist must be a list of strings, got [1]"),
    ("port = \n", "not valid TOML"),
    ("colour = 'blue'\n", "unknown setting 'colour'"),
])
def test_a_bad_value_in_toml_is_one_line_naming_the_file(tmp_path: Path, toml: str,
                                                         message: str) -> None:
    path = tmp_path / "vestlod.toml"
    path.write_text(toml)
    code, _out, err = run(["settings"], env={"VESTLOD_CONFIG": str(path)})
    line = one_clear_line(err)
    assert line.startswith(f"error: {path}: ")
    assert message in line
    assert code == 2


def test_a_bad_value_in_the_environment_is_one_line_naming_the_variable() -> None:
    code, _out, err = run(["settings"], env={"VESTLOD_QUERY_TIMEOUT": "soon"})
    assert one_clear_line(err) == ("error: VESTLOD_QUERY_TIMEOUT: query_timeout must be a "
                                   "number, got 'soon'")
    assert code == 2


def test_an_os_error_is_one_line_naming_the_file() -> None:
    @click.command()
    @_errors_to_exit
    def reads() -> None:
        raise FileNotFoundError(2, "No such file or directory", "/srv/vestlod/dist/x")

    result = CliRunner().invoke(reads, [])
    assert result.exit_code == 1
    assert one_clear_line(result.stderr) == (
        "error: /srv/vestlod/dist/x: No such file or directory")
