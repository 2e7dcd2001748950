"""The brief format as pydantic models: every key, its type, its rules and its description."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import CoreSchema

from briefgen.brief.markup import RichText, parse, plain
from briefgen.labels import CATALOGUE, LABEL_KEYS, placeholders

# Bounds on what one brief may hold, so a hostile or runaway file cannot exhaust memory or time.
MAX_TEXT_CHARS = 100_000  # per text field
MAX_SECTIONS = 500
MAX_BLOCKS = 1_000  # per section
MAX_ROWS = 2_000  # per table
MAX_COLUMNS = 40  # per table; the memo cannot give 80 columns their padding on a page
# Bounds on a whole brief: each list above may be full, but not all of them at once. A build
# takes about 1-2 ms per block, list item or table cell and ~15 s per million characters.
MAX_TOTAL_ITEMS = 10_000  # blocks, list items, table cells and chart values together
MAX_TOTAL_CHARS = 1_000_000  # characters of text together


class RuleViolation(ValueError):
    """A rule beyond the shape, located at `subpath` below the model that raised it."""

    def __init__(self, message: str, hint: str = "", subpath: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.subpath = subpath


class RuleViolations(ValueError):
    """Several rule violations found by one check, all reported rather than just the first."""

    def __init__(self, violations: list[RuleViolation]) -> None:
        super().__init__("; ".join(v.message for v in violations))
        self.violations = tuple(violations)


def raise_all(violations: list[RuleViolation]) -> None:
    """Raise the violations found, if any."""
    if len(violations) == 1:
        raise violations[0]
    if violations:
        raise RuleViolations(violations)


def _check_length(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise RuleViolation(f"text of {len(text):,} characters is longer than the "
                            f"{MAX_TEXT_CHARS:,} allowed", "shorten it, or move material elsewhere")
    return text


def _to_rich(value: Any) -> Any:
    if isinstance(value, RichText):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # only from Python callers; YAML gives text as typed
    if not isinstance(value, str):
        raise RuleViolation(f"expected text, got {describe(value)}",
                            "write the text after the key, in quotes if it has special characters")
    return parse(_check_length(value))


def _to_plain(value: Any) -> Any:
    if isinstance(value, str):
        return plain(_check_length(value))
    raise RuleViolation(f"expected text, got {describe(value)}", "write it as plain text")


def describe(value: Any) -> str:
    """Name a YAML value's kind for an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


_rich_schema = WithJsonSchema({"type": "string", "maxLength": MAX_TEXT_CHARS})
_rich_serializer = PlainSerializer(lambda t: t.source, return_type=str)

Text = Annotated[RichText, BeforeValidator(_to_rich), _rich_schema, _rich_serializer]
"""A text field: plain UTF-8 with the inline markup **bold**, *italic*, `code`, [label](url)."""


def _not_empty(value: RichText) -> RichText:
    if not value:
        raise RuleViolation("the text is empty", "write the text; spaces and control characters "
                            "alone are dropped, which leaves nothing to show")
    return value


RequiredText = Annotated[RichText, AfterValidator(_not_empty), BeforeValidator(_to_rich),
                         _rich_schema, _rich_serializer]
"""A text field that must show something once cleaned: titles, headlines, statements, names."""

Cell = Annotated[
    RichText,
    BeforeValidator(_to_rich),
    BeforeValidator(lambda v: "" if v is None else v),  # before validators run last to first
    # Editors read `12.50` as a number; briefgen keeps it as the text typed.
    WithJsonSchema({"type": ["string", "number", "null"], "maxLength": MAX_TEXT_CHARS}),
    _rich_serializer,
]
PlainText = Annotated[str, BeforeValidator(_to_plain), WithJsonSchema(
    {"type": "string", "maxLength": MAX_TEXT_CHARS})]

_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else ""
    match = _DATE.match(text)
    if not match:
        raise RuleViolation(f"{describe(value)} is not a date",
                            "write an ISO date as YYYY-MM-DD or YYYY-MM, e.g. 2026-04-15")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year or 1, month or 1, day or 1)
    except ValueError:
        raise RuleViolation(f"'{text}' is not a real date",
                            "check the month (01-12) and the day of the month") from None
    return text


