"""Markup that must not run: attack payloads for trainer-authored text, and a checker that
lists what in a whole page would run script or break the strict CSP."""

from html.parser import HTMLParser

OWN_SCRIPT_PREFIXES = ("/static/", "/admin/jsi18n/")
SCRIPT_URL_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class PageChecker(HTMLParser):
    """Lists what in a whole page would run script or break the CSP (no inline script, no
    inline style); the page's own script files from /static/ are fine."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name == "style":
                self.found.append(f"{tag} style=")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith(SCRIPT_URL_SCHEMES):
                self.found.append(f"{tag} {name}={value}")
        is_data = tag == "script" and values.get("type") == "application/json"  # never run
        if (
            tag == "script"
            and not is_data
            and not values.get("src", "").startswith(OWN_SCRIPT_PREFIXES)
        ):
            self.found.append(f"<script src={values.get('src', '(inline)')}>")
        if tag in {"iframe", "object", "embed", "style", "base"}:
            self.found.append(f"<{tag}>")
        if tag == "img" and not values.get("src", "").startswith("/static/"):
            self.found.append(f"<img src={values.get('src')}>")


def unsafe_markup(page: str) -> list[str]:
    """What in a whole page would run script or need an inline-script/style CSP exception."""
    checker = PageChecker()
    checker.feed(page)
    checker.close()
    return checker.found


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<div onclick="alert(1)">\nraw block\n</div>',
    "<iframe src=https://example.org></iframe>",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
]
