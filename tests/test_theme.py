"""Themes: found by name or path, merged through extends, validated with located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.theme.loader import available, load_theme


def error_lines(excinfo: pytest.ExceptionInfo[BriefError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def theme_errors(theme: Path, text: str) -> list[str]:
    """Write a theme file and return the problems loading it reports."""
    theme.write_text(text)
    with pytest.raises(BriefError) as excinfo:
        load_theme(str(theme))
    return error_lines(excinfo)


def test_the_three_built_in_themes_load() -> None:
    assert {"corporate", "midnight", "print"} <= set(available())
    looks = {name: load_theme(name) for name in ("corporate", "midnight", "print")}
    assert len({t.colors.background for t in looks.values()}) == 2
    assert looks["print"].deck.aspect == "4:3"
    assert looks["print"].memo.page == "Letter"


def test_an_unknown_theme_name_lists_the_available_ones() -> None:
    with pytest.raises(BriefError) as excinfo:
        load_theme("neon")
    assert error_lines(excinfo) == [
        "neon: unknown theme 'neon' — available themes: " + ", ".join(available())]


def test_a_theme_file_extends_a_built_in_theme_and_overrides_only_what_it_names(
        tmp_path: Path) -> None:
    theme = tmp_path / "house.yaml"
    theme.write_text('name: house\nextends: corporate\ncolors:\n  primary: "#5B2A86"\n')
    loaded = load_theme(str(theme))
    assert loaded.colors.primary == "5B2A86"
    assert loaded.colors.text == load_theme("corporate").colors.text


def test_a_theme_is_read_again_only_when_one_of_its_files_changes(tmp_path: Path) -> None:
    # A batch or watch loads the theme for every build; a change to the theme or to the
    # parent it extends, even one of the same length written at once, is seen.
    parent, child = tmp_path / "parent.yaml", tmp_path / "child.yaml"
    parent.write_text('name: parent\nextends: corporate\ncolors:\n  accent: "#1F6F50"\n')
    child.write_text(f'name: child\nextends: {parent}\ncolors:\n  primary: "#5B2A86"\n')
    first = load_theme(str(child))
    assert load_theme(str(child)) is first
    child.write_text(f'name: child\nextends: {parent}\ncolors:\n  primary: "#2A5B86"\n')
    second = load_theme(str(child))
    assert second.colors.primary == "2A5B86"
    parent.write_text('name: parent\nextends: corporate\ncolors:\n  accent: "#6F1F50"\n')
    assert load_theme(str(child)).colors.accent == "6F1F50"


def test_themes_that_extend_each_other_are_reported_as_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(f"name: a\nextends: {tmp_path / 'b.yaml'}\n")
    (tmp_path / "b.yaml").write_text(f"name: b\nextends: {tmp_path / 'a.yaml'}\n")
    with pytest.raises(BriefError) as excinfo:
        load_theme(str(tmp_path / "a.yaml"))
    assert "extend each other in a cycle" in error_lines(excinfo)[0]


def test_a_text_colour_without_enough_contrast_is_a_located_error(tmp_path: Path) -> None:
    theme = tmp_path / "pale.yaml"
    errors = theme_errors(theme, 'name: pale\nextends: corporate\ncolors:\n  text: "#BBBBBB"\n')
    assert errors == [
        f"{theme}:4:3: colors.text: colors.text on colors.background has contrast 1.92:1; "
        "text needs at least 4.5:1 (WCAG AA) — darken or lighten one of the two colours"]


def test_a_bad_colour_and_an_unmeasurable_deck_font_are_located(tmp_path: Path) -> None:
    theme = tmp_path / "bad.yaml"
    errors = theme_errors(theme, "name: bad\nextends: corporate\ncolors:\n  muted: grey\n"
                                 "fonts:\n  deck:\n    body: Comic Sans MS\n")
    assert errors[0] == (f"{theme}:4:10: colors.muted: 'grey' is not a colour — "
                         "write a hex colour like #1F4E79")
    assert errors[1].startswith(f"{theme}:7:11: fonts.deck.body: deck font 'Comic Sans MS' "
                                "has no metrics briefgen can measure — use one of: Arial")


def test_a_dark_theme_must_give_its_memo_paper_colours(tmp_path: Path) -> None:
    theme = tmp_path / "night.yaml"
    errors = theme_errors(theme, 'name: night\nextends: corporate\ncolors:\n'
                          '  background: "#101010"\n  surface: "#202020"\n  text: "#F0F0F0"\n'
                          '  muted: "#B0B0B0"\n  primary: "#80C0FF"\n  on_primary: "#101010"\n'
                          '  accent: "#FFB080"\n')
    assert errors[0].endswith(
        "a dark theme sets memo.colors for the white page")


def test_a_floor_above_its_size_is_an_error(tmp_path: Path) -> None:
    theme = tmp_path / "floor.yaml"
    errors = theme_errors(theme, "name: floor\nextends: corporate\nsizes:\n  deck:\n    body: 16\n"
                                 "    body_floor: 18\n")
    assert errors == [
        f"{theme}:6:5: sizes.deck.body_floor: body_floor 18 is above body 16 — "
        "a floor is the smallest size text may shrink to"]


def test_extends_and_templates_resolve_beside_the_theme_that_names_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_template import make_template

    parent_dir = tmp_path / "brand"
    parent_dir.mkdir()
    make_template(parent_dir)
    (parent_dir / "base.yaml").write_text("name: base\nextends: corporate\ndeck:\n"
                                          "  template: house.pptx\n")
    (tmp_path / "team.yaml").write_text("name: team\nextends: brand/base.yaml\n")
    monkeypatch.chdir(tmp_path.parent)
    theme = load_theme(str(tmp_path / "team.yaml"))
    assert theme.template_info is not None
    assert theme.template_info.path == str((parent_dir / "house.pptx").resolve())


def test_a_misspelt_layout_kind_is_an_error(tmp_path: Path) -> None:
    theme = tmp_path / "lay.yaml"
    errors = theme_errors(theme, "name: lay\nextends: corporate\ndeck:\n  layouts:\n"
                                 "    sectoin: X\n")
    assert "deck.layouts.sectoin" in errors[0]


def test_a_theme_logo_stands_on_every_slide_clear_of_the_title(tmp_path: Path) -> None:
    from PIL import Image

    from briefgen.brief.loader import load_brief
    from briefgen.layout.deck import plan_deck
    from tests.conftest import SAMPLE

    Image.new("RGB", (300, 100), "navy").save(tmp_path / "logo.png")
    theme_file = tmp_path / "brand.yaml"
    theme_file.write_text("name: brand\nextends: corporate\nlogo: logo.png\n")
    deck, _ = plan_deck(load_brief(SAMPLE), load_theme(str(theme_file)))
    for slide in deck.slides:
        logos = [item for item in slide.items if item.name == "Logo"]
        assert len(logos) == 1
        titles = [item for item in slide.items if item.name == "Title"]
        logo = logos[0]
        assert all(t.x + t.w <= logo.x or t.y >= logo.y + logo.h or t.y + t.h <= logo.y
                   for t in titles)


def test_a_logo_that_is_not_an_image_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("not an image")
    theme_file = tmp_path / "brand.yaml"
    errors = theme_errors(theme_file, "name: brand\nextends: corporate\nlogo: logo.png\n")
    assert errors == [
        f"{theme_file}:3:7: logo: logo 'logo.png' is not a PNG or JPEG file — "
        "convert it to PNG or JPEG"]


def test_a_logo_that_claims_too_many_pixels_gets_the_error_a_brief_image_gets(
        tmp_path: Path) -> None:
    from tests.test_hostile import png

    png(tmp_path / "logo.png", 20_000, 20_000)  # 400 megapixels claimed by a few bytes
    theme_file = tmp_path / "brand.yaml"
    errors = theme_errors(theme_file, "name: brand\nextends: corporate\nlogo: logo.png\n")
    assert errors == [
        f"{theme_file}:3:7: logo: logo 'logo.png' is over 178 megapixels, more than the 25 "
        "megapixels allowed — scale it down; a slide or a page needs at most about 4000 "
        "pixels across"]


def test_a_template_named_relative_to_a_theme_in_another_folder_is_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_template import make_template

    brand = tmp_path / "brand"
    brand.mkdir()
    make_template(brand)
    (brand / "acme.yaml").write_text("name: acme\nextends: corporate\ndeck:\n"
                                     "  template: house.pptx\n")
    monkeypatch.chdir(tmp_path)
    theme = load_theme("brand/acme.yaml")
    assert theme.template_info is not None
    assert theme.template_info.path == str((brand / "house.pptx").resolve())


def test_the_memo_shows_the_theme_logo_in_its_running_header(tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    from briefgen.build import build
    from tests.conftest import FIXTURES

    Image.new("RGB", (300, 100), "navy").save(tmp_path / "logo.png")
    theme_file = tmp_path / "brand.yaml"
    theme_file.write_text("name: brand\nextends: corporate\nlogo: logo.png\n")
    memo = build(FIXTURES / "every-block.yaml", theme=str(theme_file), out=tmp_path / "out",
                 formats=["pdf"]).outputs["pdf"]
    for page in PdfReader(str(memo)).pages:
        images = page.images
        assert any(image.image is not None and image.image.size == (300, 100)
                   for image in images)


def test_a_theme_named_in_the_themes_folder_that_is_a_symlink_loop_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "loop.yaml").symlink_to("loop.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BriefError) as excinfo:
        load_theme("loop")
    assert "leads back to itself" in error_lines(excinfo)[0]
