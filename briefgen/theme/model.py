"""The theme format: colours by role, fonts, sizes and page geometry for both outputs."""

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    field_validator,
    model_validator,
)

from briefgen.brief.model import RuleViolation, describe
from briefgen.theme.fonts import METRIC_TWINS, STANDARD, font_family
from briefgen.theme.template import TemplateInfo

MEMO_FONTS = ("Source Sans 3", "Source Code Pro", "Kurinto Sans")


# Pairs of colour roles drawn on each other, with the WCAG AA minimum for what is drawn:
# 4.5:1 for text at body size and below, 3:1 for large text (titles, bold 14 pt and up).
CONTRAST_PAIRS = (
    ("text", "background", 4.5),
    ("text", "surface", 4.5),
    ("muted", "background", 4.5),
    ("muted", "surface", 4.5),
    ("accent", "background", 4.5),
    ("accent", "surface", 4.5),
    ("primary", "background", 3.0),
    ("on_primary", "primary", 4.5),
)


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _to_color(value: Any) -> Any:
    text = value.strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"#?[0-9A-Fa-f]{6}", text):
        raise RuleViolation(f"{describe(value)} is not a colour", "write a hex colour like #1F4E79")
    return text.lstrip("#").upper()


Color = Annotated[str, BeforeValidator(_to_color), PlainSerializer(lambda c: f"#{c}")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Colors(Model):
    background: Color = Field(description="Slide and page background.")
    surface: Color = Field(description="Cards, table bands, callouts.")
    text: Color = Field(description="Body text.")
    muted: Color = Field(description="Secondary text: footers, sources, captions.")
    primary: Color = Field(description="Titles, table headers, accents that carry meaning.")
    on_primary: Color = Field(description="Text drawn on the primary colour.")
    accent: Color = Field(description="Highlights: takeaways, markers.")
    positive: Color = Field(description="Low risk, high confidence.")
    warning: Color = Field(description="Medium risk.")
    negative: Color = Field(description="High risk.")
    series: list[Color] = Field(min_length=3, description="Chart series palette, in order.")


class DeckFonts(Model):
    heading: str = Field("Arial", description="Font for titles; one the viewer has.")
    body: str = Field("Arial", description="Font for body text; one the viewer has.")
    east_asian: str = Field("Microsoft YaHei", description="Font PowerPoint uses for CJK text.")
    code: str = Field("Courier New", description="Font for `code` spans.")

    @field_validator("heading", "body", "code")
    @classmethod
    def _measurable(cls, value: str) -> str:
        if not font_family(value)[1]:
            raise RuleViolation(
                f"deck font '{value}' has no metrics briefgen can measure",
                "use one of: " + ", ".join([*STANDARD, *METRIC_TWINS]) + ", or a font "
                "installed as TrueType")
        return value


class MemoFonts(Model):
    body: Literal["Source Sans 3"] = Field("Source Sans 3", description="Embedded body family.")
    code: Literal["Source Code Pro"] = Field("Source Code Pro", description="Embedded code font.")


class Fonts(Model):
    deck: DeckFonts = Field(default_factory=DeckFonts)
    memo: MemoFonts = Field(default_factory=MemoFonts)


class DeckSizes(Model):
    title: float = Field(30, ge=12, le=60, description="Slide title size, pt.")
    title_floor: float = Field(20, ge=10, le=60, description="Smallest title size before wrapping.")
    body: float = Field(18, ge=8, le=40, description="Body text size, pt.")
    body_floor: float = Field(14, ge=8, le=40, description="Smallest body size.")
    table: float = Field(14, ge=8, le=30, description="Table text size, pt.")
    table_floor: float = Field(10, ge=6, le=30, description="Smallest table text size.")
    small: float = Field(10, ge=6, le=20, description="Footers, sources, captions.")
    line_spacing: float = Field(1.2, ge=1.0, le=2.0, description="Line height / font size.")

    @model_validator(mode="after")
    def _floors_below_sizes(self) -> "DeckSizes":
        for size, floor in (("title", "title_floor"), ("body", "body_floor"),
                            ("table", "table_floor")):
            if getattr(self, floor) > getattr(self, size):
                raise RuleViolation(f"{floor} {getattr(self, floor):g} is above {size} "
                                    f"{getattr(self, size):g}",
                                    "a floor is the smallest size text may shrink to", (floor,))
        return self


class MemoSizes(Model):
    body: float = Field(10.5, ge=7, le=16, description="Memo body size, pt.")
    table: float = Field(9, ge=6, le=14, description="Memo table text size, pt.")
    heading: float = Field(15, ge=9, le=30, description="Memo section heading size, pt.")
    small: float = Field(8, ge=6, le=12, description="Header, footer, sources.")


class Sizes(Model):
    deck: DeckSizes = Field(default_factory=DeckSizes)
    memo: MemoSizes = Field(default_factory=MemoSizes)


class Deck(Model):
    aspect: Literal["16:9", "4:3"] = Field("16:9", description="Slide size.")
    style: Literal["band", "rule", "plain"] = Field(
        "rule", description="Title treatment: a coloured band, a rule under it, or plain.")
    template: str | None = Field(
        None, description="A .pptx or .potx, relative to the theme file, whose masters, layouts, "
        "colours and fonts the deck is built on.")
    layouts: dict[Literal["title", "content", "summary", "agenda", "section", "risks",
                          "verdict", "predictions", "conclusion", "sources", "two"], str] = Field(
        default_factory=dict,
        description="Template layout name by slide kind (title, content for every other "
        "slide, or summary, agenda, section, risks, verdict, predictions, conclusion, sources; "
        "two for slides with two content areas side by side). Without a name, layouts are "
        "chosen by their placeholders.")


class Memo(Model):
    page: Literal["A4", "Letter"] = Field("A4", description="Page size.")
    colors: dict[Literal["background", "surface", "text", "muted", "primary", "on_primary",
                         "accent", "positive", "warning", "negative"], Color] = Field(
        default_factory=dict,
        description="Colours that differ on paper, e.g. a dark theme's memo text and primary.")
    margins: list[Annotated[float, Field(ge=40, le=144)]] = Field(
        [54, 54, 60, 54], min_length=4, max_length=4,
        description="Top, right, bottom, left margins, pt (40 to 144: the running header "
        "and footer sit inside them).")


class Theme(Model):
    """A theme: one look for the deck and the memo."""

    name: str = Field(description="Theme name, as given to --theme.")
    description: str = Field("", description="One line shown by 'briefgen themes'.")
    extends: str | None = Field(None, description="Theme this one starts from.")
    colors: Colors
    fonts: Fonts = Field(default_factory=Fonts)
    sizes: Sizes = Field(default_factory=Sizes)
    deck: Deck = Field(default_factory=Deck)
    memo: Memo = Field(default_factory=Memo)
    logo: str | None = Field(
        None, description="PNG or JPEG logo, relative to the theme file: top right of every "
        "slide and in the memo's running header.")
    footer: str | None = Field(
        None, description="Text beside the classification on every slide and memo page.")

    _template: TemplateInfo | None = PrivateAttr(None)
    _logo: tuple[str, int, int] | None = PrivateAttr(None)
    _files: tuple[str, ...] = PrivateAttr(())
    _explicit: frozenset[str] = PrivateAttr(frozenset())

    @property
    def files(self) -> tuple[str, ...]:
        """The files the theme was read from: its YAML, template and logo."""
        return self._files

    @property
    def explicit(self) -> frozenset[str]:
        """The key paths the theme's own files set ("colors.primary"), not its built-in
        parents: on a template, these win over the template's look."""
        return self._explicit

    @property
    def logo_info(self) -> tuple[str, int, int] | None:
        """The logo's absolute path and pixel size, read by the theme loader."""
        return self._logo

    @property
    def template_info(self) -> TemplateInfo | None:
        """The template's geometry, read by the theme loader when `deck.template` is set."""
        return self._template

    @model_validator(mode="after")
    def _readable(self) -> "Theme":
        base: dict[str, str] = {role: getattr(self.colors, role)
                                for role in Colors.model_fields if role != "series"}
        # The memo is printed on white unless the theme says otherwise.
        on_paper = {**base, "background": "FFFFFF",
                    **{str(k): v for k, v in self.memo.colors.items()}}
        palettes = (("colors", base), ("memo.colors", on_paper))
        for where, colors in palettes:
            for fore, back, least in CONTRAST_PAIRS:
                ratio = contrast(colors[fore], colors[back])
                if ratio < least:
                    if where == "colors":
                        path: tuple[str, ...] = ("colors", fore)
                    elif fore in self.memo.colors or back in self.memo.colors:
                        path = ("memo", "colors", fore if fore in self.memo.colors else back)
                    else:
                        path = ("memo",)  # the paper colours are inherited: point at memo
                    raise RuleViolation(
                        f"{where}.{fore} on {where}.{back} has contrast {ratio:.2f}:1; "
                        f"{'text' if least > 3 else 'large text'} needs at least {least}:1 "
                        "(WCAG AA)",
                        "darken or lighten one of the two colours"
                        + ("; a dark theme sets memo.colors for the white page"
                           if where != "colors" else ""), path)
        return self
