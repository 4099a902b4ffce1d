"""The README documents exactly the columns and types the writer produces."""

from __future__ import annotations

from newslib.output.schema import SCHEMAS, markdown
from newslib.output.write import to_table
from tests.conftest import REPO_ROOT


def test_readme_schema_section_is_current() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- schema:start -->\n")[1].split("<!-- schema:end -->")[0]
    assert section.strip() == markdown().strip(), (
        "run: python -m newslib.output.schema, paste in README"
    )


def test_every_column_has_a_meaning_and_rows_cast_to_the_schema() -> None:
    for name, schema in SCHEMAS.items():
        for field in schema():
            assert (field.metadata or {}).get(b"description"), f"{name}.{field.name} undocumented"
        table = to_table(name, [{}])
        assert table.schema.equals(schema()) and table.num_rows == 1
