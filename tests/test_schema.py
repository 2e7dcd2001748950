"""The JSON Schema: generated from the models, committed, helpful in an editor, and in agreement
with the loader on what is valid."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from briefgen.brief.loader import load_brief
from briefgen.brief.model import BLOCK_TYPES, MAX_ROWS, json_schema, json_schema_text
from briefgen.cli import app
from briefgen.errors import BriefError, Problem
from briefgen.labels import LABEL_KEYS
from tests import yaml12, yaml_ls
from tests.conftest import FIXTURES, SAMPLE
from tests.yaml_ls import YamlLanguageServer

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
    assert list(block["properties"]) == [*BLOCK_TYPES, "only"]
    assert block["oneOf"] == [{"required": [kind]} for kind in BLOCK_TYPES]
    assert (block["minProperties"], block["maxProperties"]) == (1, 2)
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


# One definition of what is valid: the schema, as an editor applies it, agrees with the loader.

DOCS = Path(__file__).resolve().parent.parent / "docs" / "brief-format.md"
HEAD = "meta:\n  title: T\n  date: 2026-04-15\nthesis:\n  headline: H\n"
SECTION = HEAD + "sections:\n  - title: S\n    blocks:\n"


def _docs_yaml() -> list[tuple[str, str]]:
    """Every YAML example of the brief format's page, as a brief: a fragment is put where it
    belongs in a small brief around it."""
    found = []
    for n, block in enumerate(re.findall(r"```yaml\n(.*?)```", DOCS.read_text(), re.S), 1):
        first = block.lstrip().split(":", 1)[0]
        if "meta:" in block and "thesis:" in block:
            text = block
        elif first == "meta":
            text = block + "  title: T\n  date: 2026-04\nthesis:\n  headline: H\n"
        elif first == "blocks":
            text = HEAD + "sections:\n  - title: S\n" + _indented(block, 4)
        elif first.startswith("- "):
            text = SECTION + _indented(block, 6)
        elif first == "text":
            text = SECTION + _indented("- " + block, 6)
        else:
            text = HEAD + _indented(block, 2)
        found.append((f"docs-{n}", text))
    return found


def _indented(block: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line.strip() else line
                   for line in block.splitlines(keepends=True))


# Forms the page describes in words, beyond its examples.
FORMS = [
    ("scalars-as-text", HEAD.replace("title: T", "title: Yes").replace("headline: H",
     "headline: 12:30") + "  points: [2026-04, on, 1e3, true, 0x1F, 010, 1.50]\n"
     "  summary: ~\n"),
    ("confidence", HEAD + "predictions:\n" + "".join(
        f"  - {{statement: s, confidence: {c}}}\n" for c in
        ["0.6", "'0.6'", "60%", "60 %", "'100%'", "0", "1", "1.0", "Medium", "HIGH", "low", "~",
         "1e-1", ".5"])),
    ("levels", HEAD + "risks:\n  - {title: r, likelihood: High, impact: LOW}\n"
     "  - {title: r, likelihood: medium, impact: ' high '}\n  - {title: r, likelihood:}\n"),
    ("dates", HEAD.replace("2026-04-15", "'2026-04'") + "sources:\n  - {title: s, date: 2026-04}\n"
     "  - {title: s, date: \"2026-04-15\"}\n"),
    ("recipients", HEAD.replace("  date:", "  to: CFO\n  date:")),
    ("numbers-in-charts", SECTION + "      - chart: {type: bar, categories: [a, b, c, d, e], "
     "series: [{name: 2026, values: [1.5, 010, 0x1F, '2.5', -3]}]}\n"),
    ("cells", SECTION + "      - table: {columns: [A, B, C, D], rows: [[12.50, 010, ~, true]]}\n"),
    ("version", "brief: 1.0\n" + HEAD),
    ("version-in-quotes", "brief: '1'\n" + HEAD),
]

# Forms both refuse, each for a reason JSON Schema can say.
REFUSED = [
    ("confidence-above-1", HEAD + "predictions:\n  - {statement: s, confidence: 1.5}\n"),
    ("confidence-a-word", HEAD + "predictions:\n  - {statement: s, confidence: sure}\n"),
    ("confidence-above-100%", HEAD + "predictions:\n  - {statement: s, confidence: 150%}\n"),
    ("level", HEAD + "risks:\n  - {title: r, likelihood: extreme}\n"),
    ("chart-type", SECTION + "      - chart: {type: barchart, categories: [a], "
     "series: [{name: s, values: [1]}]}\n"),
    ("chart-value-with-unit", SECTION + "      - chart: {type: bar, categories: [a, b], "
     "series: [{name: s, values: [1, 2%]}]}\n"),
    ("chart-value-too-large", SECTION + "      - chart: {type: bar, categories: [a], "
     "series: [{name: s, values: [1e16]}]}\n"),
    ("chart-value-true", SECTION + "      - chart: {type: bar, categories: [a], "
     "series: [{name: s, values: [true]}]}\n"),
    ("pie-two-series", SECTION + "      - chart: {type: pie, categories: [a], "
     "series: [{name: s, values: [1]}, {name: t, values: [2]}]}\n"),
    ("pie-negative", SECTION + "      - chart: {type: pie, categories: [a, b], "
     "series: [{name: s, values: [1, -2]}]}\n"),
    ("date-month-13", HEAD.replace("2026-04-15", "2026-13-01")),
    ("date-dotted", HEAD.replace("2026-04-15", "15.04.2026")),
    ("version", "brief: 2\n" + HEAD),
    ("unknown-key", HEAD.replace("  date:", "  autor: x\n  date:")),
    ("missing-key", "meta:\n  title: T\nthesis:\n  headline: H\n"),
    ("empty-title", HEAD.replace("title: T", "title: ''")),
    ("language", HEAD.replace("  date:", "  language: e\n  date:")),
    ("two-block-keys", SECTION + "      - text: a\n        bullets: [b]\n"),
    ("empty-block", SECTION + "      - text:\n"),
    ("unknown-block", SECTION + "      - bulets: [a]\n"),
    ("image-outside", SECTION + "      - image: {path: ../x.png, alt: a}\n"),
    ("image-absolute", SECTION + "      - image: {path: /tmp/x.png, alt: a}\n"),
    ("image-backslash", SECTION + "      - image: {path: 'images\\x.png', alt: a}\n"),
    ("no-blocks", HEAD + "sections:\n  - title: S\n    blocks: []\n"),
    ("table-without-rows", SECTION + "      - table: {columns: [A], rows: []}\n"),
    ("label-key", HEAD.replace("  date:", "  labels: {bottom_lin: x}\n  date:")),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the starter's image, which the docs' complete example shows."""
    from briefgen.starter import IMAGE_PATH, example_png

    made = tmp_path_factory.mktemp("briefs")
    (made / IMAGE_PATH).parent.mkdir(parents=True)
    (made / IMAGE_PATH).write_bytes(example_png())
    return made


