from django import template

from quizzes.bank_summary import bank_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def pool_scope(context) -> str:
    """The sentence saying what the question pool covers of the real exam (plain text,
    escaped by the template), from the page's bank summary when it has one."""
    return (context.get("bank") or bank_summary()).scope
