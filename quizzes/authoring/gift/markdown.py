"""GIFT text in any of its formats to our text (Markdown): HTML is sanitized with nh3 and
written as Markdown, never kept as raw HTML."""

import re
from html.parser import HTMLParser

import nh3

from .parser import FormattedText, GiftQuestion, TextFormat

HTML_TAGS = {"a", "b", "strong", "i", "em", "code", "br", "p", "div", "ul", "ol", "li"}
INLINE_MARKERS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
BLOCK_TAGS = {"p", "div", "ul", "ol"}
LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")


class MarkdownWriter(HTMLParser):
    """Sanitized HTML to Markdown: emphasis, links, paragraphs and lists; other tags dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.frames: list[tuple[str, str, list[str]]] = [("", "", [])]  # tag, href, pieces
        self.lists: list[list] = []  # [ordered, next number]

    def emit(self, text: str) -> None:
        self.frames[-1][2].append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE_MARKERS or tag == "a":
            self.frames.append((tag, dict(attrs).get("href") or "", []))
        elif tag == "br":
            self.emit("\n")
        elif tag in BLOCK_TAGS:
            self.emit("\n\n")
            if tag in ("ul", "ol"):
                self.lists.append([tag == "ol", 1])
        elif tag == "li":
            ordered, number = self.lists[-1] if self.lists else (False, 1)
            if self.lists:
                self.lists[-1][1] += 1
            self.emit(f"\n{number}. " if ordered else "\n- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in INLINE_MARKERS or tag == "a":
            if any(frame[0] == tag for frame in self.frames[1:]):
                while self.close_frame() != tag:
                    pass
        elif tag in BLOCK_TAGS:
            self.emit("\n\n")
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def close_frame(self) -> str:
        tag, href, pieces = self.frames.pop()
        content = "".join(pieces)
        inner = content.strip()
        lead = " " if content[:1].isspace() else ""
        trail = " " if content[-1:].isspace() else ""
        if not inner:
            self.emit(lead or trail)
        elif tag == "a" and href:
            url = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            self.emit(f"{lead}[{inner}]({url}){trail}")
        elif tag in INLINE_MARKERS:
            marker = INLINE_MARKERS[tag]
            self.emit(f"{lead}{marker}{inner}{marker}{trail}")
        else:
            self.emit(content)
        return tag

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        if not any(frame[0] == "code" for frame in self.frames):
            text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
        self.emit(text)

    def markdown(self) -> str:
        self.close()
        while len(self.frames) > 1:
            self.close_frame()
        text = "".join(self.frames[0][2])
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_markdown(html: str) -> str:
    """Sanitize HTML with nh3, then write what is left as Markdown (never raw HTML)."""
    clean = nh3.clean(
        html,
        tags=HTML_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    writer = MarkdownWriter()
    writer.feed(clean)
    return writer.markdown()


def to_markdown(text: FormattedText) -> str:
    """Our text (Markdown) from GIFT text in any of its formats."""
    if text.format == TextFormat.HTML:
        return html_to_markdown(text.text)
    if text.format == TextFormat.MOODLE and LOOKS_LIKE_HTML.search(text.text):
        # Moodle's auto-format allows HTML and turns line breaks into <br>.
        return html_to_markdown(text.text.replace("\n", "<br>"))
    # Markdown is ours already; plain text reads the same as Markdown nearly always.
    return text.text


def has_markdown_with_html(question: GiftQuestion) -> bool:
    """Whether any Markdown text of the question holds HTML tags (which we show as text)."""
    texts = [question.stem, question.general_feedback]
    texts += [text for answer in question.answers for text in (answer.text, answer.feedback)]
    return any(
        text is not None and text.format == TextFormat.MARKDOWN and HTML_TAG.search(text.text)
        for text in texts
    )
