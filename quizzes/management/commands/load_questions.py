from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from quizzes.authoring.banks import BankValidationError, load_bank_paths
from quizzes.models import Question

NOT_MIGRATED = (
    "The database has no question tables yet: run `python manage.py migrate` first "
    "(a check compares the banks with what the database holds)."
)


class Command(BaseCommand):
    help = (
        "Validate YAML question banks and load them in one transaction. PATH is a file or a "
        "folder (default: content/). On any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", type=Path)
        parser.add_argument(
            "--check", action="store_true", help="validate and report, without writing"
        )

    def handle(self, *args, paths, check, **options):
        if Question._meta.db_table not in connection.introspection.table_names():
            raise CommandError(NOT_MIGRATED)
        try:
            report = load_bank_paths(paths or [settings.CRSS_CONTENT_DIR], dry_run=check)
        except BankValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} error(s) in the question banks; nothing was written."
            ) from None
        if check:
            self.stdout.write("check only: the banks are valid; nothing was written")
        for line in report.lines():
            self.stdout.write(line)
