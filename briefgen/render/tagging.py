"""Tagged PDF (PDF/UA-1) for the memo: marked content on the canvas, the structure tree in
reading order, the parent tree, and the catalog's and pages' entries for accessibility."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from msgspec import Struct, field
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format

from briefgen.render.fonts import has_rtl

# The canvas callback that marks where a link or a run in another language starts and ends
# inside a paragraph, and the token it leaves in the text object until the text is drawn.
SPAN_CALLBACK = "tagspan"
_SPAN_TOKEN = re.compile("\x00(\\d+)\x00")
_SHOWS_TEXT = re.compile(r"\bT[jJ]\b")

# Structure types whose kids are other elements only, never marked content.
_GROUPS = frozenset({"Document", "Sect", "L", "LI", "Table", "THead", "TBody", "TR", "TOC",
                     "TOCI", "BlockQuote", "Div"})


class _Written(PDFObject):  # type: ignore[misc]
    """A PDF dictionary whose values are mostly bytes already written (references, names,
    numbers), laid out as reportlab lays out a dictionary (keys in order, a line break every
    six entries) without its writer, which formats every value of every one of a memo's
    hundreds of structure elements through a chain of type tests."""

    def __init__(self, entries: dict[str, Any]) -> None:
        self.entries = entries

    def format(self, document: Any) -> bytes:
        items = [b"/%s %s" % (key.encode("ascii"), _written(value, document))
                 for key, value in sorted(self.entries.items())]
        for at in reversed(range(6, len(items), 6)):
            items.insert(at, b"\n ")
        return b"<<\n" + b" ".join(items) + b"\n>>"


class _WrittenArray(PDFObject):  # type: ignore[misc]
    """An array of mostly written values, laid out as reportlab lays out an array (a line
    break every ten values)."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values

    def format(self, document: Any) -> bytes:
        items = [_written(value, document) for value in self.values]
        if len(items) > 10:
            for at in reversed(range(10, len(items), 10)):
                items.insert(at, b"\n ")
        return b"[ " + b" ".join(items) + b" ]"


def _written(value: Any, document: Any) -> bytes:
    return value if isinstance(value, bytes) else pdf_format(value, document)


class Element(Struct, eq=False):
    """A structure element: its type, attributes and kids (elements, marked-content ids on a
    page as (page, mcid), or annotations as ("annot", key, reference))."""

    tag: str
    parent: Element | None = None
    alt: str | None = None
    lang: str | None = None
    scope: str | None = None  # a TH's: Column or Row
    label: str | None = None  # what a link in it leads to, for the link's description
    kids: list[Any] = field(default_factory=list)

    def add(self, tag: str, **attributes: Any) -> Element:
        kid = Element(tag, self, **attributes)
        self.kids.append(kid)
        return kid


