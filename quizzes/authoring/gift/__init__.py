"""Moodle GIFT: read it (``parser``), turn it into our banks (``convert``, with ``markdown``
and ``results``) and back (``exporter``).

result = gift_to_bank_documents(text, filename="week1.gift.txt", topic_slug="power-dynamics")
result.documents, result.skipped, result.notes   # nothing written yet
result, report = load_gift(text, filename=..., topic_slug=..., dry_run=True)
"""

from .convert import (
    GiftImport,
    GiftImportError,
    ImportedQuestion,
    Note,
    Skipped,
    gift_to_bank_documents,
    load_gift,
)
from .exporter import questions_to_gift
from .parser import parse_gift

__all__ = [
    "GiftImport",
    "GiftImportError",
    "ImportedQuestion",
    "Note",
    "Skipped",
    "gift_to_bank_documents",
    "load_gift",
    "parse_gift",
    "questions_to_gift",
]
