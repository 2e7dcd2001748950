"""The brief format as pydantic models: every key, its type, its rules and its description."""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import CoreSchema

from briefgen.brief.markup import RichText, parse, plain
from briefgen.errors import listed
from briefgen.labels import CATALOGUE, LABEL_KEYS, placeholders

# Bounds on what one brief may hold, so a hostile or runaway file cannot exhaust memory or time.
MAX_TEXT_CHARS = 100_000  # per text field
MAX_SECTIONS = 500
MAX_BLOCKS = 1_000  # per section
MAX_ROWS = 2_000  # per table
MAX_COLUMNS = 40  # per table; the memo cannot give 80 columns their padding on a page
# Bounds on a whole brief: each list above may be full, but not all of them at once. A build
# holds about 20 KB per item in memory (a 2,000-row table of 11 columns with 1,000,000
# characters, 24,000 items, peaked at 0.53 GB), so a brief within both builds in well under
# 1 GB. The budget admits a 2,000-row table of 13 columns, or 64 sections of 30-row tables.
MAX_TOTAL_ITEMS = 30_000  # every list item: blocks, bullets, table rows and cells, chart values
MAX_TOTAL_CHARS = 1_000_000  # characters of text together
ITEMS = "blocks, list items, table rows and cells, and chart categories and values"


