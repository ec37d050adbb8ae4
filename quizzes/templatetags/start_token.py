from django import template

from quizzes.start_tokens import token_field

register = template.Library()

# ``{% start_token %}`` inside a form that starts a practice session.
register.simple_tag(token_field, name="start_token")
