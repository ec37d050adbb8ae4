from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.authoring.lint_text import seed_index
from quizzes.authoring.question_lint import lint_pool
from quizzes.authoring.question_lint_sources import (
    SEEDS_ENV,
    load_seeds,
    questions_from_banks,
    questions_from_database,
    seeds_location,
)

SEEDS_MISSING = (
    "WARNING: no seed articles found in {folder} (set {env}): the seed-copy check was SKIPPED."
)
FLAGGED = "{count} item-writing flag(s) in {questions} question(s)."
GUESSER_TOO_HIGH = "the guesser scores {percent} %, above the limit of {limit} %."
BANK_ERRORS = "{count} error(s) in the question banks (those questions were not linted)."


def default_content_dir() -> Path:
    """The content folder, relative to the working directory when it is inside it (shorter
    ``path:line`` prefixes that editors can follow)."""
    folder = Path(settings.CRSS_CONTENT_DIR)
    try:
        return folder.relative_to(Path.cwd())
    except ValueError:
        return folder


class Command(BaseCommand):
    # The linter serves no page and writes nothing: URL and admin checks add nothing to it,
    # and a trainer can lint a bank while another part of a checkout does not import.
    requires_system_checks = []
    help = (
        "Report item-writing flaws (issue 16) in YAML question banks, one line per flag as "
        "'path:line: question-id: code: message', then 'guesser: NN %' (the share of published "
        "questions a test-wise guesser gets right). PATH is a file or folder (default: "
        "content/); questions are compared with each other (near-duplicates, one scenario in "
        "two topics) only among the files linted together. Exits with status 1 when any flag "
        "is found. The codes and rules are in quizzes/authoring/question_lint.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", type=Path)
        parser.add_argument(
            "--database",
            action="store_true",
            help="lint the published questions in the database instead of bank files",
        )
        parser.add_argument(
            "--max-guesser",
            type=int,
            metavar="PERCENT",
            help="also fail when the guesser scores above PERCENT",
        )

    def handle(self, *args, paths, database, max_guesser, **options):
        if database and paths:
            raise CommandError("give either PATHs or --database, not both")
        errors = []
        if database:
            questions = questions_from_database()
        else:
            questions, errors = questions_from_banks(paths or [default_content_dir()])
        for error in errors:
            self.stderr.write(str(error))
        seeds = load_seeds()
        if seeds is None:
            self.stderr.write(
                self.style.WARNING(SEEDS_MISSING.format(folder=seeds_location(), env=SEEDS_ENV))
            )
        report = lint_pool(questions, seeds=seed_index(seeds) if seeds else None)
        for flag in report.flags:
            self.stdout.write(str(flag) if flag.place else f"database: {flag}")
        self.stdout.write(str(report.guesser))
        failures = []
        if errors:
            failures.append(BANK_ERRORS.format(count=len(errors)))
        if report.flags:
            flagged = len({flag.question_id for flag in report.flags})
            failures.append(FLAGGED.format(count=len(report.flags), questions=flagged))
        if max_guesser is not None and report.guesser.above(max_guesser):
            failures.append(
                GUESSER_TOO_HIGH.format(percent=report.guesser.percent, limit=max_guesser)
            )
        if failures:
            raise CommandError(" ".join(failures), returncode=1)
