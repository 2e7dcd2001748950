"""The deck's look on a company template: the template's colours, fonts and text styles, with
the theme's colours and fonts only where the theme file sets them itself."""

from __future__ import annotations

from msgspec import Struct

from briefgen.layout.common import mix
from briefgen.theme.model import Colors, Theme, contrast
from briefgen.theme.template import Backdrop, Layout, MasterLook, TemplateInfo

# WCAG AA: body text needs 4.5:1 on what is behind it, large text (titles) 3:1.
TEXT_CONTRAST = 4.5
LARGE_CONTRAST = 3.0
WHITE, BLACK = "FFFFFF", "000000"


class Resolved(Struct, frozen=True):
    """The deck's theme on a template, and where each role came from."""

    theme: Theme
    from_template: tuple[str, ...]  # roles such as "colors.primary", "fonts.deck.heading"


def backdrop_at(backdrops: tuple[Backdrop, ...], x: float, y: float) -> str | None:
    """The colour drawn at a point: the topmost backdrop there (a picture's colour there,
    "" for one that could not be read)."""
    for backdrop in reversed(backdrops):
        bx, by, bw, bh = backdrop.box
        if bx <= x <= bx + bw and by <= y <= by + bh:
            return backdrop.color_at(x, y)
    return None


def readable(color: str, background: str, least: float, candidates: tuple[str, ...]) -> str:
    """`color` if it reads on `background`, else the first candidate that does, else black
    or white, whichever reads better."""
    for option in (color, *candidates):
        if contrast(option, background) >= least:
            return option
    return max((BLACK, WHITE), key=lambda c: contrast(c, background))


def readable_on(color: str, backgrounds: tuple[str, ...], least: float,
                candidates: tuple[str, ...]) -> str:
    """`color` if it reads on every one of `backgrounds` (a box over a band and the page),
    else the first candidate that does, else the grey, black or white that reads best on
    the worst of them."""
    for option in (color, *candidates):
        if all(contrast(option, back) >= least for back in backgrounds):
            return option
    greys = [f"{v:02X}" * 3 for v in range(0, 256, 17)]
    return max((BLACK, WHITE, *greys),
               key=lambda c: min(contrast(c, back) for back in backgrounds))


def _legible(color: str, background: str, toward: str, least: float) -> str:
    """`color` moved toward `toward` until it reads on `background`."""
    for step in range(11):
        mixed = mix(toward, color, step / 10)
        if contrast(mixed, background) >= least:
            return mixed
    return toward


def template_colors(template: TemplateInfo, layout: Layout, base: Colors) -> dict[str, str]:
    """The colour roles a template gives: its content layout's background, its body and
    title text colours, its artwork's colours, each checked to read where it is drawn."""
    look: MasterLook = template.masters[layout.master]
    x, y, w, h = next(iter(layout.bodies), layout.title or (0, 0, template.width,
                                                             template.height))
    behind = backdrop_at(layout.backdrops, x + w / 2, y + h / 2)
    background = behind or look.color("bg1") or WHITE
    light_dark = tuple(c for c in (look.color("tx1"), look.color("bg1"), look.color("tx2"),
                                   look.color("bg2")) if c)
    text = readable(look.body_color or look.color("tx1") or BLACK, background, TEXT_CONTRAST,
                    light_dark)
    # The artwork's colours, largest first: bands and shapes the master draws.
    artwork: list[str] = []
    for backdrop in sorted(layout.backdrops, key=lambda b: -b.box[2] * b.box[3]):
        if backdrop.color and backdrop.color not in (background, *artwork):
            artwork.append(backdrop.color)
    title = look.title_color
    primary_options = [c for c in (title if title != text else None, *artwork,
                                   look.color("tx2"), look.color("accent1")) if c]
    primary = next((c for c in primary_options if contrast(c, background) >= LARGE_CONTRAST),
                   text)
    on_primary = max((background, text, WHITE, BLACK), key=lambda c: contrast(c, primary))
    surface = look.color("bg2") or ""
    if not surface or surface == background or contrast(text, surface) < TEXT_CONTRAST:
        surface = mix(text, background, 0.06)
    accent_base = next((c for c in (*artwork, look.color("accent1"))
                        if c and c != primary), primary)
    accent = _legible(accent_base, background, text, TEXT_CONTRAST)
    if contrast(accent, surface) < TEXT_CONTRAST:
        accent = _legible(accent, surface, text, TEXT_CONTRAST)
    muted = _legible(mix(text, background, 0.65), background, text, TEXT_CONTRAST)
    if contrast(muted, surface) < TEXT_CONTRAST:
        muted = _legible(muted, surface, text, TEXT_CONTRAST)
    accents = [c for c in (look.color(f"accent{n}") for n in range(1, 7)) if c]
    return {"background": background, "surface": surface, "text": text, "muted": muted,
            "primary": primary, "on_primary": on_primary, "accent": accent,
            **({"series": accents} if len(accents) >= 3 else {})}  # type: ignore[dict-item]


def resolve(theme: Theme, content: Layout | None, explicit: frozenset[str]) -> Resolved:
    """The theme a deck on its template is planned with (the theme itself without one)."""
    template = theme.template_info
    if template is None or content is None:
        return Resolved(theme, ())
    colors = template_colors(template, content, theme.colors)
    kept = {role: value for role, value in colors.items()
            if f"colors.{role}" not in explicit}
    look = template.masters[content.master]
    fonts = {"heading": look.title_font or look.heading_font,
             "body": look.body_text_font or look.body_font,
             "east_asian": look.east_asian_font}
    fonts = {k: v for k, v in fonts.items() if v and f"fonts.deck.{k}" not in explicit}
    deck_fonts = theme.fonts.deck.model_copy(update=fonts)
    resolved = theme.model_copy(update={
        "colors": theme.colors.model_copy(update=kept),
        "fonts": theme.fonts.model_copy(update={"deck": deck_fonts})})
    resolved._template = template
    resolved._logo = theme.logo_info
    resolved._files = theme.files
    resolved._explicit = theme.explicit
    roles = (*(f"colors.{k}" for k in kept), *(f"fonts.deck.{k}" for k in fonts))
    return Resolved(resolved, roles)


def deck_roles(theme: Theme) -> list[tuple[str, str, str]]:
    """Each colour role and deck font the deck uses on the theme's template, and whether it
    comes from the template or the theme file."""
    from briefgen.layout.deck.context import choose_layout

    resolved = resolve(theme, choose_layout(theme, "section").layout, theme.explicit)
    colors = resolved.theme.colors
    fonts = resolved.theme.fonts.deck
    roles = [*((f"colors.{role}", getattr(colors, role)) for role in Colors.model_fields),
             *((f"fonts.deck.{key}", getattr(fonts, key)) for key in ("heading", "body",
                                                                    "east_asian"))]
    return [(role, " ".join(f"#{v}" for v in value) if isinstance(value, list)
             else (f"#{value}" if role.startswith("colors.") else value),
             "template" if role in resolved.from_template else "theme")
            for role, value in roles]
