"""The body text of a slide in its layout's content placeholder, where the body is one flow of
text: PowerPoint's outline, its accessibility checker and screen readers then find it as the
slide's body. Other slides keep their body in text boxes over a title-only layout."""

from __future__ import annotations

from msgspec.structs import replace

from briefgen.layout import plan
from briefgen.layout.deck.context import OWN_CONTENT_LAYOUT, Context

# The deck's own master: the layout with a content placeholder under its title.
OWN_BODY_LAYOUT = "Title and Content"


def body_in_placeholder(ctx: Context, slide: plan.Slide) -> plan.Slide:
    """The slide with its one flow of body text marked for the content placeholder, on a
    layout that has one."""
    if slide.kind == "title":
        return slide
    flows = [n for n, item in enumerate(slide.items) if isinstance(item, plan.TextBox)
             and item.name == "Text" and item.placeholder is None and item.fill is None]
    if len(flows) != 1:
        return slide
    template = ctx.template
    if template is not None:
        layout = next((lay for lay in template.layouts
                       if (lay.master, lay.index) == (slide.master, slide.layout_index)), None)
        if layout is None or layout.kind != "content":
            return slide
    elif slide.layout == OWN_CONTENT_LAYOUT:
        slide = replace(slide, layout=OWN_BODY_LAYOUT)
    else:
        return slide
    n = flows[0]
    body = slide.items[n]
    assert isinstance(body, plan.TextBox)
    items = (*slide.items[:n], replace(body, placeholder="body"), *slide.items[n + 1:])
    return replace(slide, items=items)
