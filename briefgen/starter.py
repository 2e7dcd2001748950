"""The starter brief `briefgen new` writes: every block type once, commented, valid as written."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

SCHEMA_NAME = "brief.schema.json"
IMAGE_PATH = "images/example.png"

_STARTER = """\
# yaml-language-server: $schema=brief.schema.json
# A brief: the argument of an analyst piece, in data.
#   briefgen validate {file}   checks it and writes nothing
#   briefgen build {file}      writes out/{stem}.pptx (a deck) and out/{stem}.pdf (a memo)
# With the YAML language server, an editor completes the keys and explains them on hover,
# using brief.schema.json beside this file.
#
# Text may use **bold**, *italic*, `code` and [links](https://example.com); a blank line in a
# text starts a new paragraph. Put a text in quotes when it starts with * [ { ` & ! or @, or
# contains ": " or " #" -- YAML would read those as syntax or as a comment.
brief: 1                              # format version

meta:
  title: "Should we move the team wiki to a hosted service?"
  subtitle: "A starter brief: replace every text with your own"
  date: {date}                    # YYYY-MM-DD or YYYY-MM
  author: "Your Name"
  from: "Platform Team"               # memo sender; default: author
  to: ["Engineering Leadership"]      # one name, or a list
  classification: "Internal"          # printed on every slide and memo page
  language: en                        # BCP-47 tag: en, de, fr, es, ja, ko, zh-CN, zh-TW, ...
  tags: [wiki, tooling]               # keywords in both files' metadata
  # labels: {bottom_line: "BLUF"}     # rename any fixed label the outputs print

thesis:
  headline: "Move the wiki to a hosted service: it costs less than keeping ours alive."
  summary: |-                         # '|-' keeps the lines as written: several paragraphs
    Our self-hosted wiki needs a major upgrade that we have postponed twice.

    A hosted service removes that work and gives us search that people actually use.
  points:
    - "Upkeep takes about **two engineer-days a month**."
    - "The hosted option costs less than one of those days."
    - "Export and import are tested; nothing is lost in the move."

sections:                             # in reading order; each gives slides and a memo section
  - title: "Why now"
    id: "why-now"                     # optional; default made from the title; unique
    lead: "The wiki needs an upgrade we would rather not do."
    notes: "Speaker notes for this section's slides."
    blocks:                           # each item has exactly one key: its block type
      - text: "Paragraphs of text. The current version is *three years* old and unsupported."
      - bullets:
          - "A bullet is a text,"
          - text: "or a text with sub-bullets:"
            sub: ["one level deep", "no deeper"]
      - numbered:
          - "Export the current pages."
          - "Import them into the hosted service."
          - "Redirect the old address."
      - quote:
          text: "I search the chat history instead of the wiki."
          by: "An engineer in the survey"
      - callout:
          label: "Decision needed"    # optional
          text: "Approve the subscription at the next budget review."

  - title: "What it costs"
    blocks:
      - figures:                      # two to four big numbers
          - {value: "€11,600", label: "Saved a year", delta: "−60 %"}
          - {value: "22 days", label: "Upkeep saved a year", note: "Platform Team estimate"}
      - table:
          title: "Yearly cost"
          columns: ["Option", "Licence", "Upkeep", "Total"]
          rows:                       # every row as long as columns; cells shown as typed
            - ["Keep self-hosted", "0", "24 days", "€19,200"]
            - ["Hosted service", "€6,000", "2 days", "€7,600"]
          takeaway: "The hosted service costs about 60% less a year."
          source: "Finance estimate"

  - title: "Fewer people use it"
    blocks:
      - chart:
          title: "Pages edited per month"
          type: column                # bar | column | line | pie (a pie takes one series)
          categories: ["Jan", "Feb", "Mar", "Apr"]
          series:                     # one number per category in each series
            - {name: "2025", values: [120, 95, 80, 60]}
          unit: "pages"
          takeaway: "Fewer people edit the wiki every month."
          source: "Wiki access logs"

  - title: "Who is involved"
    blocks:
      - players:
          - {name: "Alex Doe", role: "Wiki owner", org: "Platform Team", note: "Runs the move."}
          - {name: "Sam Roe", role: "Budget holder", org: "Engineering", note: "Signs off."}
      - image:
          path: "{image}"     # PNG or JPEG inside this brief's folder
          alt: "Column chart of monthly wiki edits, falling from 120 to 60."   # required
          caption: "Edits per month, illustrative."

risks:
  - title: "Links break in the move"
    detail: "Old addresses stop working if the redirect is missed."
    likelihood: low                   # low | medium | high
    impact: medium

verdict:
  headline: "Go: subscribe and move in one weekend."
  summary: "The cost case is clear and the move is reversible."

predictions:
  - statement: "Wiki edits double within six months of the move."
    horizon: "6 months"
    confidence: 0.6                   # 0..1, a percentage (60%), or low | medium | high
    signal: "Monthly edit count in the hosted service's statistics."

conclusion:
  title: "Conclusion"
  text: "Nothing we value depends on running the wiki ourselves."

sources:
  - title: "Wiki usage survey"
    url: "https://example.com/wiki-survey"
    publisher: "Platform Team"
    date: {date}
"""


def starter_text(file: str = "brief.yaml", today: dt.date | None = None) -> str:
    """The starter brief for a file name, dated today."""
    values = {"{date}": (today or dt.date.today()).isoformat(), "{image}": IMAGE_PATH,
              "{file}": file, "{stem}": Path(file).stem}
    text = _STARTER
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def example_png() -> bytes:
    """A small column chart as a PNG, so the starter's image block has a file to show."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 360), "white")
    draw = ImageDraw.Draw(picture)
    for n, value in enumerate((120, 95, 80, 60)):
        left = 80 + n * 130
        draw.rectangle((left, 320 - value * 2, left + 90, 320), fill=(31, 78, 121))
    draw.line((60, 320, 600, 320), fill=(90, 90, 90), width=2)
    data = io.BytesIO()
    picture.save(data, format="PNG")
    return data.getvalue()


def write_starter(path: Path, schema: str) -> list[Path]:
    """Write the starter brief, and the schema and image beside it unless present; list them."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(starter_text(path.name), encoding="utf-8")
    written = [path]
    extras = {folder / SCHEMA_NAME: schema.encode, folder / IMAGE_PATH: example_png}
    for extra, data in extras.items():
        if not extra.exists():
            extra.parent.mkdir(parents=True, exist_ok=True)
            extra.write_bytes(data())
            written.append(extra)
    return written
