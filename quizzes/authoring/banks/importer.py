"""Write validated banks to the database: all of it in one transaction, or nothing."""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from crss_prep.page_cache import bump_content
from quizzes.models import Choice, Exam, ExamTopic, Question, Status, Topic

from .changes import ChangeKind, QuestionChange, compare_question
from .reader import BankError, cyclic_gc_paused
from .specs import BankFile, ExamSpec, QuestionSpec, TopicSpec

BATCH_SIZE = 500
# Any fixed number: the PostgreSQL advisory lock that serialises bank imports.
BANK_IMPORT_LOCK = 7_245_114
# How long an import waits for another one to finish before it gives up, cleanly. On SQLite
# the wait is the connection's `timeout` (20 s in settings), for any write.
LOCK_WAIT_SECONDS = 20
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that ran out

BANKS_BUSY = (
    "another import of the question banks is still running: nothing was written; "
    "try again when it has finished"
)
UNKNOWN_EXAM_TOPIC = "{what} names unknown topic '{slug}'; known topics: {known}"
NOT_ENOUGH_QUESTIONS = (
    "{what} asks for {items} items but its topics have only {available} published questions"
)


class BankValidationError(Exception):
    """The banks break the format's rules; nothing was written."""

    def __init__(self, errors: list[BankError]) -> None:
        super().__init__(f"{len(errors)} errors in the question banks")
        self.errors = errors


class BanksBusy(BankValidationError):
    """Another import held the banks for longer than an import waits; nothing was written.

    A ``BankValidationError``, so that every caller (``load_questions``, the admin import)
    already shows it as the clean, one-line error it is, named on the first file.
    """

    def __init__(self, banks: list[BankFile]) -> None:
        path = banks[0].path if banks else "."
        super().__init__([BankError(path, 1, BANKS_BUSY)])


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
    question_changes: list[QuestionChange] = field(default_factory=list)

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


def wait_for_banks() -> None:
    """``lock_banks``, waiting at most ``LOCK_WAIT_SECONDS`` on PostgreSQL (which would
    otherwise wait for ever). Raises ``OperationalError`` when the wait runs out."""
    if connection.vendor != "postgresql":
        lock_banks()
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        (usual,) = cursor.fetchone()
        wait = f"{round(LOCK_WAIT_SECONDS * 1000)}ms"
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [wait])
        lock_banks()
        # The rest of the import waits for row locks as anything else does.
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [usual])


def waited_too_long(error: OperationalError) -> bool:
    """The database gave up waiting for a lock that another transaction held."""
    if connection.vendor == "postgresql":
        return getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE
    # SQLite's IMMEDIATE transactions take the write lock at BEGIN, so only BEGIN can fail so.
    return connection.vendor == "sqlite" and "database is locked" in str(error)


def import_banks(banks: list[BankFile], *, dry_run: bool = False) -> LoadReport:
    """Check the banks against the database and write them, in one transaction.

    With ``dry_run`` everything is written and then rolled back, so the report is exactly
    what a real run would do. Raises ``BankValidationError`` and writes nothing on errors;
    ``BanksBusy`` (one of them) when another import holds the banks for too long.
    """
    try:
        with transaction.atomic():
            wait_for_banks()
            # Thousands of rows read and written: the reader's reason to pause the collector.
            with cyclic_gc_paused():
                report = write_banks(banks)
            if dry_run:
                transaction.set_rollback(True)
            else:
                bump_content()  # bulk writes send no signals: tell the page caches
    except OperationalError as error:
        if waited_too_long(error):
            raise BanksBusy(banks) from error
        raise
    return report


def write_banks(banks: list[BankFile]) -> LoadReport:
    errors = check_exams_against_database(banks)
    if errors:
        raise BankValidationError(errors)
    report = LoadReport()
    topics = write_topics([b.topic for b in banks if b.topic], report.topics)
    for bank in banks:
        if bank.topic:
            write_questions(
                topics[bank.topic.slug],
                bank.topic.questions,
                report.questions,
                report.question_changes,
            )
    write_exams([exam for bank in banks for exam in bank.exams], report.exams)
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


# What a question's spec sets, in the order of ``question_row``; compared on every reload.
QUESTION_FIELDS = ["topic_id", "kind", "domain", "status", "stem", "explanation", "source", "tags"]
TOPIC, STATUS = QUESTION_FIELDS.index("topic_id"), QUESTION_FIELDS.index("status")


