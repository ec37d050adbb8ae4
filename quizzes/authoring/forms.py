"""Forms behind the trainer's admin: every rule a trainer can break, with a message that says
which rule broke and how to fix it.

A question's rules are ``quizzes.question_rules``, the same the bank format
(``quizzes.authoring.banks.schema``) and the GIFT import apply, in the same words: whatever
the admin saves exports to files that ``load_questions`` accepts as they are. The exam forms
are in ``exam_forms``.
"""

import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet

from quizzes.authoring.banks.reader import MAX_FILE_BYTES
from quizzes.models import Choice, Question, Topic
from quizzes.question_rules import (
    CHOICE_KEYS,
    MAX_TEXT_CHARS,
    ChoiceDraft,
    choice_problems,
    explanation_problem,
    slug_problem,
)

MAX_UPLOAD_FILES = 30
MAX_ARCHIVE_BYTES = MAX_UPLOAD_FILES * MAX_FILE_BYTES
BANK_SUFFIXES = (".yaml", ".yml")
ZIP_SUFFIX = ".zip"

# --- messages (tests assert them) ------------------------------------------------------------

THIS_QUESTION = "This question {problem}."  # a question rule broken, in its own words
BAD_TAG = "Tag {problem}."
NOT_A_BANK_FILE = "“{name}” is not a bank file: upload .yaml or .yml files, or a .zip of them."
FILE_TOO_LARGE = "“{name}” is {size:.1f} MiB; a bank file may be at most 2 MiB. Split it by topic."
ARCHIVE_TOO_LARGE = "“{name}” is {size:.1f} MiB; an archive of banks may be at most {limit} MiB."
NOT_A_ZIP = "“{name}” is not a readable .zip archive."
EMPTY_ZIP = "“{name}” holds no .yaml bank files."
SAME_FILE_NAME = "Two files are named “{name}”: upload each bank file once."
TOO_MANY_FILES = "Upload at most {limit} bank files at a time ({count} given)."


# --- choices ---------------------------------------------------------------------------------


def choice_rule_errors(choices: list[ChoiceDraft]) -> list[str]:
    """Every rule a question's choices break, as messages for the trainer."""
    return [THIS_QUESTION.format(problem=problem) for problem in choice_problems(choices)]


class ChoiceForm(forms.ModelForm):
    key = forms.ChoiceField(choices=[("", "—"), *((k, k) for k in CHOICE_KEYS)])
    text = forms.CharField(max_length=MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 2}))
    feedback = forms.CharField(
        max_length=MAX_TEXT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: shown with this choice after the candidate submits.",
    )

    class Meta:
        model = Choice
        fields = ["key", "text", "is_correct", "feedback"]


class ChoiceInlineFormSet(BaseInlineFormSet):
    """A question's choices: 2 to 6, exactly one correct, keys and texts all different."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Blank rows come with the next free letters, so a trainer only types the texts.
        used = {choice.key for choice in self.get_queryset()}
        self.initial_extra = [{"key": key} for key in CHOICE_KEYS if key not in used]

    def kept_forms(self) -> list[forms.Form]:
        return [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self) -> None:
        # Replaces the model formset's unique check: choice_rule_errors words it better.
        if any(self.errors):
            return
        drafts = [
            ChoiceDraft(
                key=form.cleaned_data["key"],
                text=form.cleaned_data["text"],
                is_correct=bool(form.cleaned_data.get("is_correct")),
            )
            for form in self.kept_forms()
        ]
        errors = choice_rule_errors(drafts)
        if errors:
            raise ValidationError(errors)

    def save(self, commit: bool = True) -> list[Choice]:
        if commit:
            self.release_rewritten_rows()
        return super().save(commit=commit)

    def release_rewritten_rows(self) -> None:
        """Delete, in one statement, the stored choices this save rewrites or removes.

        Choices are saved one at a time, so moving the correct mark from b to a, or swapping
        two keys, would briefly break the "one correct choice" or "unique key" constraint
        (neither is deferrable). With the rows gone first, every write is an insert towards a
        valid final set: ``save()`` inserts a row whose UPDATE matched nothing, keeping its id.
        Nothing refers to a Choice row (attempts keep their own copy of the choices).
        """
        if self.instance.pk is None:
            return
        rewritten = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and (form.has_changed() or self._should_delete_form(form))
        ]
        if rewritten:
            Choice.objects.filter(question=self.instance, pk__in=rewritten).delete()


# --- questions and topics --------------------------------------------------------------------


class TagsField(forms.CharField):
    """Tags typed as ``supervision, boundaries`` and stored as a list of slugs."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value)
        return [tag.strip() for tag in text.split(",") if tag.strip()]

    def validate(self, value: list[str]) -> None:
        for tag in value:
            problem = slug_problem(tag)
            if problem:
                raise ValidationError(BAD_TAG.format(problem=problem), code="bad_tag")

    def has_changed(self, initial: object, data: object) -> bool:
        return list(initial or []) != self.to_python(data)


