from pathlib import Path

from django.core.management.base import BaseCommand

from quizzes.banks.exporter import export_banks


class Command(BaseCommand):
    help = (
        "Write the database's topics, questions and exams as bank files that load_questions reads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path("export"),
            metavar="DIR",
            help="folder to write into (default: ./export)",
        )

    def handle(self, *args, output, **options):
        for path in export_banks(output):
            self.stdout.write(f"wrote {path}")
