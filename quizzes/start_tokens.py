"""One-time tokens for the forms that start a practice session.

A start form sent twice, by a double tap while a slow connection seems to do nothing or by
a retry, would start two sessions: an exam has its own guard (one attempt in progress per
exam), a practice session has no exam. So each start form carries a fresh token, and
``practice.start_practice`` gives a token that already started a session that session
again (``Attempt.start_token``, unique per candidate).
"""

import uuid

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

FIELD = "start_token"


def token_field() -> SafeString:
    """A start form's hidden field, with a new token. ``autocomplete="off"``: a browser
    that restores a form from its history must not bring back a used token."""
    return format_html(
        '<input type="hidden" name="{}" value="{}" autocomplete="off">', FIELD, uuid.uuid4()
    )


def posted_token(request: HttpRequest) -> uuid.UUID | None:
    """The token the form sent; None when there is none or it is not one of ours."""
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None
