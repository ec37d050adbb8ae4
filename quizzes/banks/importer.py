"""Write validated banks to the database: all of it in one transaction, or nothing."""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from quizzes.models import Choice, Exam, ExamTopic, Question, Status, Topic

from .reader import BankError
from .schema import BankFile, ExamSpec, QuestionSpec, TopicSpec

BATCH_SIZE = 500
# Any fixed number: the PostgreSQL advisory lock that serialises bank imports.
BANK_IMPORT_LOCK = 7_245_114

UNKNOWN_EXAM_TOPIC = "{what} names unknown topic '{slug}'; known topics: {known}"
NOT_ENOUGH_QUESTIONS = (
    "{what} asks for {items} items but its topics have only {available} published questions"
)


class BankValidationError(Exception):
    """The banks break the format's rules; nothing was written."""

    def __init__(self, errors: list[BankError]) -> None:
        super().__init__(f"{len(errors)} errors in the question banks")
        self.errors = errors


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0


@dataclass
class LoadReport:
    topics: Tally = field(default_factory=Tally)
    questions: Tally = field(default_factory=Tally)
    exams: Tally = field(default_factory=Tally)

    def lines(self) -> list[str]:
        """One line per kind, worded for scripts: ``questions: 3 created, 0 updated, ...``."""
        return [
            f"{name}: {tally.created} created, {tally.updated} updated, "
            f"{tally.unchanged} unchanged, {tally.retired} retired"
            for name, tally in (
                ("topics", self.topics),
                ("questions", self.questions),
                ("exams", self.exams),
            )
        ]

    @property
    def changes(self) -> int:
        return sum(
            t.created + t.updated + t.retired for t in (self.topics, self.questions, self.exams)
        )


