"""Corporate templates: the deck is built on the template's master, layouts and size."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER as PP
from pptx.util import Inches

from briefgen.build import build
from tests.conftest import SAMPLE
from tests.extract import deck_text


def make_template(folder: Path) -> Path:
    """A template unlike the default: 16:10, renamed layouts, and a slide of its own."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(12), Inches(7.5)
    for layout in prs.slide_layouts:
        if layout.name == "Title Only":
            layout.name = "House Headline"
    own = prs.slides.add_slide(prs.slide_layouts[0])
    own.shapes.title.text = "TEMPLATE OWN SLIDE"
    path = folder / "house.pptx"
    prs.save(str(path))
    return path


def make_theme(folder: Path) -> Path:
    make_template(folder)
    theme = folder / "house.yaml"
    theme.write_text("name: house\nextends: corporate\ndeck:\n  template: house.pptx\n"
                     "  layouts:\n    section: House Headline\n")
    return theme


def test_a_deck_on_a_template_uses_its_size_and_layouts_and_drops_its_slides(
        tmp_path: Path) -> None:
    theme = make_theme(tmp_path)
    result = build(SAMPLE, theme=str(theme), out=tmp_path / "out")
    deck = Presentation(str(result.outputs["pptx"]))
    assert (deck.slide_width, deck.slide_height) == (Inches(12), Inches(7.5))
    assert "TEMPLATEOWNSLIDE" not in deck_text(result.outputs["pptx"])
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == "Title Slide"
    assert "House Headline" in layouts
    assert len(deck.slides) == result.slides


def test_slide_titles_go_into_the_layout_title_placeholder(tmp_path: Path) -> None:
    theme = make_theme(tmp_path)
    result = build(SAMPLE, theme=str(theme), out=tmp_path / "out")
    deck = Presentation(str(result.outputs["pptx"]))
    titled = [slide for slide in deck.slides if slide.shapes.title is not None]
    assert len(titled) == len(deck.slides) or "Blank" in {s.slide_layout.name for s in deck.slides}
    for slide in titled:
        assert slide.shapes.title.text_frame.text.strip()
        # Besides the title, only the body text, the footer, date and slide number take the
        # layout's placeholders: none is left empty.
        for placeholder in slide.placeholders:
            assert placeholder.shape_id == slide.shapes.title.shape_id or (
                placeholder.placeholder_format.type in (PP.FOOTER, PP.SLIDE_NUMBER, PP.DATE,
                                                        PP.OBJECT, PP.BODY)
                and placeholder.text_frame.text.strip())


def test_a_layout_the_theme_names_is_used_and_a_missing_one_falls_back_with_a_warning(
        tmp_path: Path) -> None:
    theme = make_theme(tmp_path)
    theme.write_text(theme.read_text() + "    summary: No Such Layout\n")
    result = build(SAMPLE, theme=str(theme), out=tmp_path / "out")
    deck = Presentation(str(result.outputs["pptx"]))
    kinds = {slide.slide_layout.name for slide in deck.slides}
    assert {"House Headline", "Title and Content"} <= kinds
    assert [w.split(": ", 1)[1] for w in result.warnings if "No Such Layout" in w] == [
        "template has no layout 'No Such Layout' for summary slides; using 'Title and Content'"]


def test_the_template_look_wins_except_what_the_theme_file_sets(tmp_path: Path) -> None:
    from briefgen.layout.deck.look import deck_roles
    from briefgen.theme.loader import load_theme

    make_template(tmp_path)
    plain = tmp_path / "plain.yaml"
    plain.write_text("name: plain\nextends: corporate\ndeck:\n  template: house.pptx\n")
    own = tmp_path / "own.yaml"
    own.write_text("name: own\nextends: corporate\ncolors:\n  primary: '#7A1F5C'\n"
                   "fonts:\n  deck:\n    body: Arial\ndeck:\n  template: house.pptx\n")
    plain_roles = {role: (value, source) for role, value, source in
                   deck_roles(load_theme(str(plain)))}
    own_roles = {role: (value, source) for role, value, source in
                 deck_roles(load_theme(str(own)))}
    # python-pptx's default template: the Office theme, Calibri, black text on white.
    assert plain_roles["fonts.deck.body"] == ("Calibri", "template")
    assert plain_roles["colors.text"] == ("#000000", "template")
    assert plain_roles["colors.background"] == ("#FFFFFF", "template")
    assert own_roles["colors.primary"] == ("#7A1F5C", "theme")
    assert own_roles["fonts.deck.body"] == ("Arial", "theme")
    assert own_roles["fonts.deck.heading"] == ("Calibri", "template")