IsoDate = Annotated[
    str,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}),
]
Level = Annotated[Literal["low", "medium", "high"],
                  BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)]
LEVEL_VALUES: dict[str, float] = {"low": 0.25, "medium": 0.5, "high": 0.8}


def _to_confidence(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and value.strip().lower() in LEVEL_VALUES:
        return value.strip().lower()
    else:
        try:
            number = float(str(value).strip().rstrip("%")) / (100 if "%" in str(value) else 1)
        except ValueError:
            raise RuleViolation(f"{describe(value)} is not a confidence",
                                "write a number from 0 to 1 (e.g. 0.6) or low, medium or high"
                                ) from None
    if not 0 <= number <= 1:
        raise RuleViolation(f"confidence {value} is outside 0..1",
                            "write a number from 0 to 1 (e.g. 0.6) or low, medium or high")
    return number


Confidence = Annotated[
    float | Level,
    BeforeValidator(_to_confidence),
    WithJsonSchema({"oneOf": [{"type": "number", "minimum": 0, "maximum": 1},
                              {"enum": ["low", "medium", "high"]}]}),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")


def _label_problem(key: str, text: str) -> RuleViolation | None:
    allowed = placeholders(CATALOGUE["en"][key])
    takes = (" and ".join(f"{{{name}}}" for name in sorted(allowed)) if allowed else "")
    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        return RuleViolation(f"label '{key}' has a '{{' or '}}' that is not part of a placeholder",
                             "remove the stray braces"
                             + (f"; this label may use {takes}" if takes else ""), (key,))
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - allowed)
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        return RuleViolation(f"label '{key}' uses {names}, which this label does not provide",
                             f"use only {takes}" if takes else
                             "remove the braces; this label takes no placeholders", (key,))
    return None


_labels_schema = WithJsonSchema({
    "type": "object",
    "properties": {key: {"type": "string", "description": f"Default: {CATALOGUE['en'][key]}"}
                   for key in LABEL_KEYS},
    "additionalProperties": False,
})
_to_schema = WithJsonSchema({"anyOf": [{"type": "string"},
                                       {"type": "array", "items": {"type": "string"}}]})


class Meta(Model):
    title: RequiredText = Field(
        description="Title of the brief, on the title slide and the memo subject.")
    subtitle: Text | None = Field(None, description="Subtitle under the title.")
    date: IsoDate = Field(description="Date of the brief, YYYY-MM-DD or YYYY-MM.")
    author: Text | None = Field(None, description="Who wrote the analysis.")
    from_: Text | None = Field(None, alias="from", description="Memo sender; default: author.")
    to: Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
                  _to_schema] = Field(
        default_factory=list, description="Memo recipients: a string or a list of strings.")
    classification: PlainText | None = Field(
        None, description="Classification such as Internal; on every slide and memo page.")
    language: PlainText = Field("en", description="BCP-47 language tag; default en.")
    tags: list[PlainText] = Field(default_factory=list, description="Keywords for file metadata.")
    labels: Annotated[dict[str, PlainText], _labels_schema] = Field(
        default_factory=dict, description="Overrides of fixed labels the outputs print, by key; "
        "a {placeholder} must be one the default label has.")

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value):
            raise RuleViolation(f"'{value}' is not a BCP-47 language tag",
                                "write a tag such as en, de, zh-CN or pt-BR")
        return value

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, value: dict[str, str]) -> dict[str, str]:
        found = []
        for key, text in value.items():
            if key not in LABEL_KEYS:
                found.append(RuleViolation(f"unknown label '{key}'",
                                           suggest(key, LABEL_KEYS, "labels"), (key,)))
            elif (problem := _label_problem(key, text)) is not None:
                found.append(problem)
        raise_all(found)
        return value

    @property
    def sender(self) -> RichText | None:
        return self.from_ or self.author


class Thesis(Model):
    headline: RequiredText = Field(description="The one-sentence bottom line.")
    summary: Text | None = Field(None, description="One or more paragraphs.")
    points: list[Text] = Field(default_factory=list, description="Key points.")


class BulletItem(Model):
    text: Text = Field(description="The bullet's text.")
    sub: list[Text] = Field(default_factory=list, description="Sub-bullets, one level.")