class Tagger:
    """Marks what the memo draws: content as a marked-content sequence of its structure
    element, everything else as an artifact; writes the structure tree on saving."""

    def __init__(self, language: str, title: str, author: str, date: str) -> None:
        self.language, self.title, self.author, self.date = language, title, author, date
        self.root = Element("Document")
        self.marks: dict[int, list[Element]] = {}  # page → element of each MCID
        self.annotations: list[tuple[int, Element]] = []  # parent-tree key → Link element
        self.open: list[Element] = []
        self.artifacts = 0  # how deep inside artifacts the canvas is
        # Flowables drawn once (drawn again, they repeat), without keeping them alive.
        self.drawn: weakref.WeakSet[Any] = weakref.WeakSet()
        # Inside the paragraph being drawn: the spans open, innermost last, the links made so
        # far (for their annotations), and the element each span token continues with.
        self.spans: dict[int, list[Element]] = {}
        self.links: dict[int, list[Element]] = {}
        # The element before and after each token, and the slot of the text before it.
        self.tokens: list[tuple[Element, Element, list[tuple[int, int]]]] = []
        self.text_element: Element | None = None  # the paragraph spans_of is drawing
        # Where each link's text starts and ends on the page, on its baseline.
        self.starts: dict[int, tuple[float, float]] = {}
        self.ends: dict[int, tuple[float, float]] = {}

    def repeats(self, flowable: Any) -> bool:
        """Whether a flowable is drawn a second time (a table header repeated on a page)."""
        if flowable in self.drawn:
            return True
        self.drawn.add(flowable)
        return False

    def begin(self, canvas: Any, element: Element, text: str | None = None) -> None:
        """Open a marked-content sequence of `element`; `text`, when given, is what it reads
        as, in logical order: it sets the element's language where its script is not the
        memo's."""
        if self.artifacts:
            return
        if text and element.lang is None:
            element.lang = language_of(text, self.language) or ""
        page = canvas.getPageNumber() - 1
        marks = self.marks.setdefault(page, [])
        mcid = len(marks)
        marks.append(element)
        element.kids.append((page, mcid))
        self.open.append(element)
        # Right-to-left text is drawn shaped and in visual order: it reads back from its
        # ActualText, in the order written. Other text reads back from its glyphs.
        actual = f" /ActualText <FEFF{_utf16_hex(text)}>" if text and has_rtl(text) else ""
        canvas._code.append(f"/{_content_tag(element.tag)} <</MCID {mcid}{actual}>> BDC")

    def end(self, canvas: Any) -> None:
        if self.artifacts:
            return
        self.open.pop()
        canvas._code.append("EMC")

    @contextmanager
    def content(self, canvas: Any, element: Element | None, text: str | None = None
                ) -> Iterator[None]:
        """Draw inside a marked-content sequence of `element`, or as an artifact if None."""
        if element is None:
            with self.artifact(canvas):
                yield
            return
        self.begin(canvas, element, text)
        try:
            yield
        finally:
            self.end(canvas)

    @contextmanager
    def artifact(self, canvas: Any, kind: str = "") -> Iterator[None]:
        """Draw as an artifact: page furniture (`kind` Pagination), rules, backgrounds."""
        if not self.artifacts:
            properties = f" <</Type /{kind}>> BDC" if kind else " BMC"
            canvas._code.append("/Artifact" + properties)
        self.artifacts += 1
        try:
            yield
        finally:
            self.artifacts -= 1
            if not self.artifacts:
                canvas._code.append("EMC")

    @contextmanager
    def inside(self, element: Element | None) -> Iterator[None]:
        """Links made here belong to `element`, whose content was marked elsewhere."""
        if element is not None:
            self.open.append(element)
        try:
            yield
        finally:
            if element is not None:
                self.open.pop()

    @contextmanager
    def spans_of(self, canvas: Any, element: Element) -> Iterator[None]:
        """Draw a paragraph whose links and runs in other languages are elements of their
        own: its text is marked piece by piece as it is drawn (see spanned), and the rest,
        its underlines, is an artifact."""
        self.text_element = element
        canvas._code.append("/Artifact BMC")
        try:
            yield
        finally:
            canvas._code.append("EMC")
            self.text_element = None

    @contextmanager
    def out_of_artifact(self, canvas: Any) -> Iterator[None]:
        """Draw marked content in the middle of a paragraph drawn by spans_of."""
        canvas._code.append("EMC")
        try:
            yield
        finally:
            canvas._code.append("/Artifact BMC")

    def span(self, canvas: Any, _kind: str, label: str) -> None:
        """The callback of a span marker (see span_marked): open a Link or a Span with its
        /Lang under the paragraph's element, or close the innermost one, and leave a token in
        the text object where its marked content changes."""
        base = self.text_element
        if base is None:  # drawn as an artifact: a repeated table header
            return
        stack = self.spans.setdefault(id(base), [])
        before = stack[-1] if stack else base
        # Where the text before this point goes among `before`'s kids: ahead of what opens here.
        slot: list[tuple[int, int]] = []
        before.kids.append(slot)
        info = canvas._curr_tx_info
        here = canvas.absolutePosition(info["cur_x"], info["cur_y"])
        if label == "/":
            if not stack:
                return
            closed = stack.pop()
            if closed.tag == "Link":
                self.ends[id(closed)] = here
        else:
            kind, _, value = label.partition(" ")
            if kind == "link":
                element = before.add("Link", label=value)
                self.links.setdefault(id(base), []).append(element)
                self.starts[id(element)] = here
            else:
                element = before.add("Span", lang=value)
            stack.append(element)
        info["tx"]._code.append(f"\x00{len(self.tokens)}\x00")
        self.tokens.append((before, stack[-1] if stack else base, slot))

    def spanned(self, canvas: Any, code: str) -> str | None:
        """A text object of the paragraph spans_of draws, with its pieces marked: each stretch
        of text between two tokens is a sequence of the element it belongs to. None outside
        spans_of: the text is marked as a whole by its drawer."""
        base = self.text_element
        if base is None:
            return None
        stack = self.spans.get(id(base), [])
        pieces = _SPAN_TOKEN.split(code)
        current = self.tokens[int(pieces[1])][0] if len(pieces) > 1 else (
            stack[-1] if stack else base)
        page = canvas.getPageNumber() - 1
        out: list[str] = []
        for n, piece in enumerate(pieces):
            if n % 2:
                current = self.tokens[int(piece)][1]
                continue
            slot = self.tokens[int(pieces[n + 1])][2] if n + 1 < len(pieces) else current.kids
            head = tail = ""
            if n == 0:  # "BT" and the text state come before any marked content
                head, bt, piece = piece.partition("BT")
                head += bt
            if n == len(pieces) - 1:
                piece, et, tail = piece.rpartition("ET")
                tail = et + tail
            if _SHOWS_TEXT.search(piece):
                piece = f"{self._sequence(page, current, slot)} {piece} EMC"
            out.append(f"{head} {piece} {tail}")
        if not stack:  # the paragraph ended: its spans are done
            self.spans.pop(id(base), None)
            self.links.pop(id(base), None)
        return "EMC " + " ".join(out) + "\n/Artifact BMC"

    def _sequence(self, page: int, element: Element, slot: list[Any]) -> str:
        """Begin a marked-content sequence of `element` on `page`, kept in `slot` among the
        element's kids: its BDC operator."""
        marks = self.marks.setdefault(page, [])
        mcid = len(marks)
        marks.append(element)
        slot.append((page, mcid))
        return f"/{_content_tag(element.tag)} <</MCID {mcid}>> BDC"

    def annotation(self, annotation: Any, reference: Any) -> None:
        """Tie a link annotation to its Link element (the span of the link's text, or a new
        one under the element being drawn), and give it the description a screen reader
        announces: the address, or the entry it belongs to."""
        parent = self.text_element or (self.open[-1] if self.open else self.root)
        address = _address(annotation)
        links = self.links.get(id(parent), [])
        # The link to that address whose text the annotation covers (reportlab makes one per
        # line a link is on); or the element itself, a link whose content was marked
        # elsewhere (a page number in the contents).
        same = [link for link in links if link.label == address]
        link = next((link for link in same if self._covers(link, annotation)),
                    same[-1] if same else links[-1] if links and address == "Link" else None)
        if link is None and parent.tag == "Link":
            link = parent
        contents = parent.label or (link.label if link and link.label else address)
        if link is None:
            link = parent.add("Link")
        key = len(self.annotations)  # numbered after the pages once their count is known
        self.annotations.append((key, link))
        link.kids.append(("annot", key, (annotation, reference)))
        _set(annotation, "Contents", PDFString(contents))

    def _covers(self, link: Element, annotation: Any) -> bool:
        """Whether an annotation's rectangle is on the text of a link: on a line from the
        link's first to its last, right of its start on the first, left of its end on the
        last."""
        rect = annotation.dict.get("Rect") if isinstance(annotation, PDFDictionary) else None
        if rect is None:
            return False
        x1, y1, x2, y2 = (float(v) for v in rect.sequence)
        x_start, y_start = self.starts[id(link)]
        x_end, y_end = self.ends.get(id(link), (float("inf"), float("-inf")))
        if y1 > y_start or y2 < y_end:
            return False
        if y1 <= y_start <= y2 and x2 <= x_start:
            return False
        return not (y1 <= y_end <= y2 and x1 >= x_end)

    def finish(self, canvas: Any) -> None:
        """Write the structure tree, parent tree, MarkInfo, XMP metadata and page entries."""
        doc = canvas._doc
        pages = doc.Pages.pages
        object_numbers = doc.idToObjectNumberAndVersion

        def formatted(reference: PDFObjectReference) -> bytes:
            # A reference as reportlab writes it, written now: the numbers are given out, and
            # formatting hundreds of elements' references one by one is most of the saving.
            return b"%d %d R" % object_numbers[reference.name]

        refs: dict[int, bytes] = {}
        references = [formatted(doc.Reference(page)) for page in pages]
        annotation_keys = {key: len(pages) + n for n, (key, _) in enumerate(self.annotations)}

        def ref(element: Element) -> bytes:
            return refs[id(element)]

        order: list[Element] = []

        def walk(element: Element) -> None:
            order.append(element)
            for kid in element.kids:
                if isinstance(kid, Element):
                    walk(kid)

        walk(self.root)
        dictionaries = {id(e): _Written({}) for e in order}
        for element in order:
            refs[id(element)] = formatted(doc.Reference(dictionaries[id(element)]))
        tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        tree_ref = doc.Reference(tree_root)
        root_ref = formatted(tree_ref)
        for element in order:
            d = dictionaries[id(element)].entries
            d["Type"] = b"/StructElem"
            d["S"] = b"/" + element.tag.encode("ascii")
            d["P"] = ref(element.parent) if element.parent else root_ref
            kids: list[Any] = []
            page_of = None
            for kid in _flat(element.kids):
                if isinstance(kid, Element):
                    kids.append(ref(kid))
                elif kid[0] == "annot":
                    _, key, (annotation, reference) = kid
                    _set(annotation, "StructParent", annotation_keys[key])
                    kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": reference}))
                else:
                    page, mcid = kid
                    if page_of is None:
                        page_of = page
                    kids.append(b"%d" % mcid if page == page_of else PDFDictionary(
                        {"Type": PDFName("MCR"), "Pg": references[page], "MCID": mcid}))
            if page_of is not None:
                d["Pg"] = references[page_of]
            d["K"] = kids[0] if len(kids) == 1 else _WrittenArray(kids)  # one kid goes alone
            if element.alt is not None:
                d["Alt"] = PDFString(element.alt)
            if element.lang:
                d["Lang"] = PDFString(element.lang)
            if element.scope:
                d["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(element.scope)})
        numbers: list[Any] = []
        for page in range(len(pages)):
            numbers += [page, PDFArray([ref(e) for e in self.marks.get(page, [])])]
        for key, link in self.annotations:
            numbers += [annotation_keys[key], ref(link)]
        tree_root["K"] = PDFArray([ref(self.root)])
        tree_root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(numbers)}))
        tree_root["ParentTreeNextKey"] = len(pages) + len(self.annotations)
        catalog = doc.Catalog
        catalog.StructTreeRoot = tree_ref
        catalog.MarkInfo = PDFDictionary({"Marked": b"true"})
        catalog.Metadata = doc.Reference(_xmp(self.title, self.author, self.date,
                                              self.language))
        for n, page in enumerate(pages):
            page.StructParents = n
            page.Tabs = PDFName("S")
            page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents", "Tabs"]


