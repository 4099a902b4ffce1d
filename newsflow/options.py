"""Command-line options generated from `RunConfig`, so that they can never drift from it.

Each field becomes `--field-name` with the field's description as its help, its default, its
`NEWSFLOW_<FIELD>` variable and, for a field with a fixed set of values, those values as the
option's choices. Options left out are `None`, so that `RunConfig` falls back to the
environment and then to its default, exactly as a deployment parameter left out does.
"""

from __future__ import annotations

import enum
import functools
import inspect
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic.fields import FieldInfo

from newslib.config import RunConfig

ENV_PREFIX = "NEWSFLOW_"


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def _base_type(annotation: Any) -> Any:
    """`X | None` -> X; other annotations as they are."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        kept = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(kept) == 1:
            return kept[0]
    return annotation


@functools.cache
def _choices(field: str, values: tuple[str, ...]) -> type[enum.Enum]:
    """A str Enum of a Literal's values: typer shows them as choices and checks them."""
    name = f"{field.title().replace('_', '')}Choice"
    # The functional Enum API: mypy types it only for literal names.
    return enum.Enum(name, {v: v for v in values}, type=str)  # type: ignore[return-value]


def _option_type(field: str, info: FieldInfo) -> Any:
    base = _base_type(info.annotation)
    if typing.get_origin(base) is typing.Literal:
        return _choices(field, tuple(typing.get_args(base)))
    if base in (str, int, float, bool, Path):
        return base
    raise TypeError(f"RunConfig.{field}: no command-line type for {info.annotation!r}")


def _shown_default(info: FieldInfo) -> str:
    default = info.get_default(call_default_factory=True)
    if default is None:
        return "none"
    if isinstance(default, bool):
        return "on" if default else "off"
    return str(default)


def config_parameter(field: str) -> inspect.Parameter:
    """The typer option of one RunConfig field, as a keyword parameter defaulting to None."""
    info = RunConfig.model_fields[field]
    kind = _option_type(field, info)
    names = [f"{option_name(field)}/--no-{field.replace('_', '-')}"] if kind is bool else []
    option = typer.Option(
        *names,
        help=info.description or "",
        show_default=_shown_default(info),
        # Click reads the variable as pydantic-settings would, and help shows its name.
        envvar=env_name(field),
        show_envvar=True,
    )
    return inspect.Parameter(
        field,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[kind | None, option],
    )


def config_values(options: dict[str, Any]) -> dict[str, Any]:
    """The options that were given, as RunConfig values (choices back to plain strings)."""
    return {
        name: value.value if isinstance(value, enum.Enum) else value
        for name, value in options.items()
        if value is not None
    }


def with_config_options(
    fields: Sequence[str], own: Sequence[inspect.Parameter] = ()
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command function the options of `fields` after its `own` parameters.

    The function is called with keyword arguments: its own, and one per field (None when the
    option was not given).
    """

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> None:
            command(**kwargs)

        parameters = [*own, *(config_parameter(field) for field in fields)]
        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        del wrapper.__wrapped__  # typer must read the new signature, not the wrapped one's
        return wrapper

    return decorate


def own_option(name: str, kind: Any, default: Any, **option: Any) -> inspect.Parameter:
    """A command's own option (or argument, with `argument=True`), as a parameter."""
    make = typer.Argument if option.pop("argument", False) else typer.Option
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[kind, make(**option)],
    )


def markdown() -> str:
    """The README's table of `newsflow run` options (`python -m newsflow.options`)."""
    rows = ["| option | variable | default | what it does |", "|---|---|---|---|"]
    for field, info in RunConfig.model_fields.items():
        if field == "inputs":
            continue
        base = _base_type(info.annotation)
        name = option_name(field)
        if typing.get_origin(base) is typing.Literal:
            name += " " + "\\|".join(typing.get_args(base))
        elif base is bool:
            name += f" / --no-{field.replace('_', '-')}"
        description = (info.description or "").replace("|", "\\|")
        rows.append(
            f"| `{name}` | `{env_name(field)}` | `{_shown_default(info)}` | {description} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown())
