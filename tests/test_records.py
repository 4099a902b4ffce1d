"""The typed records of the datasets agree with the Parquet schema, and rows are held to them:
an unknown field is always an error, a missing one in every row the flow writes."""

from __future__ import annotations

import types
import typing
from datetime import datetime
from typing import Any

import pyarrow as pa
import pytest

from newslib.output.records import RECORDS, check_rows, new_row
from newslib.output.schema import SCHEMAS
from newslib.output.write import to_table


def python_type(dtype: pa.DataType) -> type:
    if pa.types.is_string(dtype):
        return str
    if pa.types.is_integer(dtype):
        return int
    if pa.types.is_floating(dtype):
        return float
    if pa.types.is_boolean(dtype):
        return bool
    if pa.types.is_timestamp(dtype):
        return datetime
    assert pa.types.is_list(dtype), dtype
    return list


def annotated_type(annotation: Any) -> type:
    """`str | None` -> str, `list[dict[str, Any]]` -> list."""
    if isinstance(annotation, types.UnionType):
        (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
    return typing.get_origin(annotation) or annotation


@pytest.mark.parametrize("dataset", list(SCHEMAS))
def test_each_record_has_the_schema_columns_in_order_with_their_types(dataset: str) -> None:
    hints = typing.get_type_hints(RECORDS[dataset])
    schema = SCHEMAS[dataset]()
    assert list(hints) == schema.names
    for field in schema:
        assert annotated_type(hints[field.name]) is python_type(field.type), field.name


def test_a_misspelt_field_is_an_error_not_a_null_column() -> None:
    row = new_row("articles", article_id="a", source="x.txt", status="ok", cached=False)
    row["sumary"] = "typo"
    with pytest.raises(ValueError, match="sumary"):
        to_table("articles", [row])
    with pytest.raises(TypeError, match="sumary"):
        new_row("articles", sumary="typo")


def test_the_flow_refuses_a_row_missing_a_field() -> None:
    row = new_row("articles", run_id="r", article_id="a", source="x.txt", status="ok")
    check_rows("articles", [row], complete=True)
    del row["summary"]
    with pytest.raises(ValueError, match="summary"):
        check_rows("articles", [row], complete=True)
    assert to_table("articles", [row]).column("summary").null_count == 1  # for readers' tools