class RuleViolation(ValueError):
    """A rule beyond the shape, located at `subpath` below the model that raised it."""

    def __init__(self, message: str, hint: str = "", subpath: tuple[str | int, ...] = (),
                 *, at_key: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.subpath = subpath
        # Located at the key rather than its value; by default when the subpath ends in a key.
        self.at_key = bool(subpath) and isinstance(subpath[-1], str) if at_key is None else at_key


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


# What the JSON Schema says of each kind of value. Editors read an unquoted value as YAML 1.2
# does (`010` and `0x1F` are numbers, `true` a boolean, `2026-04` text); briefgen keeps every
# value as the text typed and reads numbers where the format wants them, so a text field
# accepts what an editor calls a number or a boolean, and a number field the text of a number.
_TEXT_TYPES = ["string", "number", "boolean"]
_text_schema = {"type": _TEXT_TYPES, "maxLength": MAX_TEXT_CHARS}
_rich_serializer = PlainSerializer(lambda t: t.source, return_type=str)

Text = Annotated[RichText, PlainValidator(_to_rich), WithJsonSchema(_text_schema),
                 _rich_serializer]
"""A text field: plain UTF-8 with the inline markup **bold**, *italic*, `code`, [label](url)."""


def _not_empty(value: RichText) -> RichText:
    if not value:
        raise RuleViolation("the text is empty", "write the text; spaces and control characters "
                            "alone are dropped, which leaves nothing to show")
    return value


RequiredText = Annotated[RichText, PlainValidator(_to_rich), AfterValidator(_not_empty),
                         WithJsonSchema({**_text_schema, "pattern": r"\S",
                                         "errorMessage": "The text is empty: write the text."}),
                         _rich_serializer]
"""A text field that must show something once cleaned: titles, headlines, statements, names."""

Cell = Annotated[
    RichText,
    PlainValidator(_to_rich),
    BeforeValidator(lambda v: "" if v is None else v),
    WithJsonSchema({"type": [*_TEXT_TYPES, "null"], "maxLength": MAX_TEXT_CHARS}),
    _rich_serializer,
]
PlainText = Annotated[str, BeforeValidator(_to_plain), WithJsonSchema(_text_schema)]

# Numbers as YAML 1.2 writes them, which is how editors read them: decimal, 0o17, 0x1F.
_DECIMAL = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_NUMBER = re.compile(rf"\s*(?:({_DECIMAL})|0o([0-7]+)|0x([0-9a-fA-F]+))\s*")
_INFINITE = re.compile(r"\s*(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\s*")
_NUMBER_HINT = "write a plain number such as 12.5, without units or commas"
_number_text = {"type": "string", "pattern": f"^{_NUMBER.pattern}$",
                "errorMessage": f"Not a number: {_NUMBER_HINT}."}


def read_number(value: Any) -> float | None:
    """The number a value is, if it is one: a YAML number, or its text in quotes."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return None
    if _INFINITE.fullmatch(value):
        return float(value.strip().lstrip(".").replace(".", ""))
    match = _NUMBER.fullmatch(value)
    if match is None:
        return None
    decimal, octal, hexadecimal = match.groups()
    if decimal is not None:
        return float(decimal)
    return float(int(octal, 8) if octal is not None else int(hexadecimal, 16))


def _any_case(words: Any) -> str:
    """A pattern matching the words in any letter case, with spaces around: JSON Schema's
    patterns have no flag for it."""
    either = "|".join("".join(f"[{c.upper()}{c}]" if c.isalpha() else re.escape(c) for c in w)
                      for w in words)
    return rf"^\s*(?:{either})\s*$"


_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


# Held to real months and days of a month; whether the day exists in that month, only the
# loader checks.
_DATE_PATTERN = r"^\s*[0-9]{4}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?\s*$"
_DATE_HINT = "write an ISO date as YYYY-MM-DD or YYYY-MM, e.g. 2026-04-15"


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else ""
    match = _DATE.match(text)
    if not match:
        raise RuleViolation(f"{describe(value)} is not a date", _DATE_HINT)
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
    WithJsonSchema({"type": "string", "pattern": _DATE_PATTERN,
                    "errorMessage": f"Not a date: {_DATE_HINT}."}),
]
LEVEL_VALUES: dict[str, float] = {"low": 0.25, "medium": 0.5, "high": 0.8}
# The words for completion in an editor, and the same words in any letter case.
_level_schema = {"anyOf": [{"enum": list(LEVEL_VALUES)},
                           {"type": "string", "pattern": _any_case(LEVEL_VALUES)}]}
Level = Annotated[Literal["low", "medium", "high"],
                  BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
                  WithJsonSchema(_level_schema)]

_PERCENT = re.compile(rf"\s*({_DECIMAL})\s*%\s*")
_CONFIDENCE_HINT = "write a number from 0 to 1 (e.g. 0.6), a percentage (60%) or low, medium " \
                   "or high"


def _to_confidence(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in LEVEL_VALUES:
        return value.strip().lower()
    percent = _PERCENT.fullmatch(value) if isinstance(value, str) else None
    number = float(percent.group(1)) / 100 if percent else read_number(value)
    if number is None or number != number:  # not a number, or NaN
        raise RuleViolation(f"{describe(value)} is not a confidence", _CONFIDENCE_HINT)
    if not 0 <= number <= 1:
        raise RuleViolation(f"confidence {str(value).strip()} is outside 0..1", _CONFIDENCE_HINT)
    return number


# In a pattern only plain decimals can be held to a range: 0 to 1, and 0 % to 100 %.
_FRACTION = r"\+?(?:0*(?:\.[0-9]*)?|0*1(?:\.0*)?|\.[0-9]+)"
_PERCENTAGE = r"\+?(?:0*[0-9]{1,2}(?:\.[0-9]*)?|0*100(?:\.0*)?|\.[0-9]+)\s*%"
_not_confidence = f"Not a confidence: {_CONFIDENCE_HINT}."
Confidence = Annotated[
    float | Level,
    BeforeValidator(_to_confidence),
    WithJsonSchema({"anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1, "errorMessage": _not_confidence},
        {"enum": list(LEVEL_VALUES), "errorMessage": _not_confidence},
        {"type": "string", "pattern": rf"^\s*(?=[^\s%]*[0-9])(?:{_FRACTION}|{_PERCENTAGE})\s*$",
         "errorMessage": _not_confidence},
        {"type": "string", "pattern": _any_case(LEVEL_VALUES), "errorMessage": _not_confidence}]}),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


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


_LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
_LANGUAGE_HINT = "write a tag such as en, de, zh-CN or pt-BR"
_labels_schema = WithJsonSchema({
    "type": "object",
    "properties": {key: {"type": "string", "description": f"Default: {CATALOGUE['en'][key]}"}
                   for key in LABEL_KEYS},
    "additionalProperties": False,
})
_to_schema = WithJsonSchema({"anyOf": [_text_schema, {"type": "array", "items": _text_schema}]})


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
    language: Annotated[PlainText, WithJsonSchema({
        "type": "string", "pattern": _LANGUAGE,
        "errorMessage": f"Not a BCP-47 language tag: {_LANGUAGE_HINT}."})] = Field(
        "en", description="BCP-47 language tag; default en.")
    tags: list[PlainText] = Field(default_factory=list, description="Keywords for file metadata.")
    labels: Annotated[dict[str, PlainText], _labels_schema] = Field(
        default_factory=dict, description="Overrides of fixed labels the outputs print, by key; "
        "a {placeholder} must be one the default label has.")

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str) -> str:
        if not re.fullmatch(_LANGUAGE, value):
            raise RuleViolation(f"'{value}' is not a BCP-47 language tag", _LANGUAGE_HINT)
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
        return {"anyOf": [_text_schema, handler(core)]}


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

    # A field validator, not a model one, so that a misspelt key beside `rows` does not hide it.
    @field_validator("rows")
    @classmethod
    def _rows_match_columns(cls, rows: list[list[RichText]], info: ValidationInfo
                            ) -> list[list[RichText]]:
        columns = info.data.get("columns")
        if columns is None:
            return rows
        raise_all([RuleViolation(
            f"row has {_count(len(row), 'cell')} but the table has "
            f"{_count(len(columns), 'column')}",
            "give every row one cell per column; use \"\" for an empty cell", (n,))
            for n, row in enumerate(rows) if len(row) != len(columns)])
        return rows


# Chart values beyond these magnitudes overflow or underflow the axis arithmetic of the memo's
# charts (reportlab raises on 1e308 and on 1e-307 next to 0) and could not be read anyway.
MAX_CHART_VALUE = 1e15
MIN_CHART_VALUE = 1e-9


def _to_number(value: Any) -> Any:
    number = read_number(value)
    if number is None:
        raise RuleViolation(f"{describe(value)} is not a number", _NUMBER_HINT)
    return number


# A value that is not 0 but nearer to it than MIN_CHART_VALUE.
_TINY = {"type": "number", "exclusiveMinimum": -MIN_CHART_VALUE,
         "exclusiveMaximum": MIN_CHART_VALUE, "not": {"const": 0}}
ChartValue = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_to_number),
                       WithJsonSchema({"anyOf": [
                           {"type": "number", "minimum": -MAX_CHART_VALUE,
                            "maximum": MAX_CHART_VALUE, "not": _TINY,
                            "errorMessage": f"Not a number: {_NUMBER_HINT}."}, _number_text]})]


_FLAG_HINT = "write true or false"
_FLAGS = {"true": True, "false": False}


def _to_flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _FLAGS:
        return _FLAGS[value.strip().lower()]
    raise RuleViolation(f"{describe(value)} is neither true nor false", _FLAG_HINT)


Flag = Annotated[bool, BeforeValidator(_to_flag), WithJsonSchema({"anyOf": [
    {"type": "boolean"}, {"type": "string", "pattern": _any_case(_FLAGS)}]})]
"""true or false, in any letter case."""

# A number format as a spreadsheet writes one, held to what both outputs draw alike: an
# optional currency sign, digits with or without thousands separators, up to four decimals
# and an optional percent sign.
NUMBER_FORMAT = re.compile(r"([$€£¥])?(#,##0|0)(?:\.(0{1,4}))?(%)?")
_FORMAT_HINT = 'write one such as "0", "0.0", "#,##0", "0%" or "$#,##0.0"'
NumberFormatText = Annotated[PlainText, WithJsonSchema({
    "type": "string", "pattern": f"^{NUMBER_FORMAT.pattern}$",
    "errorMessage": f"Not a number format: {_FORMAT_HINT}."})]


def _format_problem(value: str | None) -> str | None:
    if value is not None and not NUMBER_FORMAT.fullmatch(value):
        return value
    return None


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _words(*words: str) -> dict[str, Any]:
    return {"anyOf": [{"enum": list(words)}, {"type": "string", "pattern": _any_case(words)}]}


SeriesType = Annotated[Literal["column", "line"], BeforeValidator(_lower),
                       WithJsonSchema(_words("column", "line"))]
AxisSide = Annotated[Literal["primary", "secondary"], BeforeValidator(_lower),
                     WithJsonSchema(_words("primary", "secondary"))]
LegendPosition = Annotated[Literal["bottom", "right", "top", "none"], BeforeValidator(_lower),
                           WithJsonSchema(_words("bottom", "right", "top", "none"))]


def _to_stacking(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == "percent":
        return "percent"
    return _to_flag(value) if isinstance(value, (str, bool)) else value


Stacking = Annotated[bool | Literal["percent"], BeforeValidator(_to_stacking), WithJsonSchema({
    "anyOf": [{"type": "boolean"},
              {"type": "string", "pattern": _any_case([*_FLAGS, "percent"])}]})]


class Series(Model):
    name: Text = Field(description="Series name, shown in the legend.")
    values: list[ChartValue] = Field(
        description="One number per category.")
    type: SeriesType | None = Field(
        None, description="line: in a column chart, draw this series as a line over the "
        "columns.")
    axis: AxisSide | None = Field(
        None, description="secondary: measure this line series on a second value axis, at "
        "the right.")
    unit: PlainText | None = Field(
        None, description="Unit of a series on the secondary axis, e.g. %.")
    format: NumberFormatText | None = Field(
        None, description='Number format of a series on the secondary axis, e.g. "0%".')

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

    @field_validator("format")
    @classmethod
    def _number_format(cls, value: str | None) -> str | None:
        if _format_problem(value) is not None:
            raise RuleViolation(f"'{value}' is not a number format", _FORMAT_HINT)
        return value

    @property
    def secondary(self) -> bool:
        return self.axis == "secondary"


class ChartAxis(Model):
    title: Text | None = Field(None, description="Title of the value axis; the unit is added "
                               "to it unless the title names it.")
    min: ChartValue | None = Field(None, description="Lowest value the axis shows.")
    max: ChartValue | None = Field(None, description="Highest value the axis shows.")

    @model_validator(mode="after")
    def _ordered(self) -> "ChartAxis":
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise RuleViolation(f"axis min {self.min:g} is not below max {self.max:g}",
                                "make min smaller than max, or leave one out", ("min",))
        return self


def _pie_schema(schema: dict[str, Any]) -> None:
    # A pie chart takes one series, with no negative values.
    negative = {"anyOf": [{"type": "number", "exclusiveMaximum": 0},
                          {"type": "string", "pattern": r"^\s*-(?!0*(?:\.0*)?\s*$)"}]}
    schema["if"] = {"properties": {"type": {"const": "pie"}}, "required": ["type"]}
    schema["then"] = {"properties": {"series": {"maxItems": 1, "items": {"properties": {
        "values": {"items": {"not": negative}}}}}}}


class Chart(Model):
    model_config = ConfigDict(json_schema_extra=_pie_schema)

    title: Text | None = Field(None, description="Chart title.")
    type: Literal["bar", "column", "line", "pie"] = Field(description="bar | column | line | pie")
    categories: list[Text] = Field(min_length=1, description="Category labels.")
    series: list[Series] = Field(min_length=1, description="Data series.")
    unit: PlainText | None = Field(
        None, description="Unit of the values, e.g. % or USD bn: shown once, in the value "
        "axis's title (a % after each number).")
    format: NumberFormatText | None = Field(
        None, description='Number format of ticks and labels: "0.0", "#,##0", "0%", "$#,##0"; '
        "default: the decimals the data has.")
    labels: Flag | None = Field(
        None, description="true | false: values on the bars, points or slices; default: on "
        "when they fit.")
    axis: ChartAxis | None = Field(None, description="The value axis: {title, min, max}.")
    legend: LegendPosition | None = Field(
        None, description="bottom | right | top | none; default: bottom when the chart has "
        "several series, none otherwise.")
    stacked: Stacking | None = Field(
        None, description="true | percent: a bar or column chart's series stacked, or "
        "stacked to 100 %.")
    highlight: PlainText | None = Field(
        None, description="A category (in a chart of one series) or a series to draw in the "
        "accent colour, the rest muted.")
    takeaway: Text | None = Field(None, description="The 'so what' under the chart.")
    source: Text | None = Field(None, description="Where the data comes from.")

    @field_validator("format")
    @classmethod
    def _number_format(cls, value: str | None) -> str | None:
        if _format_problem(value) is not None:
            raise RuleViolation(f"'{value}' is not a number format", _FORMAT_HINT)
        return value

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> "Chart":
        kind, found = self.type, []
        if self.stacked and kind not in ("bar", "column"):
            found.append(RuleViolation(f"a {kind} chart cannot be stacked",
                                       "stack a bar or column chart, or leave 'stacked' out",
                                       ("stacked",)))
        if self.axis is not None and kind == "pie":
            found.append(RuleViolation("a pie chart has no value axis",
                                       "leave 'axis' out, or use type: column", ("axis",)))
        if self.axis is not None and self.stacked == "percent" and (
                self.axis.min is not None or self.axis.max is not None):
            found.append(RuleViolation("a 100 % stacked chart always runs from 0 to 100 %",
                                       "leave out the axis's min and max", ("axis",)))
        for n, one in enumerate(self.series):
            if one.type == "line" and kind != "column":
                found.append(RuleViolation(
                    f"a series can be drawn as a line only in a column chart, not a {kind} "
                    "chart", "use type: column for the chart, or leave the series' type out",
                    ("series", n, "type")))
            elif one.type == "line" and self.stacked:
                found.append(RuleViolation(
                    "a stacked chart cannot draw a series as a line",
                    "leave out 'stacked', or the series' type", ("series", n, "type")))
            if one.secondary and one.type != "line":
                found.append(RuleViolation(
                    "only a line series in a column chart can use the secondary axis",
                    "add 'type: line' to the series, or leave out its axis",
                    ("series", n, "axis")))
            for key in ("unit", "format"):
                if getattr(one, key) is not None and not one.secondary:
                    found.append(RuleViolation(
                        f"a series' {key} applies only to a series on the secondary axis",
                        f"give the {key} to the chart, or add 'axis: secondary' to the series",
                        ("series", n, key)))
        if self.type == "column" and self.series and all(s.type == "line" for s in self.series):
            found.append(RuleViolation("every series of this column chart is a line",
                                       "use type: line for the chart", ("series",)))
        if self.highlight is not None:
            found.extend(self._highlight_problems())
        raise_all(found)
        return self

    def _highlight_problems(self) -> list[RuleViolation]:
        names = [s.name.plain for s in self.series]
        categories = [c.plain for c in self.categories]
        wanted = (self.highlight or "").strip()
        if len(names) == 1:
            if wanted in categories:
                return []
            return [RuleViolation(f"'{wanted}' is not a category of this chart",
                                  suggest(wanted, categories, "categories"), ("highlight",))]
        if wanted in names:
            return []
        if wanted in categories:
            return [RuleViolation(
                f"'{wanted}' is a category, and a chart of several series highlights a series",
                "give a series' name: " + ", ".join(names), ("highlight",))]
        return [RuleViolation(f"'{wanted}' is not a series of this chart",
                              suggest(wanted, names, "series"), ("highlight",))]

    def highlighted(self) -> tuple[str, str] | None:
        """("category" or "series", its name) of what the chart highlights."""
        if self.highlight is None:
            return None
        wanted = self.highlight.strip()
        if len(self.series) == 1:
            return "category", wanted
        return "series", wanted

    # A field validator, so that a misspelt key beside `series` does not hide these problems.
    @field_validator("series")
    @classmethod
    def _series_match_categories(cls, series: list[Series], info: ValidationInfo
                                 ) -> list[Series]:
        kind, categories = info.data.get("type"), info.data.get("categories")
        found = []
        if kind == "pie" and len(series) != 1:
            found.append(RuleViolation(f"a pie chart takes one series, not {len(series)}",
                                       "keep one series, or use type: column", at_key=True))
        if categories is not None:
            found.extend(RuleViolation(
                f"series has {_count(len(one.values), 'value')} but the chart has "
                f"{_count(len(categories), 'category', 'categories')}",
                "give one value per category", (n, "values"))
                for n, one in enumerate(series) if len(one.values) != len(categories))
        if kind == "pie" and any(v < 0 for v in series[0].values):
            found.append(RuleViolation("a pie chart cannot show negative values",
                                       "use type: bar for data with negative values",
                                       (0, "values")))
        raise_all(found)
        return series


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


class KeyFigure(Model):
    value: RequiredText = Field(description="The number as it should read: $99bn, 63 %, 4.2x.")
    label: RequiredText = Field(description="What the number is, in a few words.")
    delta: PlainText | None = Field(
        None, description="The change, as it should read: +25 %, −3 pts.")
    note: Text | None = Field(None, description="A short line of context under it.")


MIN_FIGURES, MAX_FIGURES = 2, 4


def _figures_count(figures: list[KeyFigure]) -> list[KeyFigure]:
    if not MIN_FIGURES <= len(figures) <= MAX_FIGURES:
        raise RuleViolation(
            f"a figures block holds {MIN_FIGURES} to {MAX_FIGURES} figures, not {len(figures)}",
            "split them into two blocks" if len(figures) > MAX_FIGURES else
            "add a figure, or write the number in the text")
    return figures


Figures = Annotated[list[KeyFigure], AfterValidator(_figures_count),
                    Field(json_schema_extra={"minItems": MIN_FIGURES,
                                             "maxItems": MAX_FIGURES})]


# Relative, with forward slashes, and never up out of the brief's folder.
_IMAGE_PATH = r"^(?![/\\])(?![A-Za-z]:[/\\])(?!.*\\)(?!(?:.*/)?\.\.(?:/|$))"


class Image(Model):
    path: Annotated[PlainText, WithJsonSchema({
        "type": "string", "pattern": _IMAGE_PATH,
        "errorMessage": "Give the image's path relative to the brief's folder and inside it, "
                        "with forward slashes: images/chart.png."})] = Field(
        description="PNG or JPEG file, relative to the brief's folder and "
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
               "image", "figures")


# The keys of the blocks whose content is a mapping.
_BLOCK_KEYS = {kind: {field.alias or name for name, field in model.model_fields.items()}
               for kind, model in (("table", Table), ("chart", Chart), ("quote", Quote),
                                   ("callout", Callout), ("image", Image))}


def _not_under(kind: str, stray: list[str]) -> RuleViolation:
    one = len(stray) == 1
    names = listed([f"'{k}'" for k in stray])
    return RuleViolation(
        f"the {kind} block is empty: {names} "
        f"{'is' if one else 'are'} not indented under '{kind}:'",
        f"indent {'it' if one else 'them'}, with the lines under {'it' if one else 'them'}, two "
        f"spaces more, so that {'it sits' if one else 'they sit'} under '{kind}:'", (kind,))


def _one_key_schema(schema: dict[str, Any]) -> None:
    # In the file a block is one key with content, never null, so editors should demand both;
    # `only` may stand beside it.
    kinds = [k for k in schema["properties"] if k != "only"]
    for prop in schema["properties"].values():
        choices = [o for o in prop.pop("anyOf") if o != {"type": "null"}]
        prop.update(choices[0] if len(choices) == 1 else {"anyOf": choices})
        prop.pop("default", None)
    schema["oneOf"] = [{"required": [kind]} for kind in kinds]
    schema.update(minProperties=1, maxProperties=2)


_output_schema = {"anyOf": [{"enum": ["deck", "memo"]},
                            {"type": "string", "pattern": _any_case(["deck", "memo"])}]}
Output = Annotated[Literal["deck", "memo"],
                   BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
                   WithJsonSchema(_output_schema)]


_section_layout_schema = {"anyOf": [{"enum": ["side", "full"]},
                                    {"type": "string", "pattern": _any_case(["side", "full"])}]}
SectionLayout = Annotated[Literal["side", "full"],
                          BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str)
                                          else v),
                          WithJsonSchema(_section_layout_schema)]


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
    figures: Figures | None = Field(
        None, description=f"{MIN_FIGURES} to {MAX_FIGURES} big numbers: "
        "{value, label, delta, note}.")
    only: Output | None = Field(
        None, description="deck | memo: show the block in that output only (default: both).")

    @model_validator(mode="before")
    @classmethod
    def _exactly_one_key(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise RuleViolation(f"a block must be a mapping with one key, got {describe(value)}",
                                "write it as '- text: ...' or '- bullets: [...]'")
        # `- quote:` with its keys at the column of `quote` makes them the block's keys.
        for kind in (k for k in value if k in _BLOCK_KEYS and value[k] is None):
            stray = [k for k in value if k not in (kind, "only")]
            if stray and all(k in _BLOCK_KEYS[kind] for k in stray):
                raise _not_under(kind, stray)
        keys = [k for k in value if k in BLOCK_TYPES]
        if len(value) - ("only" in value) == len(keys) and len(keys) != 1:
            if not keys:
                raise RuleViolation("a block needs one key",
                                    "give one of: " + ", ".join(BLOCK_TYPES))
            raise RuleViolation(
                "a block has exactly one key, found " + " and ".join(f"'{k}'" for k in keys),
                "split it into separate list items, each starting with '- '")
        if len(keys) == 1 and value[keys[0]] is None:
            kind = keys[0]
            stray = [k for k in value if k != kind and k in _BLOCK_KEYS.get(kind, set())]
            if stray:
                raise _not_under(kind, stray)
            raise RuleViolation(f"the {kind} block is empty",
                                f"write its content after '{kind}:'", (kind,))
        return value

    @property
    def kind(self) -> str:
        return next(k for k in BLOCK_TYPES if getattr(self, k) is not None)

    @property
    def content(self) -> Any:
        return getattr(self, self.kind)

    def shown_in(self, output: str) -> bool:
        """Whether the block belongs in `output` ("deck" or "memo")."""
        return self.only is None or self.only == output


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return slug or "section"


class Section(Model):
    title: RequiredText = Field(description="Section title.")
    id: PlainText | None = Field(None, description="Slug; default derived from the title.")
    lead: Text | None = Field(None, description="One-sentence message of the section.")
    notes: Text | None = Field(None, description="Speaker notes for this section's slides.")
    layout: SectionLayout | None = Field(
        None, description="side | full: the section's chart, table or image beside its text on "
                          "the Two Content layout, or full width (default: whichever fits "
                          "better).")
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

    brief: Annotated[Literal[1], WithJsonSchema({"anyOf": [
        {"const": 1}, {"type": "string", "pattern": r"^\s*\+?0*1(?:\.0*)?\s*$"}]})] = Field(
        1, description="Format version; optional, default 1.")
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
        if read_number(value) != 1:
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
    def _within_budget(self) -> "Brief":
        items, chars = _size(self)
        found = []
        if items > MAX_TOTAL_ITEMS:
            found.append(_over_budget(
                self, 0, f"the brief holds {items:,} items ({ITEMS}); at most "
                f"{MAX_TOTAL_ITEMS:,} are allowed in one brief"))
        if chars > MAX_TOTAL_CHARS:
            found.append(_over_budget(
                self, 1, f"the brief holds {chars:,} characters of text; at most "
                f"{MAX_TOTAL_CHARS:,} are allowed in one brief"))
        raise_all(found)
        return self


def _over_budget(brief: Brief, measure: int, message: str) -> RuleViolation:
    """The violation located at the part of the brief that holds the most, to move out."""
    parts: list[tuple[tuple[str | int, ...], int]] = [
        (("sections", n), _size(section)[measure]) for n, section in enumerate(brief.sections)]
    parts += [((name,), _size(getattr(brief, name))[measure])
              for name in ("meta", "thesis", "risks", "predictions", "sources")]
    where, most = max(parts, key=lambda part: part[1])
    what = "items" if measure == 0 else "characters"
    return RuleViolation(message, f"move part of it into another brief; this part alone holds "
                         f"{most:,} {what}", where, at_key=False)


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


def nearest(word: str, options: Iterable[str]) -> str | None:
    """The option `word` was most likely meant to be: a near spelling, the same word in another
    case, or an option it starts or ends with (`barchart` → `bar`)."""
    import difflib

    choices = [str(option) for option in options]
    lowered: dict[str, str] = {option.lower(): option for option in choices}
    word = word.strip()
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    within = [o for o in choices if len(o) >= 3 and (word.lower().startswith(o.lower())
                                                      or word.lower().endswith(o.lower()))]
    return max(within, key=len) if within else None


def suggest(word: str, options: Any, what: str = "keys") -> str:
    """A hint naming the nearest valid option, or listing them all."""
    options = list(options)
    close = nearest(word, options)
    if close is not None:
        return f"did you mean '{close}'?"
    return f"valid {what}: " + ", ".join(options)


def json_schema() -> dict[str, Any]:
    """The brief format as a JSON Schema (draft 2020-12), for editors to complete and explain."""
    generated = Brief.model_json_schema(by_alias=True)
    generated.pop("title", None)
    _fold_null(generated)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "briefgen brief", **generated}


def _fold_null(schema: Any) -> None:
    """`X | None` as X's own types plus null, where X has types: an editor then explains a
    wrong value with X's message rather than "Expected number | null"."""
    if isinstance(schema, list):
        for item in schema:
            _fold_null(item)
    if not isinstance(schema, dict):
        return
    for value in schema.values():
        _fold_null(value)
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or {"type": "null"} not in branches:
        return
    typed = [b for b in branches if b != {"type": "null"}]
    if len(typed) == 1 and "anyOf" in typed[0]:
        typed = typed[0]["anyOf"]
    if not typed or "type" not in typed[0] or not all("type" in b or "enum" in b for b in typed):
        return  # a $ref or a const: left as a choice with null
    first = dict(typed[0])
    kinds = first["type"] if isinstance(first["type"], list) else [first["type"]]
    first["type"] = [*kinds, "null"]
    del schema["anyOf"]
    if len(typed) == 1:
        schema.update(first)
    else:
        schema["anyOf"] = [first, *typed[1:]]


def json_schema_text() -> str:
    """The schema as `briefgen schema` prints it and schema/brief.schema.json holds it."""
    import json

    return json.dumps(json_schema(), indent=2) + "\n"
