"""Trainer-authored Markdown: attack payloads are neutralised, normal Markdown still works."""

from html.parser import HTMLParser

import pytest

from quizzes.rendering import render_inline_markdown, render_markdown
from tests.markup import XSS_PAYLOADS, unsafe_markup

DANGEROUS_TAGS = {"script", "img", "iframe", "svg", "style", "object", "embed", "div", "form"}
SAFE_URL_PREFIXES = ("https://", "http://", "mailto:", "/", "#", "?")


class ActiveContentFinder(HTMLParser):
    """Lists what in real markup (not escaped text) could run: tags, handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in {"href", "src", "action", "formaction"} and not (value or "").startswith(
                SAFE_URL_PREFIXES
            ):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    """What in a rendered fragment could run script; empty when the markup is harmless."""
    finder = ActiveContentFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def assert_harmless(html: str) -> None:
    assert active_content(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_attack_payloads_are_neutralised(payload):
    assert_harmless(str(render_markdown(payload)))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_attack_payloads_are_neutralised_in_inline_choices(payload):
    assert_harmless(str(render_inline_markdown(payload)))


def test_script_tag_is_shown_as_text():
    html = str(render_markdown("<script>alert(1)</script>"))

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_raw_html_block_is_escaped_not_rendered():
    html = str(render_markdown('<div class="x">\n<b>bold?</b>\n</div>'))

    assert "&lt;div" in html
    assert "<b>" not in html


def test_javascript_link_is_not_a_link():
    html = str(render_markdown("[click](javascript:alert(1))"))

    assert "<a" not in html
    assert "href" not in html


def test_autolink_with_javascript_is_not_a_link():
    html = str(render_markdown("<javascript:alert(1)>"))

    assert "<a" not in html


def test_bold_emphasis_and_lists_render():
    html = str(render_markdown("**bold** and *soft*\n\n- one\n- two\n\n1. first\n2. second"))

    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<ol>\n<li>first</li>" in html


def test_https_link_renders_with_safe_rel():
    html = str(render_markdown("See [the board](https://example.org/crss)."))

    assert '<a href="https://example.org/crss" rel="noopener noreferrer nofollow">' in html


def test_https_autolink_renders():
    html = str(render_markdown("<https://example.org>"))

    assert '<a href="https://example.org"' in html


def test_headings_and_tables_render():
    html = str(render_markdown("## Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |"))

    assert "<h2>Notes</h2>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_inline_choice_loses_its_paragraph():
    assert str(render_inline_markdown("Consult a **supervisor**")) == (
        "Consult a <strong>supervisor</strong>"
    )


def test_empty_text_renders_nothing():
    assert str(render_markdown("")) == ""


def test_the_checker_spots_what_would_run():
    assert active_content('<img src="x" onerror="alert(1)">') == [
        "<img>",
        "img src=x",
        "img onerror=",
    ]
    assert active_content('<a href="javascript:alert(1)">x</a>') == ["a href=javascript:alert(1)"]
    assert active_content("&lt;script&gt;alert(1)&lt;/script&gt;") == []


def test_the_page_checker_allows_own_scripts_and_spots_inline_ones():
    page = (
        '<script src="/static/admin/js/theme.js"></script><div class="x">ok</div>'
        '<script>alert(1)</script><p style="color:red" onclick="x()">t</p>'
    )

    assert unsafe_markup(page) == ["<script src=(inline)>", "p style=", "p onclick="]
