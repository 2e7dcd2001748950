"""The flow engine: measured pieces packed onto as many slides as they need, split where they
are taller than a slide. Stateless: what it decides and says comes back as values."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from msgspec import Struct
from msgspec.structs import replace

from briefgen.brief.markup import Span
from briefgen.layout import plan
from briefgen.layout.deck.context import GAP, Context
from briefgen.layout.deck.frame import (
    Frame,
    continued_title,
    frame,
    placeholder_lines,
    title_width,
)
from briefgen.layout.messages import LayoutMessage, note, warning


class Group:
    """Consecutive text pieces of one group are drawn as one text box."""


class Piece(Struct, frozen=True):
    """A measured unit of slide body: text pieces merge into one box, others draw themselves."""

    height: float
    gap: float = GAP
    para: plan.Para | None = None
    group: Group | None = None
    draw: Callable[[float, float, float, float], list[plan.Item]] | None = None
    keep_with_next: bool = False
    # Given the room left, returns the part that fits (or None) and the rest (or None).
    split: Callable[[float], tuple[Piece | None, Piece | None]] | None = None
    min_head: float = 0.0
    flexible: bool = False  # a chart or image: shrinks to the room left instead of splitting
    key: str = ""  # where in the brief the piece comes from, for layout messages
    # What planning the piece had to say; kept only if the attempt the piece is part of is.
    messages: tuple[LayoutMessage, ...] = ()
    split_key: str = ""  # the parts of one split table share it, to say how many slides it took
    notes: str = ""  # the speaker notes of what the piece shows (a prediction, a risk)


Placed = list[tuple[Piece, float]]  # the pieces of one slide and their y offsets
# Builds a flow's pieces at a body size and a table size, for slides whose body is `room` tall.
Build = Callable[[float, float, float], list[Piece]]


def pack(pieces: list[Piece], rooms: tuple[float, float], caps: Sequence[float] = ()
         ) -> tuple[list[Placed], list[LayoutMessage]]:
    """Fill slides with pieces: returns, per slide, the pieces and their y offsets, and the
    warnings for what no slide could hold. `caps` narrows the first slides' rooms.

    A piece that does not fit moves to a new slide when it fits there whole; it is split
    (tables between rows, paragraphs between lines) only when it is taller than a slide.
    A piece that no split makes fit an empty slide goes to the next slide where a long title
    leaves this one less room; else it is left out, never drawn off the slide.
    """
    slides: list[Placed] = [[]]
    said: list[LayoutMessage] = []
    queue = list(pieces)
    kept_empty: set[int] = set()  # slides left with their title alone
    y = 0.0

    def place(piece: Piece, at: float) -> None:
        nonlocal y
        slides[-1].append((piece, at))
        y = at + piece.height

    def new_slide() -> None:
        nonlocal y
        slides.append([])
        y = 0.0

    while queue:
        piece = queue.pop(0)
        room = rooms[0] if len(slides) == 1 else rooms[1]
        if len(slides) <= len(caps):
            room = min(room, caps[len(slides) - 1])
        fresh = rooms[1]
        on_slide = bool(slides[-1])
        gap = piece.gap if on_slide else 0.0
        left = room - y - gap
        keep = piece.keep_with_next and bool(queue)
        need_next = chain_need(queue, fresh) if keep else 0.0
        # A slide holding only headings waiting for their content counts as empty.
        only_heads = all(p.keep_with_next for p, _ in slides[-1])
        whole = piece.height + (need_next if keep else 0.0)
        if whole <= left + 0.01:
            place(piece, y + gap)
            continue
        if piece.flexible and piece.split:
            head, _ = piece.split(left - (need_next if keep else 0.0))
            if head is None and not on_slide:
                head, _ = piece.split(room - (need_next if keep else 0.0))
            if head is not None:
                place(head, y + gap)
                continue
        if on_slide and not only_heads and (whole <= fresh + 0.01 or keep):
            new_slide()
            queue.insert(0, piece)
            continue
        if piece.split and (only_heads or left >= 0.4 * room or piece.min_head <= left):
            # Leave room for what is kept with the piece only if its last part lands here.
            fits_alone = piece.height <= left + 0.01
            if fits_alone and (not on_slide or only_heads) and left - need_next < 0.5 * room:
                # Keeping the next piece with this one's tail would leave a slide of one
                # row per part: the piece stays whole and what it keeps follows.
                place(piece, y + gap)
                continue
            head, tail = piece.split(left - need_next if keep and fits_alone else left)
            if head is not None:
                place(head, y + gap)
                if tail is not None:
                    new_slide()
                    queue.insert(0, tail)
                continue
        if on_slide:
            new_slide()
            queue.insert(0, piece)
            continue
        # Alone on an empty slide and taller than it: split at the slide's full height.
        if piece.split:
            head, tail = piece.split(room)
            if head is not None and head.height <= room + 0.01:
                place(head, 0.0)
                if tail is not None:
                    new_slide()
                    queue.insert(0, tail)
                continue
        if piece.height <= room + 0.01:
            place(piece, 0.0)
            continue
        if room < fresh - 0.01:
            # A long title leaves this slide less room than the next: the piece goes there,
            # and this slide keeps its title alone.
            kept_empty.add(len(slides) - 1)
            new_slide()
            queue.insert(0, piece)
            continue
        said.append(warning(piece.key, "taller than a slide and cannot be split; left out of "
                                       "the deck"))
    return [s for n, s in enumerate(slides) if s or n in kept_empty], said


def chain_need(queue: list[Piece], fresh: float, depth: int = 0) -> float:
    """Room the pieces kept with the current one need on this slide: all of a piece that
    will move whole to a new slide, or the first part of one that will be split."""
    nxt = queue[0]
    least = nxt.gap + (nxt.min_head or nxt.height)
    rest = (chain_need(queue[1:], fresh, depth + 1)
            if nxt.keep_with_next and len(queue) > 1 and depth < 4 else 0.0)
    if nxt.flexible:
        return least + rest  # a chart shrinks, but keeps its takeaway beside it
    whole = nxt.height + rest
    return nxt.gap + whole if whole <= fresh else least


def draw(placed: Placed, x: float, top: float, width: float) -> list[plan.Item]:
    """Turn placed pieces into items, merging consecutive text of one group into one box."""
    items: list[plan.Item] = []
    run: list[plan.Para] = []
    run_group: Group | None = None
    run_y = 0.0
    run_h = 0.0

    def flush() -> None:
        if run:
            items.append(plan.TextBox(x, top + run_y, width, run_h, tuple(run)))
            run.clear()

    for piece, y in placed:
        if piece.para is not None:
            if run and piece.group is not None and piece.group is run_group:
                gap = y - (run_y + run_h)
                run.append(replace(piece.para, space_before=gap))
                run_h += gap + piece.height
                continue
            flush()
            run.append(replace(piece.para, space_before=0.0))
            run_group, run_y, run_h = piece.group, y, piece.height
            continue
        flush()
        run_group = None
        assert piece.draw is not None
        items.extend(piece.draw(x, top + y, width, piece.height))
    flush()
    return items


def kept_messages(slides: list[Placed], said: list[LayoutMessage]) -> list[LayoutMessage]:
    """What the pieces of the kept attempt say, with how many slides each split block took
    and what the packing had to leave out."""
    messages = [m for placed in slides for piece, _ in placed for m in piece.messages]
    parts: dict[str, set[int]] = {}
    for n, placed in enumerate(slides):
        for piece, _ in placed:
            if piece.split_key:
                parts.setdefault(piece.split_key, set()).add(n)
    messages.extend(note(key, f"split across {len(on)} slides")
                    for key, on in parts.items() if len(on) > 1)
    return [*messages, *said]


def keyed(pieces: list[Piece], key: str) -> list[Piece]:
    """Pieces that do not say which block they come from are the flow's own."""
    return [p if p.key else replace(p, key=key) for p in pieces]


