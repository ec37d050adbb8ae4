"""Write the database's topics, questions and exams back out in the bank format."""

import io
import zipfile
from pathlib import Path

import yaml
from django.db.models import Prefetch, QuerySet

from quizzes.models import Choice, Exam, Question, Status, Topic

EXAMS_FILE = "exams.yaml"


class Block(str):
    """Text written as a ``|`` block, the way people write stems and explanations."""


class BankDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def represent_block(dumper: yaml.SafeDumper, text: Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style="|")


BankDumper.add_representer(Block, represent_block)


def dump_yaml(document: dict) -> str:
    return yaml.dump(
        document, Dumper=BankDumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def question_document(question: Question, topic_source: str) -> dict:
    choices = {}
    for choice in question.choices.all():
        choices[choice.key] = (
            {"text": choice.text, "feedback": choice.feedback} if choice.feedback else choice.text
        )
    document: dict = {"id": question.external_id, "kind": question.kind, "domain": question.domain}
    if question.tags:
        document["tags"] = list(question.tags)
    if question.source and question.source != topic_source:
        document["source"] = question.source
    document["stem"] = Block(question.stem)
    document["choices"] = choices
    correct = [choice.key for choice in question.choices.all() if choice.is_correct]
    if correct:
        document["answer"] = correct[0]
    if question.explanation:
        document["explanation"] = Block(question.explanation)
    document["status"] = question.status
    return document


def topic_document(topic: Topic, questions: list[Question]) -> dict:
    header = {"slug": topic.slug, "title": topic.title}
    if topic.source:
        header["source"] = topic.source
    if topic.notes:
        header["notes"] = Block(topic.notes)
    return {
        "topic": header,
        "questions": [question_document(q, topic.source) for q in questions],
    }


def exams_document(exams: list[Exam]) -> dict:
    documents = []
    for exam in exams:
        document = {"slug": exam.slug, "title": exam.title}
        if exam.description:
            document["description"] = Block(exam.description)
        document |= {"items": exam.item_count, "minutes": exam.minutes, "pass_mark": exam.pass_mark}
        document["topics"] = (
            "all" if exam.all_topics else {w.topic.slug: w.weight for w in exam.topic_weights.all()}
        )
        if exam.selection != "weighted":
            document["selection"] = exam.selection
        if exam.status != Status.PUBLISHED:
            document["status"] = exam.status
        documents.append(document)
    return {"exams": documents}


def bank_documents(questions: QuerySet[Question] | None = None) -> dict[str, str]:
    """File name -> YAML text for each topic (all its questions, or only ``questions``)."""
    include_empty_topics = questions is None
    questions = (Question.objects.all() if questions is None else questions).order_by(
        "topic__slug", "external_id"
    )
    questions = questions.select_related("topic").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("key"))
    )
    by_topic: dict[Topic, list[Question]] = {}
    for question in questions:
        by_topic.setdefault(question.topic, []).append(question)
    if include_empty_topics:
        for topic in Topic.objects.exclude(pk__in=[t.pk for t in by_topic]):
            by_topic[topic] = []
    return {
        f"{topic.slug}.yaml": dump_yaml(topic_document(topic, topic_questions))
        for topic, topic_questions in sorted(by_topic.items(), key=lambda item: item[0].slug)
    }


def all_bank_documents() -> dict[str, str]:
    """Every topic file plus ``exams.yaml``: the whole bank as ``load_questions`` reads it."""
    documents = bank_documents()
    exams = list(Exam.objects.prefetch_related("topic_weights__topic").order_by("position", "slug"))
    if exams:
        documents[EXAMS_FILE] = dump_yaml(exams_document(exams))
    return documents


def export_banks(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in all_bank_documents().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def export_archive() -> bytes:
    """The whole bank as a zip of per-topic files plus ``exams.yaml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in all_bank_documents().items():
            archive.writestr(name, text)
    return buffer.getvalue()