def markdown_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "vLargeTextField"})


class QuestionAdminForm(forms.ModelForm):
    stem = forms.CharField(
        max_length=MAX_TEXT_CHARS,
        widget=markdown_area(5),
        help_text="The question as the candidate reads it (Markdown).",
    )
    explanation = forms.CharField(
        max_length=MAX_TEXT_CHARS,
        required=False,
        widget=markdown_area(5),
        help_text=(
            "Why the right answer is right and the most tempting wrong one is wrong "
            "(Markdown). Required unless the question is a draft."
        ),
    )
    tags = TagsField(
        required=False,
        max_length=1000,
        help_text="Optional, separated by commas, e.g. “supervision, boundaries”.",
    )

    class Meta:
        model = Question
        fields = [
            "external_id",
            "topic",
            "status",
            "kind",
            "domain",
            "tags",
            "source",
            "stem",
            "explanation",
        ]
        help_texts = {"source": "Leave blank to use the topic's source article."}

    def clean(self) -> dict:
        cleaned = super().clean()
        status = cleaned.get("status")
        problem = explanation_problem(cleaned.get("explanation", ""), status) if status else None
        if problem:
            self.add_error("explanation", THIS_QUESTION.format(problem=problem))
        topic = cleaned.get("topic")
        if topic is not None and not cleaned.get("source"):
            # The bank format gives a question its topic's source when it names none.
            cleaned["source"] = topic.source
        return cleaned


class TopicAdminForm(forms.ModelForm):
    notes = forms.CharField(
        label="Study notes (Markdown)",
        max_length=MAX_TEXT_CHARS,
        required=False,
        widget=markdown_area(16),
    )

    class Meta:
        model = Topic
        fields = ["title", "slug", "source", "notes"]


# --- bank upload -----------------------------------------------------------------------------


MAX_GIFT_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class BankUpload:
    """One uploaded bank file: the name the trainer knows it by, and its bytes."""

    name: str
    content: bytes


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".yaml,.yml,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) and data else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


def too_large(name: str, size: int) -> str:
    return FILE_TOO_LARGE.format(name=name, size=size / 1024 / 1024)


def read_upload(upload: UploadedFile) -> tuple[list[BankUpload], list[str]]:
    """A .yaml file as it is, or the .yaml files inside a .zip; with every problem found."""
    name = PurePosixPath(upload.name or "upload").name
    lowered = name.lower()
    if lowered.endswith(BANK_SUFFIXES):
        if upload.size > MAX_FILE_BYTES:
            return [], [too_large(name, upload.size)]
        return [BankUpload(name, upload.read())], []
    if lowered.endswith(ZIP_SUFFIX):
        return read_archive(name, upload)
    return [], [NOT_A_BANK_FILE.format(name=name)]