THIRD = 1 / 3  # the least a continuation slide holds of its body, so that it looks meant


class Flow(Struct, frozen=True):
    """The slides of one flow, what laying them out said, and the body size kept."""

    slides: list[plan.Slide]
    said: list[LayoutMessage]
    size: float


def flow_slides(ctx: Context, kind: str, title: tuple[Span, ...], kicker: str | None,
                build: Build, notes: str, where: str, x: float | None = None,
                width: float | None = None,
                first_extra: Callable[[float], list[plan.Item]] | None = None,
                first_room: float | None = None, continued: bool = False
                ) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    laid = flow(ctx, kind, title, kicker, build, notes, where, x, width, first_extra,
                first_room, continued)
    return laid.slides, laid.said


def flow(ctx: Context, kind: str, title: tuple[Span, ...], kicker: str | None,
         build: Build, notes: str, where: str, x: float | None = None,
         width: float | None = None,
         first_extra: Callable[[float], list[plan.Item]] | None = None,
         first_room: float | None = None, continued: bool = False) -> Flow:
    """Slides for one flow of pieces, shrinking text toward the floor to save a slide, and
    no continuation slide left less than a third full."""
    width = width or ctx.content_w
    x = ctx.content_x if x is None else x

    def continuation(number: int) -> Frame:
        return frame(ctx, kind, continued_title(ctx, title, title_width(ctx, kind), number,
                                                placeholder_lines(ctx, kind)),
                     kicker, lead=False)

    cont = continuation(1)
    first = cont if continued else frame(ctx, kind, title, kicker, where)
    said = list(first.messages)
    # A counted label may take a line more than "(cont.)", and a longer count another (a
    # table of a thousand rows, one a slide): the room is the least of them.
    lowest = max(cont.top, continuation(99).top, continuation(9999).top)
    rooms = (first_room if first_room is not None else ctx.body_bottom - first.top,
             ctx.body_bottom - lowest)
    size, table_size = ctx.s.body, ctx.s.table
    attempts: list[tuple[float, list[Piece], list[Placed], list[LayoutMessage]]] = []
    while True:
        pieces = keyed(build(size, table_size, rooms[1]), where)
        packed = pack(pieces, rooms)
        attempts.append((size, pieces, *packed))
        if len(packed[0]) == 1 or size <= ctx.s.body_floor:
            break
        size = max(ctx.s.body_floor, size - 2)
        table_size = max(ctx.s.table_floor, table_size - 1)
    # At the theme's sizes, unless smaller text (within the floor) fits one slide, or keeps a
    # short last slide's remainder on the slide before.
    kept = attempts[0]
    if len(attempts[-1][2]) == 1:
        kept = attempts[-1]
    elif len(kept[2]) > 1 and filled(kept[2][-1], rooms[1]) < THIRD:
        kept = next((a for a in attempts if len(a[2]) < len(kept[2])), kept)
    size, pieces, placed_slides, packed_said = kept
    if size < ctx.s.body and where:
        said.append(note(where, f"text shrunk to {size:g} pt to fit "
                                + ("one slide" if len(placed_slides) == 1 else
                                   f"{len(placed_slides)} slides")))
    placed_slides, packed_said = balanced(pieces, rooms, placed_slides, packed_said)
    placed_slides = placed_slides or [[]]  # nothing but the title: the title is the message
    said.extend(kept_messages(placed_slides, packed_said))
    if len(placed_slides) > 1 and where:
        said.append(note(where, f"continues on {len(placed_slides) - 1} more "
                                f"slide{'s' if len(placed_slides) > 2 else ''}"))
    slides = []
    for n, (placed, slide_notes) in enumerate(zip(placed_slides,
                                                  notes_by_slide(notes, placed_slides),
                                                  strict=True)):
        framing = first if n == 0 else continuation(n + int(continued))
        items = [*framing.items, *draw(placed, x, framing.top, width)]
        if n == 0 and first_extra:
            # After the flow: a figure beside the text (the risk matrix) illustrates it, and
            # a screen reader reads the shapes in this order.
            items.extend(first_extra(framing.top))
        slides.append(ctx.slide(kind, items, slide_notes))
    return Flow(slides, said, size)


