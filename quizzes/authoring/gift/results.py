"""What a GIFT import gives: the questions it converts, the ones it skips and why, and notes,
each named by file and line."""

from collections import Counter
from dataclasses import dataclass, field

from quizzes.authoring.banks.exporter import dump_yaml

SKIP_LINE = "{filename}:{line}: skipped {name}: {message}"
NOTE_LINE = "{filename}:{line}: {message}"
SUMMARY_IMPORTED = "imported {count} question(s) as drafts{where}"
SUMMARY_SKIPPED = "skipped {count} question(s){reasons}"


@dataclass(frozen=True)
class Skipped:
    filename: str
    line: int
    title: str
    reason: str
    message: str

    def __str__(self) -> str:
        name = f"'{self.title}'" if self.title else "an untitled question"
        return SKIP_LINE.format(
            filename=self.filename, line=self.line, name=name, message=self.message
        )


@dataclass(frozen=True)
class Note:
    filename: str
    line: int
    message: str

    def __str__(self) -> str:
        return NOTE_LINE.format(filename=self.filename, line=self.line, message=self.message)


@dataclass(frozen=True)
class ImportedQuestion:
    line: int
    title: str
    topic_slug: str
    document: dict  # one entry of a bank file's ``questions`` list

    @property
    def external_id(self) -> str:
        return self.document["id"]


@dataclass
class GiftImport:
    """What a GIFT file gives: questions per topic, skips and notes, and the bank documents."""

    filename: str
    imported: list[ImportedQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    documents: dict[str, dict] = field(default_factory=dict)  # "<topic>.yaml" -> document

    def messages(self) -> list[str]:
        """Every skip and note, in file order."""
        found = sorted([*self.skipped, *self.notes], key=lambda item: item.line)
        return [str(item) for item in found]

    def summary(self) -> list[str]:
        """``imported 3 question(s) as drafts: ...`` and ``skipped 2 question(s): ...``."""
        per_topic = Counter(question.topic_slug for question in self.imported)
        where = ", ".join(f"{count} into {slug}" for slug, count in sorted(per_topic.items()))
        reasons = Counter(skip.reason for skip in self.skipped)
        reason_list = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
        return [
            SUMMARY_IMPORTED.format(count=len(self.imported), where=f": {where}" if where else ""),
            SUMMARY_SKIPPED.format(
                count=len(self.skipped), reasons=f": {reason_list}" if reason_list else ""
            ),
        ]

    def yaml_files(self) -> dict[str, str]:
        """File name -> YAML text, as ``load_questions`` reads it."""
        return {name: dump_yaml(document) for name, document in self.documents.items()}
