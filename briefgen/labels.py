"""Localised fixed words the deck and memo print, BCP-47 fallback, dates and CJK line-break sets."""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from msgspec import Struct

LABEL_KEYS: Final[tuple[str, ...]] = (
    "to",
    "from",
    "date",
    "subject",
    "classification",
    "bottom_line",
    "key_points",
    "contents",
    "agenda",
    "executive_summary",
    "continued",
    "continued_more",
    "risks",
    "likelihood",
    "impact",
    "low",
    "medium",
    "high",
    "verdict",
    "predictions",
    "prediction",
    "horizon",
    "confidence",
    "signal",
    "conclusion",
    "sources",
    "page",
    "slide",
    "name",
    "role",
    "organisation",
    "note",
    "source",
    "takeaway",
    "table",
    "chart",
    "memo",
    "likelihood_axis",
    "impact_axis",
    "risk",
    "number_sign",
    "prepared_by",
)

_EN: Final[dict[str, str]] = {
    "to": "To",
    "from": "From",
    "date": "Date",
    "subject": "Subject",
    "classification": "Classification",
    "bottom_line": "Bottom line",
    "key_points": "Key points",
    "contents": "Contents",
    "agenda": "Agenda",
    "executive_summary": "Executive summary",
    "continued": "{title} (cont.)",
    "continued_more": "{title} (cont. {number})",
    "risks": "Risks",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "verdict": "Verdict",
    "predictions": "Predictions",
    "prediction": "Prediction",
    "horizon": "Horizon",
    "confidence": "Confidence",
    "signal": "Signal to watch",
    "conclusion": "Conclusion",
    "sources": "Sources",
    "page": "Page {page} of {pages}",
    "slide": "{number} / {total}",
    "name": "Name",
    "role": "Role",
    "organisation": "Organisation",
    "note": "Note",
    "source": "Source: {source}",
    "takeaway": "So what",
    "table": "Table {number}",
    "chart": "Figure {number}",
    "memo": "Memorandum",
    "likelihood_axis": "Likelihood →",
    "impact_axis": "Impact →",
    "risk": "Risk",
    "number_sign": "#",
    "prepared_by": "Prepared by {author}",
}

# Chinese and Japanese labels use full-width brackets, commas and colons, as a native memo would.
_ZH_CN: Final[dict[str, str]] = {
    "to": "致",
    "from": "发件人",
    "date": "日期",
    "subject": "事由",
    "classification": "密级",
    "bottom_line": "核心结论",
    "key_points": "要点",
    "contents": "目录",
    "agenda": "议程",
    "executive_summary": "执行摘要",
    "continued": "{title}（续）",
    "continued_more": "{title}（续{number}）",
    "risks": "风险",
    "likelihood": "可能性",
    "impact": "影响",
    "low": "低",
    "medium": "中",
    "high": "高",
    "verdict": "总体判断",
    "predictions": "预测",
    "prediction": "预测",
    "horizon": "时间范围",
    "confidence": "置信度",
    "signal": "观察信号",
    "conclusion": "结语",
    "sources": "参考资料",
    "page": "第 {page} 页，共 {pages} 页",
    "slide": "{number} / {total}",
    "name": "名称",
    "role": "角色",
    "organisation": "所属机构",
    "note": "注",
    "source": "资料来源：{source}",
    "takeaway": "启示",
    "table": "表 {number}",
    "chart": "图 {number}",
    "memo": "备忘录",
    "likelihood_axis": "可能性 →",
    "impact_axis": "影响 →",
    "risk": "风险",
    "number_sign": "序号",
    "prepared_by": "撰写：{author}",
}

# Taiwan memo headings follow the 公文 convention (受文者 / 發文者 / 主旨 / 密等).
_ZH_TW: Final[dict[str, str]] = {
    "to": "受文者",
    "from": "發文者",
    "date": "日期",
    "subject": "主旨",
    "classification": "密等",
    "bottom_line": "核心結論",
    "key_points": "重點",
    "contents": "目錄",
    "agenda": "議程",
    "executive_summary": "執行摘要",
    "continued": "{title}（續）",
    "continued_more": "{title}（續{number}）",
    "risks": "風險",
    "likelihood": "可能性",
    "impact": "影響",
    "low": "低",
    "medium": "中",
    "high": "高",
    "verdict": "總體判斷",
    "predictions": "預測",
    "prediction": "預測",
    "horizon": "時間範圍",
    "confidence": "信心程度",
    "signal": "觀察訊號",
    "conclusion": "結語",
    "sources": "參考資料",
    "page": "第 {page} 頁，共 {pages} 頁",
    "slide": "{number} / {total}",
    "name": "名稱",
    "role": "角色",
    "organisation": "所屬機構",
    "note": "註",
    "source": "資料來源：{source}",
    "takeaway": "啟示",
    "table": "表 {number}",
    "chart": "圖 {number}",
    "memo": "備忘錄",
    "likelihood_axis": "可能性 →",
    "impact_axis": "影響 →",
    "risk": "風險",
    "number_sign": "編號",
    "prepared_by": "撰稿：{author}",
}

