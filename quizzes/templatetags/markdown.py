from datetime import timedelta

from django import template
from django.utils.safestring import SafeString

from quizzes.rendering import render_inline_markdown, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter(name="inline_markdown")
def inline_markdown_filter(text: str) -> SafeString:
    return render_inline_markdown(text)


@register.filter(name="duration")
def duration_filter(value: timedelta | int) -> str:
    """A timedelta, or a number of seconds (the time left on a page without script), as
    "1 h 05 min 07 s" / "12 min 30 s"."""
    total = value.total_seconds() if isinstance(value, timedelta) else value
    hours, rest = divmod(max(0, int(total)), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {seconds:02d} s"
    return f"{minutes} min {seconds:02d} s"
