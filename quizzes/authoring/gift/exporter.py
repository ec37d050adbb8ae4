"""Our questions as Moodle GIFT that imports back to the same text, choices, answer,
explanation, kind and domain."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from quizzes.models import Choice, Question, Status

from .parser import TextFormat, escape

EXPORT_HEADER = "// CRSS Prep questions in Moodle GIFT format"
# An answer or feedback starting like this would read as a format marker or a weight.
NEEDS_FORMAT_MARKER = ("[", "%")


def gift_text(text: str) -> str:
    """Escaped text; a leading ``[`` or ``%`` is protected by an explicit Markdown marker."""
    escaped = escape(text)
    return f"[{TextFormat.MARKDOWN}]{escaped}" if text.startswith(NEEDS_FORMAT_MARKER) else escaped


def gift_block(
    *,
    external_id: str,
    kind: str,
    domain: str,
    stem: str,
    choices: Iterable[tuple[str, bool, str]],
    explanation: str,
) -> str:
    """One question as a GIFT block; ``choices`` are (text, is_correct, feedback) in key order."""
    lines = [
        f"// crss: kind={kind} domain={domain}",
        f"::{external_id}::[{TextFormat.MARKDOWN}]{escape(stem)}{{",
    ]
    for text, is_correct, feedback in choices:
        marker = "=" if is_correct else "~"
        after = f"#{gift_text(feedback)}" if feedback else ""
        lines.append(f"\t{marker}{gift_text(text)}{after}")
    if explanation:
        lines.append(f"\t####{gift_text(explanation)}")
    lines.append("}")
    return "\n".join(lines)


def question_to_gift(question: Question) -> str:
    """One stored question as GIFT (its choices should be prefetched in key order)."""
    return gift_block(
        external_id=question.external_id,
        kind=question.kind,
        domain=question.domain,
        stem=question.stem,
        choices=[(c.text, c.is_correct, c.feedback) for c in question.choices.all()],
        explanation=question.explanation,
    )


def questions_to_gift(questions: QuerySet[Question] | None = None) -> str:
    """Questions (default: all) as GIFT, one ``$CATEGORY:`` per topic; retired ones left out."""
    if questions is None:
        questions = Question.objects.all()
    questions = (
        questions.exclude(status=Status.RETIRED)
        .select_related("topic")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("key")))
        .order_by("topic__slug", "external_id")
    )
    blocks, topic = [EXPORT_HEADER], None
    for question in questions:
        if question.topic.slug != topic:
            topic = question.topic.slug
            blocks.append(f"$CATEGORY: {topic}")
        blocks.append(question_to_gift(question))
    return "\n\n".join(blocks) + "\n"
