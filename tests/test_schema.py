"""The JSON Schema: generated from the models, committed, and helpful in an editor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from briefgen.brief.model import BLOCK_TYPES, MAX_ROWS, json_schema, json_schema_text
from briefgen.cli import app
from briefgen.labels import LABEL_KEYS

runner = CliRunner()
COMMITTED = Path(__file__).resolve().parent.parent / "schema" / "brief.schema.json"


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for owner in (schema, *schema["$defs"].values()):
        for name, prop in owner.get("properties", {}).items():
            yield f"{owner.get('title', 'Brief')}.{name}", prop


def test_the_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == json_schema_text(), (
        "schema/brief.schema.json is out of date; regenerate it with "
        "`briefgen schema > schema/brief.schema.json`")


def test_briefgen_schema_prints_the_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.output == json_schema_text()


def test_the_schema_names_its_dialect_and_title() -> None:
    schema = json.loads(json_schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "briefgen brief"
    assert schema["required"] == ["meta", "thesis"]


def test_every_property_has_a_description() -> None:
    missing = [name for name, prop in properties(json_schema()) if not prop.get("description")]
    assert missing == []


def test_every_object_refuses_unknown_keys() -> None:
    schema = json_schema()
    open_objects = [name for name, owner in (("Brief", schema), *schema["$defs"].items())
                    if owner.get("additionalProperties") is not False]
    assert open_objects == []


def test_a_block_is_one_of_the_block_types_and_exactly_one() -> None:
    block = json_schema()["$defs"]["Block"]
    assert list(block["properties"]) == list(BLOCK_TYPES)
    assert (block["minProperties"], block["maxProperties"]) == (1, 1)
    assert block["properties"]["table"] == {"$ref": "#/$defs/Table",
                                            "description": "A data table."}


def test_a_bullet_is_text_or_a_bullet_with_sub_bullets() -> None:
    bullets = json_schema()["$defs"]["Block"]["properties"]["bullets"]
    assert bullets["items"]["anyOf"][1] == {"$ref": "#/$defs/BulletItem"}


def test_the_limits_are_in_the_schema() -> None:
    rows = json_schema()["$defs"]["Table"]["properties"]["rows"]
    assert rows["maxItems"] == MAX_ROWS
    assert "2,000" in rows["description"]


def test_label_overrides_complete_to_the_known_label_keys() -> None:
    labels = json_schema()["$defs"]["Meta"]["properties"]["labels"]
    assert list(labels["properties"]) == list(LABEL_KEYS)
    assert labels["properties"]["page"]["description"] == "Default: Page {page} of {pages}"
    assert labels["additionalProperties"] is False
