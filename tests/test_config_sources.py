"""Every field of RunConfig can be set from each of the three places a run's settings come
from: a command-line option of `newsflow run`, a `NEWSFLOW_*` variable, and the `config`
parameter of a deployment (validated by the flow as Prefect validates it)."""

from __future__ import annotations

import ast
import json
import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import typer

from flows.pipeline import translate_news
from newsflow.cli import app
from newsflow.options import config_values, env_name, option_name
from newslib.config import RunConfig

FIELDS = [name for name in RunConfig.model_fields if name != "inputs"]


def sample_value(field: str) -> Any:
    """A valid value of the field that differs from its default."""
    info = RunConfig.model_fields[field]
    default = info.get_default(call_default_factory=True)
    kinds = [a for a in typing.get_args(info.annotation) if a is not type(None)]
    kind = kinds[0] if isinstance(info.annotation, types.UnionType) else info.annotation
    if typing.get_origin(kind) is typing.Literal:
        return next(v for v in typing.get_args(kind) if v != default)
    if kind is bool:
        return not default
    if kind is int:
        return default + 1
    if kind is Path:
        return Path(f"/tmp/sample-{field}")
    if field == "source_lang":
        return "zsm_Latn"
    assert kind is str, f"no sample for {field}: {info.annotation!r}"
    return f"sample-{field}"


def as_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@pytest.mark.parametrize("field", FIELDS)
def test_a_field_set_on_the_command_line(field: str) -> None:
    value = sample_value(field)
    command = typer.main.get_command(app).commands["run"]  # type: ignore[attr-defined]
    if isinstance(value, bool):
        args = [option_name(field) if value else "--no-" + option_name(field)[2:]]
    else:
        args = [option_name(field), as_text(value)]
    context = command.make_context("run", [*args, "data"])
    config = RunConfig(**config_values(context.params | {"inputs": None}))
    assert getattr(config, field) == value


@pytest.mark.parametrize("field", FIELDS)
def test_a_field_set_in_the_environment(field: str, monkeypatch: pytest.MonkeyPatch) -> None:
    value = sample_value(field)
    monkeypatch.setenv(env_name(field), as_text(value))
    assert getattr(RunConfig(), field) == value


@pytest.mark.parametrize("field", FIELDS)
def test_a_field_set_as_a_deployment_parameter(field: str) -> None:
    value = sample_value(field)
    schema = translate_news.parameters.model_dump()
    assert field in json.dumps(schema["definitions"]), f"{field} not in the flow's parameters"
    parameters = json.loads(json.dumps({"config": {field: value}}, default=str))
    config = translate_news.validate_parameters(parameters)["config"]
    assert getattr(config, field) == value


# Flags of other programs that the source names: sacrebleu's, the eval scripts', and the
# pattern `--field-name` of the options' own docstring.
OTHER_PROGRAMS_FLAGS = {"--confidence", "--derive", "--markers", "--field-name", "--no-"}


def test_every_option_the_code_tells_users_about_exists() -> None:
    """Error messages and help name options: each must be an option of some command."""
    root = Path(__file__).resolve().parents[1]
    options = {
        name
        for command in typer.main.get_command(app).commands.values()  # type: ignore[attr-defined]
        for param in command.params
        for name in [*param.opts, *param.secondary_opts]
    } | {"--version"}
    named = {
        (match.group(0), str(path.relative_to(root)))
        for layer in ("newslib", "tasks", "flows", "newsflow")
        for path in (root / layer).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        for match in re.finditer(r"(?<![\w-])--[a-z][a-z0-9-]*", node.value)
    }
    unknown = sorted((flag, where) for flag, where in named if flag not in options)
    assert [u for u in unknown if u[0] not in OTHER_PROGRAMS_FLAGS] == []