def _flat(kids: list[Any]) -> Iterator[Any]:
    """An element's kids, with the slots spans leave among them opened."""
    for kid in kids:
        if isinstance(kid, list):
            yield from kid
        else:
            yield kid


def span_marked(markup: str, kind: str, value: str) -> str:
    """reportlab markup of a paragraph's piece that is its own structure element: a link
    (`kind` "link", `value` its address) or a run in another language ("lang", its code)."""
    return (f'<onDraw name="{SPAN_CALLBACK}" label={quoteattr(f"{kind} {value}")}/>{markup}'
            f'<onDraw name="{SPAN_CALLBACK}" label="/"/>')


def has_spans(lines: Any) -> bool:
    """Whether a paragraph's broken lines (its blPara) mark spans of their own."""
    return lines.kind == 1 and any(
        getattr(getattr(word, "cbDefn", None), "name", "") == SPAN_CALLBACK
        for line in lines.lines for word in line.words)


_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\u1100-\u11ff\uac00-\ud7af]")
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_HEBREW = re.compile("[\u0590-\u05ff]")


def language_of(text: str, document: str) -> str | None:
    """The language of a text written mostly in another script than the document's (the
    Chinese title of a source in an English memo), for its element's /Lang; None when it is
    the document's. Only the script tells: kana is Japanese, Hangul Korean, Han Chinese."""
    if max(text, default="\0") < "\u0590":  # no letter of the scripts counted below
        return None
    letters = sum(ch.isalpha() for ch in text)
    if not letters:
        return None
    found = [(len(_KANA.findall(text)), "ja"), (len(_HANGUL.findall(text)), "ko"),
             (len(_ARABIC.findall(text)), "ar"), (len(_HEBREW.findall(text)), "he")]
    han = len(_HAN.findall(text))
    count, language = max(found)
    if not count and han:
        count, language = han, "zh"
    elif language == "ja":
        count += han  # Japanese writes kanji among its kana
    if count * 2 <= letters or document.split("-")[0].lower() == language:
        return None
    return language


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _address(annotation: Any) -> str:
    """A URI link's address."""
    if isinstance(annotation, PDFDictionary):
        action = annotation.dict.get("A")
        if isinstance(action, PDFDictionary) and "URI" in action.dict:
            return str(action.dict["URI"].s)
    return "Link"