def bank_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The .yaml files in an archive, leaving out folders and macOS resource forks."""
    members = []
    for member in archive.infolist():
        path = PurePosixPath(member.filename)
        if member.is_dir() or "__MACOSX" in path.parts or path.name.startswith("._"):
            continue
        if path.name.lower().endswith(BANK_SUFFIXES):
            members.append(member)
    return members


def read_archive(name: str, upload: UploadedFile) -> tuple[list[BankUpload], list[str]]:
    if upload.size > MAX_ARCHIVE_BYTES:
        size, limit = upload.size / 1024 / 1024, MAX_ARCHIVE_BYTES // 1024 // 1024
        return [], [ARCHIVE_TOO_LARGE.format(name=name, size=size, limit=limit)]
    try:
        with zipfile.ZipFile(upload) as archive:
            return read_members(name, archive)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return [], [NOT_A_ZIP.format(name=name)]


def read_members(name: str, archive: zipfile.ZipFile) -> tuple[list[BankUpload], list[str]]:
    members = bank_members(archive)
    if not members:
        return [], [EMPTY_ZIP.format(name=name)]
    if len(members) > MAX_UPLOAD_FILES:
        # Checked before reading anything: a small archive can unpack to a great deal.
        return [], [TOO_MANY_FILES.format(limit=MAX_UPLOAD_FILES, count=len(members))]
    files, errors = [], []
    for member in members:
        display = f"{name}/{member.filename}"
        if member.file_size > MAX_FILE_BYTES:
            errors.append(too_large(display, member.file_size))
            continue
        with archive.open(member) as stream:
            # Read one byte past the limit: a member may lie about its size.
            content = stream.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            errors.append(too_large(display, len(content)))
            continue
        files.append(BankUpload(display, content))
    return files, errors


class BankUploadForm(forms.Form):
    files = MultipleFileField(
        label="Bank files",
        help_text=(
            "One or more .yaml bank files (at most 2 MiB each), or the .zip that "
            "“Export banks” downloads."
        ),
    )

    def clean_files(self) -> list[BankUpload]:
        banks, errors = [], []
        for upload in self.cleaned_data["files"]:
            found, problems = read_upload(upload)
            banks.extend(found)
            errors.extend(problems)
        for name, count in Counter(bank.name for bank in banks).items():
            if count > 1:
                errors.append(SAME_FILE_NAME.format(name=name))
        if len(banks) > MAX_UPLOAD_FILES:
            errors.append(TOO_MANY_FILES.format(limit=MAX_UPLOAD_FILES, count=len(banks)))
        if errors:
            raise ValidationError(errors)
        return banks


GIFT_NOT_UTF8 = "{name} is not UTF-8 text; save it as UTF-8 and upload it again."
GIFT_TOO_LARGE = "{name} is {size:.1f} MiB; a GIFT file may be at most 2 MiB."
GIFT_NUL = "{name} holds NUL characters, so it is not a text file: export it from Moodle again."


class GiftUploadForm(forms.Form):
    """A Moodle GIFT file and the topic its questions go to (unless a $CATEGORY says else)."""

    file = forms.FileField(label="GIFT file", help_text="A Moodle question export (.txt or .gift).")
    topic = forms.SlugField(
        label="Topic slug",
        max_length=Topic._meta.get_field("slug").max_length,
        help_text="Questions go to this topic (created if new), unless a $CATEGORY: line "
        "names another topic.",
    )

    def clean_file(self) -> tuple[str, str]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_GIFT_BYTES:
            raise ValidationError(GIFT_TOO_LARGE.format(name=upload.name, size=upload.size / 2**20))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(GIFT_NOT_UTF8.format(name=upload.name)) from None
        if "\x00" in text:
            # Not text, and PostgreSQL refuses NUL in a text column: say so before loading.
            raise ValidationError(GIFT_NUL.format(name=upload.name))
        return upload.name, text
