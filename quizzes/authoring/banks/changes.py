"""What loading the banks does to each question, field by field, for the import's dry run.

The importer records a ``QuestionChange`` for every question it creates, updates or retires,
from the same rows it compares to decide; so the list is exactly what applying would do.
"""

from dataclasses import dataclass, field

from django.db.models import TextChoices

from quizzes.models import Topic


class ChangeKind(TextChoices):
    NEW = "new", "New"
    CHANGED = "changed", "Changed"
    RETIRED = "retired", "Retired"


@dataclass(frozen=True)
class FieldChange:
    name: str  # "stem", "key", "choice B", "choice B feedback", ...
    before: str
    after: str


@dataclass(frozen=True)
class QuestionChange:
    external_id: str
    kind: ChangeKind
    fields: tuple[FieldChange, ...] = field(default=())

    @property
    def field_names(self) -> list[str]:
        return [change.name for change in self.fields]


# ``importer.QUESTION_FIELDS`` in its order, with the name a trainer knows each by.
FIELD_NAMES = ["topic", "kind", "domain", "status", "stem", "explanation", "source", "tags"]
# After the stem and the choices (what a candidate reads first), in this order; then the rest.
SHOWN_ORDER = ["explanation", "status", "kind", "domain", "tags"]
ABSENT = "(none)"

ChoiceRow = tuple[str, str, bool, str]  # key, text, is correct, feedback


def shown(name: str, value: object) -> str:
    if name == "tags":
        return ", ".join(value) or ABSENT
    if name == "topic":
        topic = Topic.objects.filter(pk=value).values_list("slug", flat=True).first()
        return topic or ABSENT
    return str(value) if value != "" else ABSENT


def key_letters(choices: list[ChoiceRow]) -> str:
    return ", ".join(key.upper() for key, _, is_correct, _ in choices if is_correct) or ABSENT


def choice_changes(before: list[ChoiceRow], after: list[ChoiceRow]) -> list[FieldChange]:
    """The key, then each choice whose text or feedback differs (added and removed ones too)."""
    changes = []
    if key_letters(before) != key_letters(after):
        changes.append(FieldChange("key", key_letters(before), key_letters(after)))
    old = {row[0]: row for row in before}
    new = {row[0]: row for row in after}
    for key in sorted(old.keys() | new.keys()):
        _, old_text, _, old_feedback = old.get(key, (key, ABSENT, False, ""))
        _, new_text, _, new_feedback = new.get(key, (key, ABSENT, False, ""))
        if old_text != new_text:
            changes.append(FieldChange(f"choice {key.upper()}", old_text, new_text))
        if old_feedback != new_feedback:
            changes.append(
                FieldChange(
                    f"choice {key.upper()} feedback", old_feedback or ABSENT, new_feedback or ABSENT
                )
            )
    return changes


def compare_question(
    external_id: str,
    *,
    before: tuple,
    after: tuple,
    choices_before: list[ChoiceRow],
    choices_after: list[ChoiceRow],
) -> QuestionChange:
    """A changed question's differences: ``before`` and ``after`` are ``question_row``s."""
    by_name = {
        name: FieldChange(name, shown(name, old), shown(name, new))
        for name, old, new in zip(FIELD_NAMES, before, after, strict=True)
        if old != new
    }
    stem = [by_name.pop("stem")] if "stem" in by_name else []
    choices = choice_changes(choices_before, choices_after)
    rest = [by_name.pop(name) for name in SHOWN_ORDER if name in by_name]
    return QuestionChange(
        external_id, ChangeKind.CHANGED, (*stem, *choices, *rest, *by_name.values())
    )