def valid_briefs() -> list[tuple[str, str]]:
    from briefgen.starter import starter_text

    files = [*sorted(FIXTURES.glob("*.yaml")), SAMPLE]
    return [*((str(f), f.read_text(encoding="utf-8")) for f in files),
            ("starter", starter_text()), *_docs_yaml(), *FORMS]


def loader_problems(folder: Path, name: str, text: str) -> list[Problem]:
    """What the loader finds; a fixture is read where it is, beside its images."""
    path = Path(name) if name.endswith(".yaml") else folder / "brief.yaml"
    if path.parent == folder:
        path.write_text(text, encoding="utf-8")
    try:
        load_brief(path, display="brief.yaml")
    except BriefError as exc:
        return list(exc.problems)
    return []


def schema_errors(text: str) -> list[str]:
    validator = Draft202012Validator(json_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(yaml12.load(text))]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json_schema())


def broken_on_purpose(text: str) -> bool:
    """The page's example of the errors briefgen reports, with its misspelt `autor`."""
    return "  autor:" in text


def _ids(cases: list[tuple[str, str]]) -> list[str]:
    return [Path(name).name for name, _ in cases]


@pytest.mark.parametrize(("name", "text"), valid_briefs(), ids=_ids(valid_briefs()))
def test_every_valid_brief_and_form_passes_the_loader_and_the_schema(
        folder: Path, name: str, text: str) -> None:
    if broken_on_purpose(text):
        assert loader_problems(folder, name, text) and schema_errors(text)
        return
    assert loader_problems(folder, name, text) == []
    assert schema_errors(text) == []


@pytest.mark.parametrize(("name", "text"), REFUSED, ids=_ids(REFUSED))
def test_an_invalid_form_fails_the_loader_and_the_schema(folder: Path, name: str,
                                                        text: str) -> None:
    assert loader_problems(folder, name, text)
    assert schema_errors(text)


@pytest.fixture(scope="module")
def editor() -> Iterator[YamlLanguageServer]:
    if not yaml_ls.available():
        pytest.skip("yaml-language-server is not installed (npm install -g yaml-language-server)")
    with YamlLanguageServer(COMMITTED) as server:
        yield server


def test_the_editor_and_validate_agree_on_every_brief_and_form(
        editor: YamlLanguageServer, folder: Path) -> None:
    cases = [*valid_briefs(), *REFUSED]
    # The committed schema is given to the server for every document; a file's own
    # `# yaml-language-server: $schema=` line would point elsewhere from where it is sent.
    every = editor.diagnose([re.sub(r"(?m)^# yaml-language-server:.*$", "#", text)
                             for _, text in cases])
    disagree = []
    for (name, text), shown in zip(cases, every, strict=True):
        problems = loader_problems(folder, name, text)
        # Both point at the same line, or the editor at the key that owns a missing one.
        lines = {n for p in problems for n in (p.line, p.line - 1)}
        elsewhere = not lines & {d["range"]["start"]["line"] + 1 for d in shown}
        if bool(problems) != bool(shown) or (problems and elsewhere
                                             and not broken_on_purpose(text)):
            disagree.append((Path(name).name, [str(p) for p in problems],
                             [yaml_ls.describe(d) for d in shown]))
    assert disagree == []
