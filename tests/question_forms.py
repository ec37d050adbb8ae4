"""POST data for the question admin's add and change pages (the question and its choices
inline formset)."""

from quizzes.models import Question, Status


def form_data(topic, choices, **fields) -> dict:
    """POST data for the add page; ``choices`` is a list of (key, text, is_correct)."""
    data = {
        "external_id": "boundaries-001",
        "topic": topic.pk,
        "status": Status.DRAFT,
        "kind": "application",
        "domain": "professional-responsibility",
        "tags": "",
        "source": "",
        "stem": "A client asks you to be friends on social media. What do you do?",
        "explanation": "Keep the relationship professional.",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 6,
    }
    data.update(fields)
    for index, (key, text, is_correct) in enumerate(choices):
        data[f"choices-{index}-key"] = key
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-feedback"] = ""
        if is_correct:
            data[f"choices-{index}-is_correct"] = "on"
    return data


def change_data(question: Question, edits: dict[str, dict] | None = None, **fields) -> dict:
    """POST data for the change page: the question as stored, with ``edits`` per choice key
    (e.g. ``{"b": {"is_correct": False}, "a": {"DELETE": True}}``)."""
    edits = edits or {}
    data = {
        "external_id": question.external_id,
        "topic": question.topic_id,
        "status": question.status,
        "kind": question.kind,
        "domain": question.domain,
        "tags": ", ".join(question.tags),
        "source": question.source,
        "stem": question.stem,
        "explanation": question.explanation,
    }
    data.update(fields)
    choices = list(question.choices.order_by("key"))
    data |= {
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 6,
    }
    for index, choice in enumerate(choices):
        row = {
            "id": choice.pk,
            "question": question.pk,
            "key": choice.key,
            "text": choice.text,
            "is_correct": choice.is_correct,
            "feedback": choice.feedback,
            "DELETE": False,
        }
        row.update(edits.get(choice.key, {}))
        for name, value in row.items():
            if value is True:
                data[f"choices-{index}-{name}"] = "on"
            elif value is not False:
                data[f"choices-{index}-{name}"] = value
    return data
