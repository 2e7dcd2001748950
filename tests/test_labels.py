"""Tests for briefgen.labels: catalogue completeness, language fallback, overrides, dates."""

# Full-width punctuation in expected strings is intended.

from __future__ import annotations

import pytest

from briefgen.labels import (
    CATALOGUE,
    LABEL_KEYS,
    NO_LINE_END,
    NO_LINE_START,
    Labels,
    format_date,
    labels_for,
    placeholders,
    resolve_language,
)

REQUIRED_LANGUAGES = ("en", "zh-CN", "zh-TW", "ja", "ko", "de", "fr", "es")


def test_label_keys_are_unique() -> None:
    assert len(LABEL_KEYS) == len(set(LABEL_KEYS)) == 42


def test_catalogue_covers_the_required_languages() -> None:
    assert set(REQUIRED_LANGUAGES) <= set(CATALOGUE)


@pytest.mark.parametrize("language", sorted(CATALOGUE))
def test_every_language_has_every_label(language: str) -> None:
    assert set(CATALOGUE[language]) == set(LABEL_KEYS)


@pytest.mark.parametrize("language", sorted(CATALOGUE))
def test_no_label_is_blank(language: str) -> None:
    blank = [key for key, text in CATALOGUE[language].items() if not text.strip()]
    assert blank == []


@pytest.mark.parametrize("language", sorted(CATALOGUE))
def test_every_language_uses_the_same_placeholders_as_english(language: str) -> None:
    mismatched = {
        key: placeholders(CATALOGUE[language][key])
        for key in LABEL_KEYS
        if placeholders(CATALOGUE[language][key]) != placeholders(CATALOGUE["en"][key])
    }
    assert mismatched == {}


def test_english_placeholders_are_the_documented_ones() -> None:
    with_placeholders = {
        key: placeholders(text) for key, text in CATALOGUE["en"].items() if placeholders(text)
    }
    assert with_placeholders == {
        "continued": {"title"},
        "continued_more": {"title", "number"},
        "page": {"page", "pages"},
        "slide": {"number", "total"},
        "source": {"source"},
        "table": {"number"},
        "chart": {"number"},
        "prepared_by": {"author"},
    }


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-GB", "en"),
        ("en_US", "en"),
        ("zh-CN", "zh-CN"),
        ("zh-cn", "zh-CN"),
        ("zh", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("zh-SG", "zh-CN"),
        ("zh-TW", "zh-TW"),
        ("zh-Hant", "zh-TW"),
        ("zh-Hant-TW", "zh-TW"),
        ("zh-HK", "zh-TW"),
        ("ZH-mo", "zh-TW"),
        ("ja-JP", "ja"),
        ("ko-KR", "ko"),
        ("de-AT", "de"),
        ("fr-CA", "fr"),
        ("es-419", "es"),
    ],
)
def test_known_tags_resolve_to_a_catalogue_language(tag: str, expected: str) -> None:
    assert resolve_language(tag) == (expected, True)


@pytest.mark.parametrize("tag", ["tlh", "xx-YY", "pt-BR", ""])
def test_unknown_tags_resolve_to_english_as_not_found(tag: str) -> None:
    assert resolve_language(tag) == ("en", False)


def test_unknown_language_falls_back_to_english_with_a_warning() -> None:
    labels, warnings = labels_for("tlh")
    assert labels.language == "en"
    assert labels.get("bottom_line") == "Bottom line"
    assert warnings == ["language 'tlh' has no label catalogue; using English labels"]


def test_fallback_to_a_related_language_gives_no_warning() -> None:
    labels, warnings = labels_for("zh-Hans-CN")
    assert labels.language == "zh-CN"
    assert labels.get("subject") == "事由"
    assert warnings == []


def test_hong_kong_chinese_gets_traditional_labels() -> None:
    labels, _ = labels_for("zh-HK")
    assert labels.language == "zh-TW"
    assert labels.get("sources") == "參考資料"


def test_austrian_german_gets_german_labels() -> None:
    labels, warnings = labels_for("de-AT")
    assert (labels.language, warnings) == ("de", [])
    assert labels.format("page", page=2, pages=9) == "Seite 2 von 9"


def test_overrides_win_over_the_catalogue() -> None:
    labels, _ = labels_for("en", {"bottom_line": "BLUF", "continued": "{title}, continued"})
    assert labels.get("bottom_line") == "BLUF"
    assert labels.format("continued", title="Risks") == "Risks, continued"
    assert labels.get("subject") == "Subject"


def test_overrides_do_not_leak_into_the_catalogue() -> None:
    labels_for("fr", {"bottom_line": "En bref"})
    assert CATALOGUE["fr"]["bottom_line"] == "L’essentiel"
    assert labels_for("fr")[0].get("bottom_line") == "L’essentiel"


def test_an_unknown_override_key_raises_key_error() -> None:
    with pytest.raises(KeyError):
        labels_for("en", {"bottomline": "BLUF"})


