"""The brief format as pydantic models: every key, its type, its rules and its description."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from briefgen.brief.markup import RichText, parse, plain


class RuleViolation(ValueError):
    """A rule beyond the shape, located at `subpath` below the model that raised it."""

    def __init__(self, message: str, hint: str = "", subpath: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.subpath = subpath


def _to_rich(value: Any) -> Any:
    if isinstance(value, RichText):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # only from Python callers; YAML gives text as typed
    if not isinstance(value, str):
        raise RuleViolation(f"expected text, got {describe(value)}",
                            "write the text after the key, in quotes if it has special characters")
    return parse(value)


def _to_plain(value: Any) -> Any:
    if isinstance(value, str):
        return plain(value)
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


_rich_schema = WithJsonSchema({"type": "string"})
_rich_serializer = PlainSerializer(lambda t: t.source, return_type=str)

Text = Annotated[RichText, BeforeValidator(_to_rich), _rich_schema, _rich_serializer]
"""A text field: plain UTF-8 with the inline markup **bold**, *italic*, `code`, [label](url)."""

Cell = Annotated[
    RichText,
    BeforeValidator(lambda v: "" if v is None else v),
    BeforeValidator(_to_rich),
    WithJsonSchema({"type": ["string", "null"]}),
    _rich_serializer,
]
PlainText = Annotated[str, BeforeValidator(_to_plain)]

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
Level = Literal["low", "medium", "high"]
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


class Meta(Model):
    title: Text = Field(description="Title of the brief, on the title slide and the memo subject.")
    subtitle: Text | None = Field(None, description="Subtitle under the title.")
    date: IsoDate = Field(description="Date of the brief, YYYY-MM-DD or YYYY-MM.")
    author: Text | None = Field(None, description="Who wrote the analysis.")
    from_: Text | None = Field(None, alias="from", description="Memo sender; default: author.")
    to: Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(
        default_factory=list, description="Memo recipients: a string or a list of strings.",
        json_schema_extra={"anyOf": [{"type": "string"},
                                     {"type": "array", "items": {"type": "string"}}]})
    classification: PlainText | None = Field(
        None, description="Classification such as Internal; on every slide and memo page.")
    language: PlainText = Field("en", description="BCP-47 language tag; default en.")
    tags: list[PlainText] = Field(default_factory=list, description="Keywords for file metadata.")
    labels: dict[str, PlainText] = Field(
        default_factory=dict, description="Overrides of fixed labels the outputs print, by key.")

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
        from briefgen.labels import LABEL_KEYS

        for key in value:
            if key not in LABEL_KEYS:
                raise RuleViolation(f"unknown label '{key}'", suggest(key, LABEL_KEYS), (key,))
        return value

    @property
    def sender(self) -> RichText | None:
        return self.from_ or self.author


class Thesis(Model):
    headline: Text = Field(description="The one-sentence bottom line.")
    summary: Text | None = Field(None, description="One or more paragraphs.")
    points: list[Text] = Field(default_factory=list, description="Key points.")


class BulletItem(Model):
    text: Text = Field(description="The bullet's text.")
    sub: list[Text] = Field(default_factory=list, description="Sub-bullets, one level.")


def _bullet(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


Bullet = Annotated[BulletItem, BeforeValidator(_bullet),
                   WithJsonSchema({"anyOf": [{"type": "string"},
                                             {"$ref": "#/$defs/BulletItem"}]})]


class Table(Model):
    title: Text | None = Field(None, description="Title above the table.")
    columns: list[Text] = Field(min_length=1, description="Header row.")
    rows: list[list[Cell]] = Field(min_length=1, description="Rows, each as long as columns.")
    takeaway: Text | None = Field(None, description="The 'so what' under the table.")
    source: Text | None = Field(None, description="Where the data comes from.")

    @model_validator(mode="after")
    def _rows_match_columns(self) -> Table:
        for n, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise RuleViolation(
                    f"row has {len(row)} cells but the table has {len(self.columns)} columns",
                    "give every row one cell per column; use \"\" for an empty cell", ("rows", n))
        return self


class Series(Model):
    name: Text = Field(description="Series name, shown in the legend.")
    values: list[Annotated[float, Field(allow_inf_nan=False)]] = Field(
        description="One number per category.")


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
        if self.type == "pie" and len(self.series) != 1:
            raise RuleViolation(f"a pie chart takes one series, not {len(self.series)}",
                                "keep one series, or use type: column", ("series",))
        for n, series in enumerate(self.series):
            if len(series.values) != len(self.categories):
                raise RuleViolation(
                    f"series has {len(series.values)} values but the chart has "
                    f"{len(self.categories)} categories",
                    "give one value per category", ("series", n, "values"))
        if self.type == "pie" and any(v < 0 for v in self.series[0].values):
            raise RuleViolation("a pie chart cannot show negative values",
                                "use type: bar for data with negative values",
                                ("series", 0, "values"))
        return self


class Quote(Model):
    text: Text = Field(description="The quotation.")
    by: Text | None = Field(None, description="Who said it.")


class Callout(Model):
    label: Text | None = Field(None, description="Short label of the band, e.g. Note.")
    text: Text = Field(description="The callout's text.")


class Player(Model):
    name: Text = Field(description="Person's name.")
    role: Text | None = Field(None, description="Their role.")
    org: Text | None = Field(None, description="Their organisation.")
    note: Text | None = Field(None, description="Why they matter.")


class Image(Model):
    path: PlainText = Field(description="PNG or JPEG, relative to the brief's folder.")
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


class Block(Model):
    """One content block; exactly one of its keys is given."""

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
                raise RuleViolation("a block needs one key", "one of: " + ", ".join(BLOCK_TYPES))
            raise RuleViolation(
                "a block has exactly one key, found " + " and ".join(f"'{k}'" for k in keys),
                "split it into separate list items, each starting with '- '")
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
    title: Text = Field(description="Section title.")
    id: PlainText | None = Field(None, description="Slug; default derived from the title.")
    lead: Text | None = Field(None, description="One-sentence message of the section.")
    notes: Text | None = Field(None, description="Speaker notes for this section's slides.")
    blocks: list[Block] = Field(min_length=1, description="Content blocks, in order.")

    @property
    def slug(self) -> str:
        return self.id or slugify(self.title.plain)


class Risk(Model):
    title: Text = Field(description="The risk in a few words.")
    detail: Text | None = Field(None, description="What could happen and why.")
    likelihood: Level | None = Field(None, description="low | medium | high")
    impact: Level | None = Field(None, description="low | medium | high")


class Verdict(Model):
    headline: Text = Field(description="The verdict in one sentence.")
    summary: Text | None = Field(None, description="The reasoning.")


class Prediction(Model):
    statement: Text = Field(description="What will happen.")
    horizon: PlainText | None = Field(None, description="When: '12 months', '2027-Q2', 'by 2028'.")
    confidence: Confidence | None = Field(None, description="0..1, or low | medium | high.")
    signal: Text | None = Field(None, description="What would show it came true.")


class Conclusion(Model):
    title: Text | None = Field(None, description="Heading; default 'Conclusion'.")
    text: Text | None = Field(None, description="The closing judgement.")


class Source(Model):
    title: Text = Field(description="Title of the work.")
    url: PlainText | None = Field(None, description="Address; http(s) links are clickable.")
    publisher: Text | None = Field(None, description="Who published it.")
    date: IsoDate | None = Field(None, description="Publication date.")


class Brief(Model):
    """A brief: the argument of an analyst piece, in data."""

    brief: Literal[1] = Field(1, description="Format version; optional, default 1.")
    meta: Meta = Field(description="Title, date and who the brief is from and for.")
    thesis: Thesis = Field(description="The bottom line and its key points.")
    sections: list[Section] = Field(default_factory=list, description="Sections in order.")
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

    @model_validator(mode="after")
    def _unique_section_ids(self) -> Brief:
        seen: dict[str, int] = {}
        for n, section in enumerate(self.sections):
            if section.slug in seen:
                raise RuleViolation(
                    f"section id '{section.slug}' is used by sections[{seen[section.slug]}] too",
                    "give each section a unique 'id:' or title", ("sections", n, "id"))
            seen[section.slug] = n
        return self


def suggest(word: str, options: Any) -> str:
    """A hint naming the nearest valid option, or listing them all."""
    import difflib

    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid keys: " + ", ".join(options)
