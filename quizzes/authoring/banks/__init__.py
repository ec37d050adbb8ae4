"""YAML question banks: read strictly (``reader``), check (``schema``, reading nodes with
``nodes`` into ``specs``), write (``importer``).

banks, errors = read_banks([Path("content")])
report = import_banks(banks)          # raises BankValidationError, writes nothing
"""

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from .importer import (
    BankValidationError,
    LoadReport,
    check_exams_against_database,
    import_banks,
)
from .reader import BankError, read_yaml
from .schema import read_bank_file
from .specs import BankFile, Place

BANK_SUFFIXES = {".yaml", ".yml"}
NO_SUCH_PATH = "no such file or folder"
NO_BANK_FILES = "the folder holds no .yaml bank files"
DEFINED_TWICE = "{what} '{name}' is defined more than once: at {places}"

__all__ = [
    "BankError",
    "BankFile",
    "BankValidationError",
    "LoadReport",
    "collect_bank_files",
    "import_banks",
    "load_bank_paths",
    "read_banks",
]


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
    """Read and check every file, then the rules that span files (ids unique across banks)."""
    files, errors = collect_bank_files(paths)
    banks = []
    for path in files:
        root, file_errors = read_yaml(path, str(path))
        if root is not None:
            bank, file_errors = read_bank_file(root, str(path))
            banks.append(bank)
        errors.extend(file_errors)
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
    """Read, check and import; raises ``BankValidationError`` with every error found."""
    banks, errors = read_banks(paths)
    if errors:
        # Name the database-level problems too, so one run lists everything to fix.
        raise BankValidationError(errors + check_exams_against_database(banks))
    return import_banks(banks, dry_run=dry_run)
