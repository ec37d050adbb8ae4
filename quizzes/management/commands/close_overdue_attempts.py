from django.core.management.base import BaseCommand

from quizzes.services import close_overdue_attempts


class Command(BaseCommand):
    help = "Submit every attempt whose time has run out (safe to run every minute)."

    def handle(self, *args, **options):
        closed = close_overdue_attempts()
        self.stdout.write(f"closed {closed} overdue attempt(s)")