def filled(placed: Placed, room: float) -> float:
    """How much of a slide's body its pieces take, 0 to 1."""
    return max((y + piece.height for piece, y in placed), default=0.0) / room


def balanced(pieces: list[Piece], rooms: tuple[float, float], slides: list[Placed],
             said: list[LayoutMessage]) -> tuple[list[Placed], list[LayoutMessage]]:
    """The slides repacked so that no continuation is less than a third full: the slide
    before a short one is narrowed a step at a time, as little as it takes, moving its end
    forward. Where no narrowing keeps the count of slides, the short slide stays."""
    caps: list[float] = []
    while True:
        short = next((k for k in range(1, len(slides))
                      if filled(slides[k], rooms[1]) < THIRD), None)
        if short is None:
            return slides, said
        before = short - 1
        room = rooms[0] if before == 0 else rooms[1]
        used = filled(slides[before], room) * room
        tried = [*caps, *[float("inf")] * before][:before]  # the slides before stay as they are
        for step in range(1, 13):
            cap = used - step * 0.05 * room
            if cap < THIRD * room:
                return slides, said
            packed, packed_said = pack(pieces, rooms, [*tried, cap])
            if (len(packed) == len(slides) and len(packed_said) == len(said)
                    and all(filled(s, rooms[1]) >= THIRD for s in packed[before:short + 1])):
                caps = [*tried, cap]
                slides, said = packed, packed_said
                break
        else:
            return slides, said


def notes_by_slide(notes: str, slides: list[Placed]) -> list[str]:
    """Speaker notes split over a flow's slides: each piece's own notes on the slide that
    shows it, else the notes' paragraphs in order, as evenly as they go; never repeated."""
    own = [[piece.notes for piece, _ in placed if piece.notes] for placed in slides]
    if any(own):
        return ["\n\n".join(n) for n in own]
    paragraphs = [p for p in notes.split("\n\n") if p.strip()]
    count = len(slides)
    starts = [-(-k * len(paragraphs) // count) for k in range(count + 1)]
    return ["\n\n".join(paragraphs[starts[k]:starts[k + 1]]) for k in range(count)]