def run_looks(path: Path) -> set[tuple[str, str]]:
    """Each (colour, Latin typeface) the deck's text runs are written in."""
    deck = Presentation(str(path))
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    found = set()
    for slide in deck.slides:
        for r_pr in slide._element.iter(f"{a}rPr"):
            fill = r_pr.find(f"{a}solidFill")
            color = fill[0] if fill is not None else None
            latin = r_pr.find(f"{a}latin")
            if color is not None and latin is not None:
                found.add((f"{color.tag.removeprefix(a)}:{color.get('val')}",
                           str(latin.get("typeface"))))
    return found


def test_runs_name_the_templates_theme_except_what_the_theme_file_sets(
        tmp_path: Path) -> None:
    """On the template's theme the body is tx1 in the body font (+mn-lt), titles in the
    heading font (+mj-lt); a colour and a font the theme file sets stay as it says, even
    where they are the template's own (black, Calibri)."""
    make_template(tmp_path)
    plain = tmp_path / "plain.yaml"
    plain.write_text("name: plain\nextends: corporate\ndeck:\n  template: house.pptx\n")
    own = tmp_path / "own.yaml"
    own.write_text("name: own\nextends: corporate\ncolors:\n  text: '#000000'\n"
                   "fonts:\n  deck:\n    body: Calibri\ndeck:\n  template: house.pptx\n")
    on_template = run_looks(build(SAMPLE, theme=str(plain), out=tmp_path / "a").outputs["pptx"])
    on_own = run_looks(build(SAMPLE, theme=str(own), out=tmp_path / "b").outputs["pptx"])
    assert {("schemeClr:tx1", "+mn-lt"), ("schemeClr:tx1", "+mj-lt")} <= on_template
    assert not any(color == "srgbClr:000000" or font == "Calibri" for color, font in on_template)
    assert ("srgbClr:000000", "Calibri") in on_own
    assert not any(color == "schemeClr:tx1" or font == "+mn-lt" for color, font in on_own)


def test_themes_show_prints_the_roles_the_deck_uses_on_its_template(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefgen.cli import app

    theme = make_theme(tmp_path)
    result = CliRunner().invoke(app, ["themes", "show", str(theme)])
    assert result.exit_code == 0, result.output
    assert "# On its template, house.pptx, the deck uses:" in result.output
    assert "#   fonts.deck.heading: Calibri  (template)" in result.output


def test_a_template_that_is_not_a_pptx_or_potx_or_is_missing_is_a_located_error(
        tmp_path: Path) -> None:
    import pytest

    from briefgen.errors import BriefError
    from briefgen.theme.loader import load_theme

    (tmp_path / "house.key").write_bytes(b"not a deck")
    theme = tmp_path / "t.yaml"
    theme.write_text("name: t\nextends: corporate\ndeck:\n  template: house.key\n")
    with pytest.raises(BriefError) as wrong:
        load_theme(str(theme))
    assert [(p.line, p.message) for p in wrong.value.problems] == [
        (4, "template 'house.key' is not a .pptx or .potx file")]
    theme.write_text("name: t\nextends: corporate\ndeck:\n  template: gone.potx\n")
    with pytest.raises(BriefError) as missing:
        load_theme(str(theme))
    assert missing.value.problems[0].message == f"template 'gone.potx' not found in {tmp_path}"