def batched(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def lock_banks() -> None:
    """Serialise imports: a second import waits for the first instead of mixing banks.

    SQLite needs nothing here: its IMMEDIATE transactions already take the write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BANK_IMPORT_LOCK])


def import_banks(banks: list[BankFile], *, dry_run: bool = False) -> LoadReport:
    """Check the banks against the database and write them, in one transaction.

    With ``dry_run`` everything is written and then rolled back, so the report is exactly
    what a real run would do. Raises ``BankValidationError`` and writes nothing on errors.
    """
    with transaction.atomic():
        lock_banks()
        errors = check_exams_against_database(banks)
        if errors:
            raise BankValidationError(errors)
        report = LoadReport()
        topics = write_topics([b.topic for b in banks if b.topic], report.topics)
        for bank in banks:
            if bank.topic:
                write_questions(topics[bank.topic.slug], bank.topic.questions, report.questions)
        write_exams([exam for bank in banks for exam in bank.exams], report.exams)
        if dry_run:
            transaction.set_rollback(True)
    return report


def check_exams_against_database(banks: list[BankFile]) -> list[BankError]:
    """Exams must name known topics and fit in the published questions they draw from."""
    loaded = {b.topic.slug: b.topic for b in banks if b.topic}
    published_in_db = Counter(
        Question.objects.published()
        .exclude(topic__slug__in=loaded)
        .values_list("topic__slug", flat=True)
    )
    published = {
        slug: published_in_db[slug] for slug in Topic.objects.values_list("slug", flat=True)
    }
    for slug, topic in loaded.items():
        published[slug] = sum(q.status == Status.PUBLISHED for q in topic.questions)
    counts_are_final = not any(b.has_errors for b in banks)

    errors = []
    for exam in (exam for bank in banks for exam in bank.exams):
        what = f"exam '{exam.slug}'"
        slugs = list(exam.topic_weights or published)
        unknown = [slug for slug in slugs if slug not in published]
        for slug in unknown:
            known = ", ".join(sorted(published)) or "none yet"
            message = UNKNOWN_EXAM_TOPIC.format(what=what, slug=slug, known=known)
            errors.append(BankError(exam.place.path, exam.place.line, message))
        available = sum(published.get(slug, 0) for slug in slugs)
        too_few = counts_are_final and exam.status == Status.PUBLISHED and exam.items > available
        if too_few and not unknown:
            message = NOT_ENOUGH_QUESTIONS.format(what=what, items=exam.items, available=available)
            errors.append(BankError(exam.place.path, exam.place.line, message))
    return errors


def write_topics(specs: list[TopicSpec], tally: Tally) -> dict[str, Topic]:
    existing = Topic.objects.in_bulk([s.slug for s in specs], field_name="slug")
    new, changed = [], []
    for spec in specs:
        values = {"title": spec.title, "source": spec.source, "notes": spec.notes}
        topic = existing.get(spec.slug)
        if topic is None:
            new.append(Topic(slug=spec.slug, **values))
        elif any(getattr(topic, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(topic, name, value)
            changed.append(topic)
        else:
            tally.unchanged += 1
    Topic.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Topic.objects.bulk_update(changed, ["title", "source", "notes"], batch_size=BATCH_SIZE)
    tally.created += len(new)
    tally.updated += len(changed)
    return Topic.objects.in_bulk([s.slug for s in specs], field_name="slug")


QUESTION_FIELDS = ["topic_id", "kind", "domain", "status", "stem", "explanation", "source", "tags"]


def question_values(topic: Topic, spec: QuestionSpec) -> dict:
    return {
        "topic_id": topic.pk,
        "kind": spec.kind,
        "domain": spec.domain,
        "status": spec.status,
        "stem": spec.stem,
        "explanation": spec.explanation,
        "source": spec.source,
        "tags": list(spec.tags),
    }


def choice_rows(spec: QuestionSpec) -> list[tuple[str, str, bool, str]]:
    return sorted((c.key, c.text, c.key == spec.answer, c.feedback) for c in spec.choices)


def stored_choice_rows(question_ids: list[int]) -> dict[int, list[tuple[str, str, bool, str]]]:
    rows: dict[int, list] = {}
    for batch in batched(question_ids):
        for question_id, *row in (
            Choice.objects.filter(question_id__in=batch)
            .order_by("question_id", "key")
            .values_list("question_id", "key", "text", "is_correct", "feedback")
        ):
            rows.setdefault(question_id, []).append(tuple(row))
    return rows


def write_questions(topic: Topic, specs: Iterable[QuestionSpec], tally: Tally) -> None:
    """Create, update or leave each question; retire the topic's questions not in ``specs``."""
    specs = list(specs)
    ids = [spec.external_id for spec in specs]
    existing: dict[str, Question] = {}
    for batch in batched(ids):
        existing.update(Question.objects.in_bulk(batch, field_name="external_id"))
    stored_choices = stored_choice_rows([q.pk for q in existing.values()])

    now = timezone.now()
    new, changed, rechoiced = [], [], []
    for spec in specs:
        values = question_values(topic, spec)
        question = existing.get(spec.external_id)
        if question is None:
            new.append(
                Question(external_id=spec.external_id, created_at=now, updated_at=now, **values)
            )
            rechoiced.append((spec, spec.external_id))
            continue
        fields_differ = any(getattr(question, name) != value for name, value in values.items())
        choices_differ = stored_choices.get(question.pk, []) != choice_rows(spec)
        if not (fields_differ or choices_differ):
            tally.unchanged += 1
            continue
        for name, value in values.items():
            setattr(question, name, value)
        question.updated_at = now
        changed.append(question)
        if choices_differ:
            rechoiced.append((spec, spec.external_id))

    Question.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Question.objects.bulk_update(changed, [*QUESTION_FIELDS, "updated_at"], batch_size=BATCH_SIZE)
    tally.created += len(new)
    tally.updated += len(changed)

    question_pks = {q.external_id: q.pk for q in [*new, *changed]}
    replace_choices([(spec, question_pks[external_id]) for spec, external_id in rechoiced])

    in_files = set(ids)
    retired = [
        pk
        for pk, external_id in Question.objects.filter(topic=topic)
        .exclude(status=Status.RETIRED)
        .values_list("pk", "external_id")
        if external_id not in in_files
    ]
    for batch in batched(retired):
        Question.objects.filter(pk__in=batch).update(status=Status.RETIRED, updated_at=now)
    tally.retired += len(retired)


def replace_choices(questions: list[tuple[QuestionSpec, int]]) -> None:
    for batch in batched([pk for _, pk in questions]):
        Choice.objects.filter(question_id__in=batch).delete()
    Choice.objects.bulk_create(
        [
            Choice(question_id=pk, key=key, text=text, is_correct=is_correct, feedback=feedback)
            for spec, pk in questions
            for key, text, is_correct, feedback in choice_rows(spec)
        ],
        batch_size=BATCH_SIZE,
    )


def exam_values(spec: ExamSpec) -> dict:
    return {
        "title": spec.title,
        "description": spec.description,
        "item_count": spec.items,
        "minutes": spec.minutes,
        "pass_mark": spec.pass_mark,
        "all_topics": spec.topic_weights is None,
        "selection": spec.selection,
        "status": spec.status,
    }


def write_exams(specs: list[ExamSpec], tally: Tally) -> None:
    existing = Exam.objects.prefetch_related("topic_weights__topic").in_bulk(
        [s.slug for s in specs], field_name="slug"
    )
    topics = dict(Topic.objects.values_list("slug", "pk"))
    # Catalogue order follows the files. It is layout, not content: an exam that only moved
    # is reordered but not counted as updated (so an export reloads with no changes).
    for position, spec in enumerate(specs, start=1):
        values = exam_values(spec)
        weights = sorted((spec.topic_weights or {}).items())
        exam = existing.get(spec.slug)
        if exam is None:
            exam = Exam.objects.create(slug=spec.slug, position=position, **values)
            tally.created += 1
        else:
            if exam.position != position:
                Exam.objects.filter(pk=exam.pk).update(position=position)
            stored = sorted((w.topic.slug, w.weight) for w in exam.topic_weights.all())
            if stored == weights and all(getattr(exam, k) == v for k, v in values.items()):
                tally.unchanged += 1
                continue
            Exam.objects.filter(pk=exam.pk).update(**values)
            exam.topic_weights.all().delete()
            tally.updated += 1
        ExamTopic.objects.bulk_create(
            ExamTopic(exam=exam, topic_id=topics[slug], weight=weight) for slug, weight in weights
        )
