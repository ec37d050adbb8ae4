from django import template

from quizzes.bank_summary import bank_summary

register = template.Library()


@register.simple_tag
def pool_scope() -> str:
    """The sentence saying what the question pool covers of the real exam (cached with the
    bank summary; plain text, escaped by the template)."""
    return bank_summary().scope