def test_an_unknown_key_raises_key_error() -> None:
    labels, _ = labels_for("en")
    with pytest.raises(KeyError):
        labels.get("nonsense")


def test_labels_cannot_be_changed_after_building() -> None:
    labels, _ = labels_for("en")
    assert isinstance(labels, Labels)
    with pytest.raises(TypeError):
        labels.texts["to"] = "Attn"  # type: ignore[index]


@pytest.mark.parametrize(
    ("language", "key", "values", "expected"),
    [
        ("en", "continued", {"title": "Risks"}, "Risks (cont.)"),
        ("en", "continued_more", {"title": "Risks", "number": 2}, "Risks (cont. 2)"),
        ("en", "page", {"page": 1, "pages": 3}, "Page 1 of 3"),
        ("en", "slide", {"number": 4, "total": 12}, "4 / 12"),
        ("en", "source", {"source": "IMF"}, "Source: IMF"),
        ("en", "table", {"number": 2}, "Table 2"),
        ("en", "chart", {"number": 5}, "Figure 5"),
        ("zh-CN", "continued", {"title": "风险"}, "风险（续）"),
        ("zh-CN", "page", {"page": 1, "pages": 3}, "第 1 页，共 3 页"),
        ("de", "continued", {"title": "Risiken"}, "Risiken (Forts.)"),
        ("fr", "page", {"page": 1, "pages": 3}, "Page 1 sur 3"),
        ("fr", "continued", {"title": "Risques"}, "Risques (suite)"),
        ("es", "page", {"page": 1, "pages": 3}, "Página 1 de 3"),
        ("es", "continued", {"title": "Riesgos"}, "Riesgos (cont.)"),
    ],
)
def test_format_fills_placeholders(
    language: str, key: str, values: dict[str, object], expected: str
) -> None:
    labels, _ = labels_for(language)
    assert labels.format(key, **values) == expected


def test_memo_header_words_match_native_usage() -> None:
    header = ("to", "from", "date", "subject", "classification")
    assert [CATALOGUE["zh-CN"][k] for k in header] == ["致", "发件人", "日期", "事由", "密级"]
    assert [CATALOGUE["ja"][k] for k in header] == ["宛先", "差出人", "日付", "件名", "機密区分"]
    assert [CATALOGUE["de"][k] for k in header] == ["An", "Von", "Datum", "Betreff", "Einstufung"]
    assert [CATALOGUE["fr"][k] for k in header] == ["À", "De", "Date", "Objet", "Classification"]
    spanish = ["Para", "De", "Fecha", "Asunto", "Clasificación"]
    assert [CATALOGUE["es"][k] for k in header] == spanish


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [
        ("en", "15 April 2026", "April 2026"),
        ("zh-CN", "2026年4月15日", "2026年4月"),
        ("zh-TW", "2026年4月15日", "2026年4月"),
        ("ja", "2026年4月15日", "2026年4月"),
        ("ko", "2026년 4월 15일", "2026년 4월"),
        ("de", "15. April 2026", "April 2026"),
        ("fr", "15 avril 2026", "avril 2026"),
        ("es", "15 de abril de 2026", "abril de 2026"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(
    language: str, day: str, month: str
) -> None:
    assert format_date("2026-04-15", language) == day
    assert format_date("2026-04", language) == month


def test_french_writes_the_first_of_the_month_as_1er() -> None:
    assert format_date("2026-04-01", "fr") == "1er avril 2026"
    assert format_date("2026-04-02", "fr") == "2 avril 2026"


def test_dates_drop_leading_zeros() -> None:
    assert format_date("2026-03-05", "en") == "5 March 2026"
    assert format_date("2026-03-05", "de") == "5. März 2026"
    assert format_date("2026-08", "fr") == "août 2026"


@pytest.mark.parametrize(
    "value",
    ["2026", "2026-4-15", "15/04/2026", "2026-13", "2026-02-30", "2026-04-00", "2026-04-15T10:00",
     " 2026-04-15", "２０２６-04-15", ""],
)  # fmt: skip
def test_anything_but_an_iso_date_or_month_raises_value_error(value: str) -> None:
    with pytest.raises(ValueError):
        format_date(value, "en")


def test_a_date_in_an_unknown_language_raises_key_error() -> None:
    with pytest.raises(KeyError):
        format_date("2026-04-15", "tlh")


def test_line_break_sets_keep_closing_and_opening_punctuation_apart() -> None:
    assert NO_LINE_START.isdisjoint(NO_LINE_END)
    assert {"，", "。", "、", "」", "）", "っ", "ー", "々", ",", ")", "”"} <= NO_LINE_START
    assert {"（", "「", "『", "《", "【", "“", "(", "["} <= NO_LINE_END
    assert all(len(char) == 1 for char in NO_LINE_START | NO_LINE_END)