_JA: Final[dict[str, str]] = {
    "to": "宛先",
    "from": "差出人",
    "date": "日付",
    "subject": "件名",
    "classification": "機密区分",
    "bottom_line": "結論",
    "key_points": "要点",
    "contents": "目次",
    "agenda": "アジェンダ",
    "executive_summary": "エグゼクティブサマリー",
    "continued": "{title}（続き）",
    "continued_more": "{title}（続き{number}）",
    "risks": "リスク",
    "likelihood": "発生可能性",
    "impact": "影響度",
    "low": "低",
    "medium": "中",
    "high": "高",
    "verdict": "総合判断",
    "predictions": "予測",
    "prediction": "予測",
    "horizon": "対象期間",
    "confidence": "確度",
    "signal": "注視すべき兆候",
    "conclusion": "まとめ",
    "sources": "出典",
    "page": "{page} / {pages} ページ",
    "slide": "{number} / {total}",
    "name": "名称",
    "role": "役割",
    "organisation": "所属",
    "note": "注",
    "source": "出典：{source}",
    "takeaway": "示唆",
    "table": "表 {number}",
    "chart": "図 {number}",
    "memo": "メモ",
    "likelihood_axis": "発生可能性 →",
    "impact_axis": "影響度 →",
    "risk": "リスク",
    "number_sign": "No.",
    "prepared_by": "作成：{author}",
}

_KO: Final[dict[str, str]] = {
    "to": "수신",
    "from": "발신",
    "date": "일자",
    "subject": "제목",
    "classification": "보안 등급",
    "bottom_line": "핵심 결론",
    "key_points": "주요 내용",
    "contents": "목차",
    "agenda": "안건",
    "executive_summary": "요약",
    "continued": "{title} (계속)",
    "continued_more": "{title} (계속 {number})",
    "risks": "리스크",
    "likelihood": "발생 가능성",
    "impact": "영향도",
    "low": "낮음",
    "medium": "보통",
    "high": "높음",
    "verdict": "종합 판단",
    "predictions": "전망",
    "prediction": "전망",
    "horizon": "전망 기간",
    "confidence": "신뢰도",
    "signal": "주시할 신호",
    "conclusion": "맺음말",
    "sources": "참고 자료",
    "page": "{pages}쪽 중 {page}쪽",
    "slide": "{number} / {total}",
    "name": "이름",
    "role": "역할",
    "organisation": "소속",
    "note": "참고",
    "source": "출처: {source}",
    "takeaway": "시사점",
    "table": "표 {number}",
    "chart": "그림 {number}",
    "memo": "메모",
    "likelihood_axis": "발생 가능성 →",
    "impact_axis": "영향도 →",
    "risk": "리스크",
    "number_sign": "번호",
    "prepared_by": "작성자: {author}",
}

_DE: Final[dict[str, str]] = {
    "to": "An",
    "from": "Von",
    "date": "Datum",
    "subject": "Betreff",
    "classification": "Einstufung",
    "bottom_line": "Das Wichtigste in Kürze",
    "key_points": "Kernpunkte",
    "contents": "Inhalt",
    "agenda": "Agenda",
    "executive_summary": "Zusammenfassung",
    "continued": "{title} (Forts.)",
    "continued_more": "{title} (Forts. {number})",
    "risks": "Risiken",
    "likelihood": "Eintrittswahrscheinlichkeit",
    "impact": "Auswirkung",
    "low": "Niedrig",
    "medium": "Mittel",
    "high": "Hoch",
    "verdict": "Gesamturteil",
    "predictions": "Prognosen",
    "prediction": "Prognose",
    "horizon": "Zeithorizont",
    "confidence": "Aussagesicherheit",
    "signal": "Frühindikator",
    "conclusion": "Fazit",
    "sources": "Quellen",
    "page": "Seite {page} von {pages}",
    "slide": "{number} / {total}",
    "name": "Name",
    "role": "Rolle",
    "organisation": "Organisation",
    "note": "Anmerkung",
    "source": "Quelle: {source}",
    "takeaway": "Was daraus folgt",
    "table": "Tabelle {number}",
    "chart": "Abbildung {number}",
    "memo": "Vermerk",
    "likelihood_axis": "Eintrittswahrscheinlichkeit →",
    "impact_axis": "Auswirkung →",
    "risk": "Risiko",
    "number_sign": "Nr.",
    # "Veröffentlicht am" would misread before a month-only date ("am April 2026").
    "prepared_by": "Erstellt von {author}",
}

