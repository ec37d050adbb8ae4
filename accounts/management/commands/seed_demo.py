from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.roles import Role, assign_role
from cohorts.demo import seed_demo_cohort
from quizzes.models import Question

# Local demo only: these accounts are refused on any database but the embedded SQLite one.
DEMO_ACCOUNTS = [
    ("demo-candidate", "crss-demo-candidate", Role.CANDIDATE),
    ("demo-trainer", "crss-demo-trainer", Role.TRAINER),
    ("demo-lead", "crss-demo-lead", Role.LEAD),
]


class Command(BaseCommand):
    help = (
        "Load content/ if the database has no questions yet, then create one demo account per "
        "role and print them (embedded SQLite database only)."
    )

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError("demo accounts are only made on the embedded SQLite database")
        # After the first load the database is the source of truth: trainers edit there.
        if not Question.objects.exists():
            call_command("load_questions", settings.CRSS_CONTENT_DIR, stdout=self.stdout)
        User = get_user_model()
        with transaction.atomic():
            for username, password, role in DEMO_ACCOUNTS:
                user, _ = User.objects.get_or_create(username=username)
                user.set_password(password)
                user.save()
                assign_role(user, role)
            lead = User.objects.get(username="demo-lead")
            cohort = seed_demo_cohort(lead=lead)
        self.stdout.write(
            f"Demo cohort '{cohort.name}' (join code {cohort.join_code}) with "
            f"{cohort.members.count()} learners, led by demo-lead."
        )
        self.stdout.write("Demo accounts (local SQLite only):")
        for username, password, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.value:<10} username: {username:<16} password: {password}")
