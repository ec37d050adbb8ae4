"""Trainer-authored Markdown to safe HTML: markdown-it-py with raw HTML off, then nh3.

Both layers matter: markdown-it escapes raw HTML, and nh3 removes whatever a Markdown
construct could still smuggle in (``javascript:`` links, event handler attributes).
"""

from functools import lru_cache
from html import unescape

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


@lru_cache(maxsize=8192)
def render_markdown(text: str) -> SafeString:
    """Render Markdown to sanitized HTML (cached: the same text renders the same)."""
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above


def render_inline_markdown(text: str) -> SafeString:
    """Render a short text (a choice) without the wrapping paragraph."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 - sanitized by render_markdown


def plain_excerpt(text: str, *, length: int) -> str:
    """The start of a Markdown text as plain words (no markup), cut to ``length`` characters."""
    plain = unescape(strip_tags(render_markdown(text)))
    return Truncator(" ".join(plain.split())).chars(length)