# French typography puts a no-break space before the colon.
_FR: Final[dict[str, str]] = {
    "to": "À",
    "from": "De",
    "date": "Date",
    "subject": "Objet",
    "classification": "Classification",
    "bottom_line": "L’essentiel",
    "key_points": "Points clés",
    "contents": "Sommaire",
    "agenda": "Ordre du jour",
    "executive_summary": "Synthèse",
    "continued": "{title} (suite)",
    "continued_more": "{title} (suite {number})",
    "risks": "Risques",
    "likelihood": "Probabilité",
    "impact": "Impact",
    "low": "Faible",
    "medium": "Moyen",
    "high": "Élevé",
    "verdict": "Appréciation d’ensemble",
    "predictions": "Prévisions",
    "prediction": "Prévision",
    "horizon": "Horizon",
    "confidence": "Degré de confiance",
    "signal": "Indicateur à surveiller",
    "conclusion": "Conclusion",
    "sources": "Sources",
    "page": "Page {page} sur {pages}",
    "slide": "{number} / {total}",
    "name": "Nom",
    "role": "Rôle",
    "organisation": "Organisation",
    "note": "Remarque",
    "source": "Source\u00a0: {source}",
    "takeaway": "À retenir",
    "table": "Tableau {number}",
    "chart": "Figure {number}",
    "memo": "Note",
    "likelihood_axis": "Probabilité →",
    "impact_axis": "Impact →",
    "risk": "Risque",
    "number_sign": "N°",
    # "Publié le" would misread before a month-only date ("le avril 2026").
    "prepared_by": "Rédigé par {author}",
}

_ES: Final[dict[str, str]] = {
    "to": "Para",
    "from": "De",
    "date": "Fecha",
    "subject": "Asunto",
    "classification": "Clasificación",
    "bottom_line": "Conclusión principal",
    "key_points": "Puntos clave",
    "contents": "Índice",
    "agenda": "Orden del día",
    "executive_summary": "Resumen ejecutivo",
    "continued": "{title} (cont.)",
    "continued_more": "{title} (cont. {number})",
    "risks": "Riesgos",
    "likelihood": "Probabilidad",
    "impact": "Impacto",
    "low": "Bajo",
    "medium": "Medio",
    "high": "Alto",
    "verdict": "Valoración general",
    "predictions": "Previsiones",
    "prediction": "Previsión",
    "horizon": "Horizonte",
    "confidence": "Grado de confianza",
    "signal": "Indicador a vigilar",
    "conclusion": "Conclusión",
    "sources": "Fuentes",
    "page": "Página {page} de {pages}",
    "slide": "{number} / {total}",
    "name": "Nombre",
    "role": "Función",
    "organisation": "Organización",
    "note": "Nota",
    "source": "Fuente: {source}",
    "takeaway": "Implicaciones",
    "table": "Tabla {number}",
    "chart": "Figura {number}",
    "memo": "Memorando",
    "likelihood_axis": "Probabilidad →",
    "impact_axis": "Impacto →",
    "risk": "Riesgo",
    "number_sign": "N.º",
    # "Publicado el" would misread before a month-only date ("el abril de 2026").
    "prepared_by": "Elaborado por {author}",
}

CATALOGUE: Final[dict[str, dict[str, str]]] = {
    "en": _EN,
    "zh-CN": _ZH_CN,
    "zh-TW": _ZH_TW,
    "ja": _JA,
    "ko": _KO,
    "de": _DE,
    "fr": _FR,
    "es": _ES,
}

_FALLBACK_LANGUAGE: Final = "en"
_BY_LOWER: Final[dict[str, str]] = {language.lower(): language for language in CATALOGUE}
_TRADITIONAL_REGIONS: Final = frozenset({"tw", "hk", "mo"})


def resolve_language(tag: str) -> tuple[str, bool]:
    """Map a BCP-47 tag to a catalogue language; False means nothing matched and English is used."""
    normalised = tag.strip().replace("_", "-").lower()
    if normalised in _BY_LOWER:
        return _BY_LOWER[normalised], True
    subtags = normalised.split("-")
    primary, rest = subtags[0], subtags[1:]
    if primary == "zh":
        # The script subtag decides over the region: zh-Hant-CN is still traditional.
        if "hant" in rest:
            return "zh-TW", True
        if "hans" in rest:
            return "zh-CN", True
        if _TRADITIONAL_REGIONS.intersection(rest):
            return "zh-TW", True
        return "zh-CN", True
    if primary in _BY_LOWER:
        return _BY_LOWER[primary], True
    return _FALLBACK_LANGUAGE, False


