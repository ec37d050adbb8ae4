"""YAML question banks: read strictly (``reader``), check (``schema``, reading nodes with
``nodes`` into ``specs``), write (``importer``).

Banks come from files (``load_questions``) or from texts already in hand (an admin upload,
a converted GIFT file); either way each text is parsed once, and errors name it as given:

report = load_bank_paths([Path("content")])                  # raises BankValidationError
report = load_bank_texts([("topic.yaml", text)], dry_run=True)
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from .importer import (
    BankValidationError,
    LoadReport,
    check_exams_against_database,
    import_banks,
)
from .reader import BankError, read_file, read_yaml
from .schema import read_bank_file
from .specs import BankFile, Place

BANK_SUFFIXES = {".yaml", ".yml"}
NO_SUCH_PATH = "no such file or folder"
NO_BANK_FILES = "the folder holds no .yaml bank files"
DEFINED_TWICE = "{what} '{name}' is defined more than once: at {places}"

__all__ = [
    "BankError",
    "BankFile",
    "BankText",
    "BankValidationError",
    "LoadReport",
    "collect_bank_files",
    "import_banks",
    "load_bank_paths",
    "load_bank_texts",
    "read_bank_texts",
    "read_banks",
]

# A bank in hand: the name its errors are shown under, and its YAML (UTF-8 bytes or text).
BankText = tuple[str, bytes | str]


def collect_bank_files(paths: Iterable[Path]) -> tuple[list[Path], list[BankError]]:
    """Expand folders into their .yaml files (sorted, recursively); keep files as given."""
    files, errors = [], []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in BANK_SUFFIXES and p.is_file())
            if not found:
                errors.append(BankError(str(path), 1, NO_BANK_FILES))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(BankError(str(path), 1, NO_SUCH_PATH))
    return files, errors


def read_banks(paths: Iterable[Path]) -> tuple[list[BankFile], list[BankError]]:
    """Read and check every file under ``paths``; see ``read_bank_texts``."""
    files, errors = collect_bank_files(paths)

    def texts() -> Iterator[BankText]:
        # One file in memory at a time: a file's bytes are dropped once it is parsed.
        for path in files:
            raw, error = read_file(path, str(path))
            if error:
                errors.append(error)
            else:
                yield str(path), raw

    banks, bank_errors = read_bank_texts(texts())
    return banks, errors + bank_errors


def read_bank_texts(texts: Iterable[BankText]) -> tuple[list[BankFile], list[BankError]]:
    """Read and check every text, then the rules that span texts (ids unique across banks)."""
    banks, errors = [], []
    for name, text in texts:
        root, text_errors = read_yaml(text, name)
        if root is not None:
            bank, text_errors = read_bank_file(root, name)
            banks.append(bank)
        errors.extend(text_errors)
    errors.extend(find_duplicates(banks))
    return banks, errors


def find_duplicates(banks: list[BankFile]) -> list[BankError]:
    """Topic slugs, question ids and exam slugs must each be defined once across all files."""
    places: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for bank in banks:
        if bank.topic:
            places["topic", bank.topic.slug].append(bank.topic.place)
            for question in bank.topic.questions:
                places["question id", question.external_id].append(question.place)
        for exam in bank.exams:
            places["exam", exam.slug].append(exam.place)
    errors = []
    for (what, name), found in places.items():
        if len(found) > 1:
            message = DEFINED_TWICE.format(
                what=what, name=name, places=" and ".join(str(p) for p in found)
            )
            errors.extend(BankError(p.path, p.line, message) for p in found[1:])
    return errors


def load_bank_paths(paths: Iterable[Path], *, dry_run: bool = False) -> LoadReport:
    """Read, check and import files; raises ``BankValidationError`` with every error found."""
    return load_banks(*read_banks(paths), dry_run=dry_run)


def load_bank_texts(texts: Iterable[BankText], *, dry_run: bool = False) -> LoadReport:
    """Read, check and import texts; raises ``BankValidationError`` with every error found."""
    return load_banks(*read_bank_texts(texts), dry_run=dry_run)


def load_banks(banks: list[BankFile], errors: list[BankError], *, dry_run: bool) -> LoadReport:
    if errors:
        # Name the database-level problems too, so one run lists everything to fix.
        raise BankValidationError(errors + check_exams_against_database(banks))
    return import_banks(banks, dry_run=dry_run)