def _bullet(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class _TextOrItem:
    """JSON Schema of a list item that may be written as plain text or as its full mapping."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "maxLength": MAX_TEXT_CHARS}, handler(core)]}


Bullet = Annotated[BulletItem, BeforeValidator(_bullet), _TextOrItem()]


class Table(Model):
    title: Text | None = Field(None, description="Title above the table.")
    columns: list[Text] = Field(min_length=1, max_length=MAX_COLUMNS,
                                description=f"Header row; at most {MAX_COLUMNS} columns.")
    rows: list[Annotated[list[Cell], Field(max_length=MAX_COLUMNS)]] = Field(
        min_length=1, max_length=MAX_ROWS,
        description=f"Rows, each as long as columns; at most {MAX_ROWS:,} rows.")
    takeaway: Text | None = Field(None, description="The 'so what' under the table.")
    source: Text | None = Field(None, description="Where the data comes from.")

    @model_validator(mode="after")
    def _rows_match_columns(self) -> Table:
        raise_all([RuleViolation(
            f"row has {_count(len(row), 'cell')} but the table has "
            f"{_count(len(self.columns), 'column')}",
            "give every row one cell per column; use \"\" for an empty cell", ("rows", n))
            for n, row in enumerate(self.rows) if len(row) != len(self.columns)])
        return self


# Chart values beyond these magnitudes overflow or underflow the axis arithmetic of the memo's
# charts (reportlab raises on 1e308 and on 1e-307 next to 0) and could not be read anyway.
MAX_CHART_VALUE = 1e15
MIN_CHART_VALUE = 1e-9


class Series(Model):
    name: Text = Field(description="Series name, shown in the legend.")
    values: list[Annotated[float, Field(allow_inf_nan=False)]] = Field(
        description="One number per category.")

    @field_validator("values")
    @classmethod
    def _chartable(cls, values: list[float]) -> list[float]:
        hint = "change the unit so the values read as ordinary numbers, e.g. USD bn"
        raise_all([RuleViolation(f"{value:g} is too large to chart", hint, (n,))
                   if abs(value) > MAX_CHART_VALUE else
                   RuleViolation(f"{value:g} is too small to chart", hint + ", or write 0", (n,))
                   for n, value in enumerate(values)
                   if abs(value) > MAX_CHART_VALUE or 0 < abs(value) < MIN_CHART_VALUE])
        return values


class Chart(Model):
    title: Text | None = Field(None, description="Chart title.")
    type: Literal["bar", "column", "line", "pie"] = Field(description="bar | column | line | pie")
    categories: list[Text] = Field(min_length=1, description="Category labels.")
    series: list[Series] = Field(min_length=1, description="Data series.")
    unit: PlainText | None = Field(None, description="Unit of the values, e.g. % or USD bn.")
    takeaway: Text | None = Field(None, description="The 'so what' under the chart.")
    source: Text | None = Field(None, description="Where the data comes from.")

    @model_validator(mode="after")
    def _series_match_categories(self) -> Chart:
        found = []
        if self.type == "pie" and len(self.series) != 1:
            found.append(RuleViolation(f"a pie chart takes one series, not {len(self.series)}",
                                       "keep one series, or use type: column", ("series",)))
        found.extend(RuleViolation(
            f"series has {_count(len(series.values), 'value')} but the chart has "
            f"{_count(len(self.categories), 'category', 'categories')}",
            "give one value per category", ("series", n, "values"))
            for n, series in enumerate(self.series) if len(series.values) != len(self.categories))
        if self.type == "pie" and any(v < 0 for v in self.series[0].values):
            found.append(RuleViolation("a pie chart cannot show negative values",
                                       "use type: bar for data with negative values",
                                       ("series", 0, "values")))
        raise_all(found)
        return self


class Quote(Model):
    text: RequiredText = Field(description="The quotation.")
    by: Text | None = Field(None, description="Who said it.")


class Callout(Model):
    label: Text | None = Field(None, description="Short label of the band, e.g. Note.")
    text: RequiredText = Field(description="The callout's text.")


class Player(Model):
    name: RequiredText = Field(description="Person's name.")
    role: Text | None = Field(None, description="Their role.")
    org: Text | None = Field(None, description="Their organisation.")
    note: Text | None = Field(None, description="Why they matter.")


class Image(Model):
    path: PlainText = Field(description="PNG or JPEG file, relative to the brief's folder and "
                            "inside it: no '..', no absolute path, no symlink out.")
    alt: Text = Field(description="Text alternative, required.")
    caption: Text | None = Field(None, description="Caption under the image.")

    @field_validator("path")
    @classmethod
    def _inside_brief_folder(cls, value: str, info: ValidationInfo) -> str:
        from briefgen.brief.images import check_image_path

        base = (info.context or {}).get("base")
        if base is not None:
            check_image_path(value, base)
        return value


BLOCK_TYPES = ("text", "bullets", "numbered", "table", "chart", "quote", "callout", "players",
               "image")


def _one_key_schema(schema: dict[str, Any]) -> None:
    # In the file a block is one key with content, never null, so editors should demand both.
    for prop in schema["properties"].values():
        prop.update(next(o for o in prop.pop("anyOf") if o != {"type": "null"}))
        prop.pop("default", None)
    schema.update(minProperties=1, maxProperties=1)


class Block(Model):
    """One content block; exactly one of its keys is given."""

    model_config = ConfigDict(json_schema_extra=_one_key_schema)

    text: Text | None = Field(None, description="Paragraphs of text.")
    bullets: list[Bullet] | None = Field(None, description="Bullets, one nesting level.")
    numbered: list[Text] | None = Field(None, description="A numbered list.")
    table: Table | None = Field(None, description="A data table.")
    chart: Chart | None = Field(None, description="A chart drawn from data.")
    quote: Quote | None = Field(None, description="A quotation.")
    callout: Callout | None = Field(None, description="A highlighted band of text.")
    players: list[Player] | None = Field(None, description="Key people.")
    image: Image | None = Field(None, description="A PNG or JPEG image.")

    @model_validator(mode="before")
    @classmethod
    def _exactly_one_key(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise RuleViolation(f"a block must be a mapping with one key, got {describe(value)}",
                                "write it as '- text: ...' or '- bullets: [...]'")
        keys = [k for k in value if k in BLOCK_TYPES]
        if len(value) == len(keys) and len(keys) != 1:
            if not keys:
                raise RuleViolation("a block needs one key",
                                    "give one of: " + ", ".join(BLOCK_TYPES))
            raise RuleViolation(
                "a block has exactly one key, found " + " and ".join(f"'{k}'" for k in keys),
                "split it into separate list items, each starting with '- '")
        if len(keys) == 1 and value[keys[0]] is None:
            raise RuleViolation(f"the {keys[0]} block is empty",
                                f"write its content after '{keys[0]}:'", (keys[0],))
        return value

    @property
    def kind(self) -> str:
        return next(k for k in BLOCK_TYPES if getattr(self, k) is not None)

    @property
    def content(self) -> Any:
        return getattr(self, self.kind)


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return slug or "section"


class Section(Model):
    title: RequiredText = Field(description="Section title.")
    id: PlainText | None = Field(None, description="Slug; default derived from the title.")
    lead: Text | None = Field(None, description="One-sentence message of the section.")
    notes: Text | None = Field(None, description="Speaker notes for this section's slides.")
    blocks: list[Block] = Field(
        min_length=1, max_length=MAX_BLOCKS,
        description=f"Content blocks in order, each with exactly one key; at most {MAX_BLOCKS:,}.")

    @property
    def slug(self) -> str:
        return self.id or slugify(self.title.plain)


class Risk(Model):
    title: RequiredText = Field(description="The risk in a few words.")
    detail: Text | None = Field(None, description="What could happen and why.")
    likelihood: Level | None = Field(None, description="low | medium | high")
    impact: Level | None = Field(None, description="low | medium | high")


class Verdict(Model):
    headline: RequiredText = Field(description="The verdict in one sentence.")
    summary: Text | None = Field(None, description="The reasoning.")


class Prediction(Model):
    statement: RequiredText = Field(description="What will happen.")
    horizon: PlainText | None = Field(None, description="When: '12 months', '2027-Q2', 'by 2028'.")
    confidence: Confidence | None = Field(None, description="0..1, or low | medium | high.")
    signal: Text | None = Field(None, description="What would show it came true.")


class Conclusion(Model):
    title: Text | None = Field(None, description="Heading; default 'Conclusion'.")
    text: Text | None = Field(None, description="The closing judgement.")


class Source(Model):
    title: RequiredText = Field(description="Title of the work.")
    url: PlainText | None = Field(None, description="Address; http(s) links are clickable.")
    publisher: Text | None = Field(None, description="Who published it.")
    date: IsoDate | None = Field(None, description="Publication date.")


class Brief(Model):
    """A brief: the argument of an analyst piece, in data."""

    brief: Literal[1] = Field(1, description="Format version; optional, default 1.")
    meta: Meta = Field(description="Title, date and who the brief is from and for.")
    thesis: Thesis = Field(description="The bottom line and its key points.")
    sections: list[Section] = Field(
        default_factory=list, max_length=MAX_SECTIONS,
        description=f"Sections in reading order; at most {MAX_SECTIONS}.")
    risks: list[Risk] = Field(default_factory=list, description="Risks to the thesis.")
    verdict: Verdict | None = Field(None, description="The analyst's call.")
    predictions: list[Prediction] = Field(default_factory=list, description="Dated predictions.")
    conclusion: Conclusion | None = Field(None, description="Closing section.")
    sources: list[Source] = Field(default_factory=list, description="Further reading.")

    @field_validator("brief", mode="before")
    @classmethod
    def _version(cls, value: Any) -> Any:
        if str(value).strip() != "1":
            raise RuleViolation(f"brief format version {value} is not supported",
                                "this briefgen reads version 1; write 'brief: 1' or leave it out")
        return 1

    # A field validator, not a model one, so it runs even when meta or thesis has problems.
    @field_validator("sections")
    @classmethod
    def _unique_section_ids(cls, sections: list[Section]) -> list[Section]:
        seen: dict[str, int] = {}
        found = []
        for n, section in enumerate(sections):
            if section.slug in seen:
                found.append(RuleViolation(
                    f"section id '{section.slug}' is used by sections[{seen[section.slug]}] too",
                    "give each section a unique 'id:' or title", (n, "id")))
            seen.setdefault(section.slug, n)
        raise_all(found)
        return sections

    @model_validator(mode="after")
    def _within_budget(self) -> Brief:
        items, chars = _size(self)
        hint = "split it into several briefs"
        raise_all([RuleViolation(f"the brief holds {items:,} blocks, list items, table cells and "
                                 f"chart values together; at most {MAX_TOTAL_ITEMS:,} are "
                                 "allowed", hint)] if items > MAX_TOTAL_ITEMS else [])
        raise_all([RuleViolation(f"the brief holds {chars:,} characters of text; at most "
                                 f"{MAX_TOTAL_CHARS:,} are allowed", hint)]
                  if chars > MAX_TOTAL_CHARS else [])
        return self


def _size(value: Any) -> tuple[int, int]:
    """(items, characters) a part of a brief holds, by the measure of MAX_TOTAL_ITEMS/_CHARS."""
    if isinstance(value, RichText):
        return 0, len(value.source)
    if isinstance(value, str):
        return 0, len(value)
    if isinstance(value, list):
        sizes = [_size(item) for item in value]
        return len(value) + sum(i for i, _ in sizes), sum(c for _, c in sizes)
    if isinstance(value, BaseModel):
        sizes = [_size(getattr(value, name)) for name in type(value).model_fields]
        return sum(i for i, _ in sizes), sum(c for _, c in sizes)
    return 0, 0


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def suggest(word: str, options: Any, what: str = "keys") -> str:
    """A hint naming the nearest valid option, or listing them all."""
    import difflib

    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"valid {what}: " + ", ".join(options)


def json_schema() -> dict[str, Any]:
    """The brief format as a JSON Schema (draft 2020-12), for editors to complete and explain."""
    generated = Brief.model_json_schema(by_alias=True)
    generated.pop("title", None)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "briefgen brief", **generated}


def json_schema_text() -> str:
    """The schema as `briefgen schema` prints it and schema/brief.schema.json holds it."""
    import json

    return json.dumps(json_schema(), indent=2) + "\n"
