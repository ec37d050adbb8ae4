from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.authoring.banks import BankValidationError
from quizzes.authoring.banks.reader import MAX_FILE_BYTES, decode_utf8
from quizzes.authoring.banks.schema import SLUG_RE
from quizzes.authoring.gift import GiftImport, GiftImportError, gift_to_bank_documents, load_gift

BAD_TOPIC = "--topic '{slug}' is not a valid slug: use lowercase letters, digits and single hyphens"
NO_SUCH_FILE = "{path}: no such file"
TOO_LARGE = "{path}: the file is {size:.1f} MiB; a GIFT file may be at most 2 MiB"
UNREADABLE = "{error}"
OUTPUT_EXISTS = "{path} already exists; choose an empty folder or remove the file"
LOAD_FAILED = "{count} error(s) in the imported questions; nothing was written."
NOTHING_IMPORTED = "no question could be imported; nothing was written"
WROTE = "wrote {path}"
CHECK_ONLY = "check only: the questions are valid; nothing was written"


def read_gift_file(path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark is fine); ``CommandError`` if unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CommandError(TOO_LARGE.format(path=path, size=size / 1024 / 1024))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(NO_SUCH_FILE.format(path=path)) from None
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}") from None
    text, error = decode_utf8(raw, str(path))
    if error:
        raise CommandError(UNREADABLE.format(error=error))
    return text


class Command(BaseCommand):
    help = (
        "Import a Moodle GIFT file as draft questions: write it as a bank file with --output, "
        "or load it with --load (same checks and single transaction as load_questions). "
        "With neither, check everything and write nothing. Existing questions are never retired."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE", help="the GIFT file")
        parser.add_argument(
            "--topic",
            required=True,
            metavar="SLUG",
            help="topic for the questions (a $CATEGORY: naming one of our topics switches it)",
        )
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--output", type=Path, metavar="DIR", help="write <topic>.yaml bank files into DIR"
        )
        where.add_argument("--load", action="store_true", help="load into the database")

    def handle(self, *args, file, topic, output, load, **options):
        if not SLUG_RE.match(topic):
            raise CommandError(BAD_TOPIC.format(slug=topic))
        text = read_gift_file(file)
        filename = str(file)
        self.verbosity = options.get("verbosity", 1)
        if output is not None:
            result = gift_to_bank_documents(text, filename=filename, topic_slug=topic)
            self.report(result)
            self.write_files(result, output)
            return
        try:
            result, report = load_gift(text, filename=filename, topic_slug=topic, dry_run=not load)
        except BankValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(LOAD_FAILED.format(count=len(exc.errors))) from None
        except GiftImportError as exc:
            raise CommandError(str(exc)) from None
        self.report(result)
        if not result.imported:
            self.stdout.write(NOTHING_IMPORTED)
            return
        if not load:
            self.stdout.write(CHECK_ONLY)
        for line in report.lines():
            self.stdout.write(line)

    def report(self, result: GiftImport) -> None:
        """Each skip and note on its own line, then the summary."""
        if self.verbosity > 1:
            for question in result.imported:
                self.stdout.write(
                    f"{result.filename}:{question.line}: imported as {question.external_id}"
                )
        for message in result.messages():
            self.stdout.write(message)
        for line in result.summary():
            self.stdout.write(line)

    def write_files(self, result: GiftImport, output: Path) -> None:
        if not result.documents:
            self.stdout.write(NOTHING_IMPORTED)
            return
        files = result.yaml_files()
        for name in files:
            if (output / name).exists():
                raise CommandError(OUTPUT_EXISTS.format(path=output / name))
        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = output / name
            path.write_text(text, encoding="utf-8")
            self.stdout.write(WROTE.format(path=path))
