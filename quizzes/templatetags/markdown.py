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
def duration_filter(value) -> str:
    """A timedelta as "1 h 05 min 07 s" / "12 min 30 s"."""
    return spoken_duration(int(value.total_seconds()))


@register.filter(name="seconds_duration")
def seconds_duration_filter(value) -> str:
    """A number of seconds as ``duration`` says it: the time left on a page without script."""
    return spoken_duration(int(value))


def spoken_duration(seconds: int) -> str:
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {seconds:02d} s"
    return f"{minutes} min {seconds:02d} s"