def question_row(topic: Topic, spec: QuestionSpec) -> tuple:
    return (
        topic.pk,
        spec.kind,
        spec.domain,
        spec.status,
        spec.stem,
        spec.explanation,
        spec.source,
        list(spec.tags),
    )


def stored_question_rows(topic: Topic, external_ids: list[str]) -> dict[str, tuple[int, tuple]]:
    """External id -> (pk, ``question_row`` as stored): the topic's questions, and any of
    ``external_ids`` stored under another topic (a question moved to another file).

    Plain rows, not model instances: a reload compares thousands of questions, most of them
    unchanged, and building a model for each (dates converted and all) cost more than the
    comparison itself. Reading by topic also gives the questions to retire, and needs no
    list of thousands of ids in the query.
    """
    fields = ["external_id", "pk", *QUESTION_FIELDS]
    rows = list(Question.objects.filter(topic=topic).values_list(*fields))
    in_topic = {external_id for external_id, *_ in rows}
    elsewhere = [external_id for external_id in external_ids if external_id not in in_topic]
    for batch in batched(elsewhere):
        rows.extend(Question.objects.filter(external_id__in=batch).values_list(*fields))
    return {external_id: (pk, tuple(row)) for external_id, pk, *row in rows}


def choice_rows(spec: QuestionSpec) -> list[tuple[str, str, bool, str]]:
    return sorted((c.key, c.text, c.key == spec.answer, c.feedback) for c in spec.choices)


def stored_choice_rows(
    topic: Topic, elsewhere: list[int]
) -> dict[int, list[tuple[str, str, bool, str]]]:
    """Question pk -> its ``choice_rows`` as stored, for the topic's questions and the
    questions ``elsewhere`` (pks of questions moving in from another topic)."""
    querysets = [Choice.objects.filter(question__topic=topic)]
    querysets += [Choice.objects.filter(question_id__in=batch) for batch in batched(elsewhere)]
    rows: dict[int, list] = {}
    for queryset in querysets:
        for question_id, *row in queryset.order_by("question_id", "key").values_list(
            "question_id", "key", "text", "is_correct", "feedback"
        ):
            rows.setdefault(question_id, []).append(tuple(row))
    return rows


def write_questions(
    topic: Topic, specs: Iterable[QuestionSpec], tally: Tally, changes: list[QuestionChange]
) -> None:
    """Create, update or leave each question; retire the topic's questions not in ``specs``.
    What each one created, updated or retired changes is added to ``changes``."""
    specs = list(specs)
    ids = [spec.external_id for spec in specs]
    stored = stored_question_rows(topic, ids)
    moving_in = [pk for pk, row in stored.values() if row[TOPIC] != topic.pk]
    stored_choices = stored_choice_rows(topic, moving_in)

    now = timezone.now()
    new, changed, rechoiced = [], [], []
    for spec in specs:
        row = question_row(topic, spec)
        values = dict(zip(QUESTION_FIELDS, row, strict=True))
        if spec.external_id not in stored:
            new.append(
                Question(external_id=spec.external_id, created_at=now, updated_at=now, **values)
            )
            rechoiced.append(spec)
            changes.append(QuestionChange(spec.external_id, ChangeKind.NEW))
            continue
        pk, stored_row = stored[spec.external_id]
        fields_differ = stored_row != row
        choices_differ = stored_choices.get(pk, []) != choice_rows(spec)
        if not (fields_differ or choices_differ):
            tally.unchanged += 1
            continue
        changed.append(Question(pk=pk, external_id=spec.external_id, updated_at=now, **values))
        changes.append(
            compare_question(
                spec.external_id,
                before=stored_row,
                after=row,
                choices_before=stored_choices.get(pk, []),
                choices_after=choice_rows(spec),
            )
        )
        if choices_differ:
            rechoiced.append(spec)

    Question.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Question.objects.bulk_update(changed, [*QUESTION_FIELDS, "updated_at"], batch_size=BATCH_SIZE)
    tally.created += len(new)
    tally.updated += len(changed)

    question_pks = {q.external_id: q.pk for q in [*new, *changed]}
    replace_choices([(spec, question_pks[spec.external_id]) for spec in rechoiced])

    # Only the topic's own questions can be missing from its file: those found elsewhere
    # were looked up because the file names them.
    in_files = set(ids)
    retiring = {
        external_id: pk
        for external_id, (pk, row) in stored.items()
        if external_id not in in_files and row[STATUS] != Status.RETIRED
    }
    changes.extend(QuestionChange(external_id, ChangeKind.RETIRED) for external_id in retiring)
    retired = list(retiring.values())
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
