from pathlib import Path

from django.core.management.base import BaseCommand

from quizzes.authoring.banks.exporter import export_banks
from quizzes.authoring.gift import questions_to_gift

DEFAULT_FOLDER = Path("export")


class Command(BaseCommand):
    help = (
        "Write the database's topics, questions and exams as bank files that load_questions "
        "reads, or (--format gift) its questions as one Moodle GIFT file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["yaml", "gift"],
            default="yaml",
            help="yaml: bank files (default); gift: Moodle GIFT, without retired questions",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            metavar="DIR|FILE",
            help="yaml: folder to write into (default: ./export); gift: file (default: stdout)",
        )

    def handle(self, *args, output_format, output, **options):
        if output_format == "gift":
            text = questions_to_gift()
            if output is None:
                self.stdout.write(text, ending="")
            else:
                output.write_text(text, encoding="utf-8")
                self.stdout.write(f"wrote {output}")
            return
        for path in export_banks(output or DEFAULT_FOLDER):
            self.stdout.write(f"wrote {path}")