class Labels(Struct, frozen=True):
    """The label texts for one catalogue language, with any brief overrides applied."""

    language: str
    texts: Mapping[str, str]

    def get(self, key: str) -> str:
        """The raw text for key, placeholders unfilled; KeyError for a key not in LABEL_KEYS."""
        return self.texts[key]

    def format(self, key: str, **values: object) -> str:
        """The text for key with its {placeholders} filled from values."""
        return self.texts[key].format(**values)


def labels_for(
    language_tag: str, overrides: Mapping[str, str] | None = None
) -> tuple[Labels, list[str]]:
    """Labels for a brief's language tag, plus warnings about any fallback to English."""
    language, found = resolve_language(language_tag)
    warnings: list[str] = []
    if not found:
        warnings.append(f"language {language_tag!r} has no label catalogue; using English labels")
    texts = dict(CATALOGUE[language])
    for key, text in (overrides or {}).items():
        if key not in texts:
            raise KeyError(f"unknown label key {key!r}")
        texts[key] = text
    return Labels(language=language, texts=MappingProxyType(texts)), warnings


def placeholders(text: str) -> frozenset[str]:
    """The names of the {placeholders} in a label text."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


_MONTHS: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
}  # fmt: skip

# [0-9] rather than \d, which would also accept non-ASCII digits.
_DATE_RE: Final = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")


def format_date(value: str, language: str) -> str:
    """An ISO date (YYYY-MM-DD) or month (YYYY-MM) written out as a reader of language expects."""
    if language not in CATALOGUE:
        raise KeyError(f"no date format for language {language!r}")
    match = _DATE_RE.fullmatch(value)
    if match is None:
        raise ValueError(f"not an ISO date (YYYY-MM-DD) or month (YYYY-MM): {value!r}")
    year, month = int(match[1]), int(match[2])
    day = int(match[3]) if match[3] is not None else None
    try:
        datetime.date(year, month, 1 if day is None else day)
    except ValueError as exc:
        raise ValueError(f"not a real date: {value!r}") from exc

    if language in ("zh-CN", "zh-TW", "ja"):
        return f"{year}年{month}月" if day is None else f"{year}年{month}月{day}日"
    if language == "ko":
        return f"{year}년 {month}월" if day is None else f"{year}년 {month}월 {day}일"
    name = _MONTHS[language][month - 1]
    if day is None:
        return f"{name} de {year}" if language == "es" else f"{name} {year}"
    if language == "de":
        return f"{day}. {name} {year}"
    if language == "fr":
        return f"{'1er' if day == 1 else day} {name} {year}"
    if language == "es":
        return f"{day} de {name} de {year}"
    return f"{day} {name} {year}"


# Kinsoku shori: characters a CJK line may not start with ...
NO_LINE_START: Final[frozenset[str]] = frozenset(
    "，。、」』）！？：；》〉】〕〗〙〛｝］"  # CJK closing punctuation
    ",.!?:;)]}"  # ASCII relatives
    "！？．，：；）］｝"  # full-width forms
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"  # small kana
    "ー々・ゝゞヽヾ"  # prolonged sound mark, iteration marks, middle dot
    "”’"  # closing quotes
)

# ... and may not end with.
NO_LINE_END: Final[frozenset[str]] = frozenset(
    "（「『《〈【〔〖〘〚｛［“‘"  # CJK and full-width opening punctuation
    "([{"  # ASCII relatives
)


class Punctuation(Struct, frozen=True):
    """The separators and quote marks the outputs put between user texts, per language."""

    colon: str  # between a label and its text: "Table 1: Title"
    comma: str  # between the parts of a reference: "Publisher, 2026"
    period: str  # between the sentences of a reference: "Title. Publisher"
    semicolon: str  # between items of a list of names
    quotes: tuple[str, str]


_PUNCTUATION: Final[dict[str, Punctuation]] = {
    "en": Punctuation(": ", ", ", ". ", "; ", ("“", "”")),
    "de": Punctuation(": ", ", ", ". ", "; ", ("„", "“")),
    "fr": Punctuation("\u00a0: ", ", ", ". ", "\u00a0; ", ("«\u00a0", "\u00a0»")),
    "es": Punctuation(": ", ", ", ". ", "; ", ("«", "»")),
    "ko": Punctuation(": ", ", ", ". ", "; ", ("“", "”")),
    "zh-CN": Punctuation("：", "，", "。", "；", ("“", "”")),
    "zh-TW": Punctuation("：", "，", "。", "；", ("「", "」")),
    "ja": Punctuation("：", "、", "。", "、", ("「", "」")),
}


def punctuation(language: str) -> Punctuation:
    """Separators and quote marks for a catalogue language."""
    return _PUNCTUATION[language]
