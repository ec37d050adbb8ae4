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
