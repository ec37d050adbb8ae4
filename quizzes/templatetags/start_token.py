from django import template
from django.utils.safestring import SafeString

from quizzes.start_tokens import token_field

register = template.Library()


@register.simple_tag
def start_token() -> SafeString:
    """``{% start_token %}`` inside a form that starts a practice session."""
    return token_field()