def _set(annotation: Any, key: str, value: Any) -> None:
    """Set an entry of an annotation, a dictionary (a URI link) or reportlab's LinkAnnotation."""
    if isinstance(annotation, PDFDictionary):
        annotation[key] = value
    elif key == "Contents":
        annotation.Contents = value
    else:
        if key not in annotation.permitted:  # reportlab's list predates tagged PDF
            annotation.permitted = (*annotation.permitted, key)
        annotation.otherkw[key] = value


def _content_tag(tag: str) -> str:
    """The tag of a marked-content sequence: its element's type (a group is never marked)."""
    return "Span" if tag in _GROUPS else tag


def _xmp(title: str, author: str, date: str, lang: str) -> PDFStream:
    """XMP metadata: Dublin Core title, creator and language, the dates, and PDF/UA-1."""
    day = date + ("-01" if len(date) == 7 else "")
    creator = (f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq>"
               "</dc:creator>") if author else ""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>'
        f"</dc:title>{creator}"
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        f"<xmp:CreateDate>{day}</xmp:CreateDate><xmp:ModifyDate>{day}</xmp:ModifyDate>"
        "<xmp:CreatorTool>briefgen</xmp:CreatorTool><pdf:Producer>briefgen</pdf:Producer>"
        "<pdfuaid:part>1</pdfuaid:part>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>')
    stream = PDFStream(content=packet.encode("utf-8"), filters=[])
    stream.dictionary["Type"] = PDFName("Metadata")
    stream.dictionary["Subtype"] = PDFName("XML")
    return stream
