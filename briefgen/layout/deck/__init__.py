"""Brief + Theme → DeckPlan: which slides exist and where every measured box goes.

The context (context.py) holds what all planning shares; frame.py makes each slide's title,
footer and number; flow.py packs measured pieces onto slides; text.py, tables.py and
exhibits.py turn blocks into pieces; each slide kind has its module.
"""

from __future__ import annotations

import re

from msgspec.structs import replace

from briefgen.brief.model import Brief
from briefgen.errors import listed
from briefgen.layout import plan
from briefgen.layout.deck.body import body_in_placeholder
from briefgen.layout.deck.closing import conclusion_slides, source_slides
from briefgen.layout.deck.context import ImageSizes, make_context
from briefgen.layout.deck.frame import footer, logo_items
from briefgen.layout.deck.predictions import prediction_slides
from briefgen.layout.deck.readable import readable_slides
from briefgen.layout.deck.risks import risk_slides
from briefgen.layout.deck.section import section_slides
from briefgen.layout.deck.summary import agenda_slides, summary_slides
from briefgen.layout.deck.title import title_slide
from briefgen.layout.deck.verdict import verdict_slides
from briefgen.layout.messages import LayoutMessage, Level, unique
from briefgen.theme.model import Theme

__all__ = ["plan_deck"]

Made = tuple[list[plan.Slide], list[LayoutMessage]]


def plan_deck(brief: Brief, theme: Theme, image_sizes: ImageSizes | None = None
              ) -> tuple[plan.DeckPlan, list[LayoutMessage]]:
    """Plan the deck of a brief; returns the plan and its layout messages."""
    ctx, said = make_context(brief, theme, image_sizes)
    title, title_said = title_slide(ctx)
    made: list[Made] = [([title], title_said), summary_slides(ctx)]
    if len(brief.sections) >= 3:
        made.append(agenda_slides(ctx))
    numbers = {"table": 0, "chart": 0}  # tables and charts are numbered across the deck
    for index, section in enumerate(brief.sections):
        made.append(section_slides(ctx, index, section, numbers))
        for block in section.blocks:
            if block.kind in numbers:
                numbers[block.kind] += 1
    if brief.risks:
        made.append(risk_slides(ctx))
    if brief.verdict:
        made.append(verdict_slides(ctx))
    if brief.predictions:
        made.append(prediction_slides(ctx))
    if brief.conclusion and (brief.conclusion.text or brief.conclusion.title):
        made.append(conclusion_slides(ctx))
    if brief.sources:
        made.append(source_slides(ctx))
    slides = [slide for kind_slides, _ in made for slide in kind_slides]
    # The template layouts each kind of slide used, with the warning a fallback needs.
    said.extend(_merged([ctx.layouts[kind].message for kind in dict.fromkeys(
        s.kind for s in slides)]))
    for _, kind_said in made:
        said.extend(kind_said)
    numbered = []
    for n, slide in enumerate(slides, 1):
        footer_items, footer_said = footer(ctx, n, len(slides), slide.kind)
        if n == 1:
            said.extend(footer_said)  # every footer is the same line
        numbered.append(replace(slide, items=(*slide.items, *footer_items,
                                              *logo_items(ctx, slide))))
    numbered = [body_in_placeholder(ctx, slide) for slide in numbered]
    numbered, readable_said = readable_slides(ctx, numbered)
    said.extend(readable_said)
    meta = brief.meta
    metadata = plan.Metadata(
        title=meta.title.plain,
        author=meta.author.plain if meta.author else "",
        subject=meta.subtitle.plain if meta.subtitle else "",
        keywords=", ".join(meta.tags),
        language=meta.language,
        date=meta.date,
        classification=meta.classification or "",
    )
    template = ctx.template
    deck = plan.DeckPlan(ctx.width, ctx.height, tuple(numbered), metadata, ctx.c.primary,
                         template.path if template else None, tuple(unique(said)),
                         None if template else deck_theme(theme),
                         master_themes(ctx.theme) if template else ())
    return deck, list(deck.messages)


# The slots a slide's text and shapes name, by the slide's names, in the order a colour
# that fills several is named by the first. Not hlink: the deck sets it to its link colour.
_SLIDE_SLOTS = ("tx1", "bg1", "tx2", "bg2", *(f"accent{n}" for n in range(1, 7)))


def master_themes(theme: Theme) -> tuple[plan.MasterTheme, ...]:
    """Each template master's theme colours and fonts, less the colours and fonts the theme
    file sets itself: those stay literal, so that they stay as the theme file says."""
    template = theme.template_info
    assert template is not None
    own_colors: set[str] = set()
    own_fonts: set[str] = set()
    for key in theme.explicit:
        group, _, role = key.rpartition(".")
        if group == "colors" and hasattr(theme.colors, role):
            value = getattr(theme.colors, role)
            own_colors.update(value if isinstance(value, list) else [value])
        elif group == "fonts.deck" and hasattr(theme.fonts.deck, role):
            own_fonts.add(getattr(theme.fonts.deck, role))

    def font(name: str) -> str:
        return "" if name in own_fonts else name

    return tuple(plan.MasterTheme(
        tuple((slot, color) for slot in _SLIDE_SLOTS
              if (color := look.color(slot)) and color not in own_colors),
        font(look.heading_font), font(look.body_font), font(look.heading_east_asian_font),
        font(look.east_asian_font)) for look in template.masters)


def deck_theme(theme: Theme) -> plan.DeckTheme:
    """The theme's colours in PowerPoint's scheme slots (docs/themes.md gives the mapping)
    and its fonts as the theme fonts."""
    c = theme.colors
    series = [c.series[n % len(c.series)] for n in range(6)]
    slots = [("dk1", c.text), ("lt1", c.background), ("dk2", c.primary), ("lt2", c.surface),
             *((f"accent{n}", color) for n, color in enumerate(series, 1)),
             ("hlink", c.primary), ("folHlink", c.primary)]
    fonts = theme.fonts.deck
    sizes = theme.sizes.deck
    return plan.DeckTheme(theme.name, tuple(slots), fonts.heading, fonts.body,
                          fonts.east_asian, sizes.title, sizes.body)


_FOR_KIND = re.compile(r"^(.* for )(\w+) slides(; using .*)$")


def _merged(messages: list[LayoutMessage | None]) -> list[LayoutMessage]:
    """The layout fallbacks of several slide kinds said once, naming the kinds: "... for
    agenda, risks and section slides; using 'Title Slide'"."""
    groups: dict[tuple[Level, str, str], list[str]] = {}
    alone: list[LayoutMessage] = []
    for message in messages:
        if message is None:
            continue
        match = _FOR_KIND.match(message.text)
        if match:
            groups.setdefault((message.level, match[1], match[3]), []).append(match[2])
        else:
            alone.append(message)
    for (level, before, after), kinds in groups.items():
        alone.append(LayoutMessage(level, "", f"{before}{listed(kinds)} slides{after}"))
    return alone
