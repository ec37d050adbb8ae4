"""An import's uploaded files, between the dry run that checked them and Apply.

The files are kept in the database under a random token that only the uploader's session
knows (``StagedBankFile``); a staged import older than a day is cleared out by the next one.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from quizzes.authoring.banks import BankText
from quizzes.authoring.forms import BankUpload
from quizzes.models import StagedBankFile

SESSION_KEY = "quizzes.bank_import"
MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class StagedImport:
    token: str
    texts: tuple[BankText, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.texts)


def stage(request: HttpRequest, uploads: list[BankUpload]) -> StagedImport:
    """Keep the uploads for this session's Apply (replacing any earlier dry run's)."""
    forget(request)
    StagedBankFile.objects.filter(created_at__lt=timezone.now() - MAX_AGE).delete()
    token = secrets.token_urlsafe(24)
    StagedBankFile.objects.bulk_create(
        StagedBankFile(token=token, owner=request.user, position=i, name=u.name, content=u.content)
        for i, u in enumerate(uploads)
    )
    request.session[SESSION_KEY] = token
    return StagedImport(token, tuple((upload.name, upload.content) for upload in uploads))


def recall(request: HttpRequest, token: str) -> StagedImport | None:
    """The files of this session's dry run, if ``token`` names it and it is still kept."""
    if not token or request.session.get(SESSION_KEY) != token:
        return None
    files = list(StagedBankFile.objects.staged(token, request.user).values_list("name", "content"))
    if not files:
        return None
    # PostgreSQL hands binary columns back as memoryview.
    return StagedImport(token, tuple((name, bytes(content)) for name, content in files))


def forget(request: HttpRequest) -> None:
    token = request.session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        StagedBankFile.objects.filter(token=token, owner=request.user).delete()
