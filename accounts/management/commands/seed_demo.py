from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from accounts.roles import Role, assign_role
from cohorts.demo import seed_demo_cohort
from quizzes.demo_history import seed_candidate_history
from quizzes.models import Attempt, Exam, Question

# Local demo only: these accounts are refused on any database but the embedded SQLite one.
DEMO_ACCOUNTS = [
    ("demo-candidate", "crss-demo-candidate", Role.CANDIDATE),
    ("demo-trainer", "crss-demo-trainer", Role.TRAINER),
    ("demo-lead", "crss-demo-lead", Role.LEAD),
]


class Command(BaseCommand):
    help = (
        "Load content/ if the database has no questions yet, then create one demo account per "
        "role, give the demo candidate two weeks of practice and the lead a demo cohort, and "
        "print the accounts (embedded SQLite database only)."
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
            candidate = User.objects.get(username="demo-candidate")
            seed_candidate_history(user=candidate, now=timezone.now())
            lead = User.objects.get(username="demo-lead")
            cohort = seed_demo_cohort(lead=lead)
        self.stdout.write(describe_history(candidate))
        self.stdout.write(
            f"Demo cohort '{cohort.name}' (join code {cohort.join_code}) with "
            f"{cohort.members.count()} learners, led by demo-lead."
        )
        self.stdout.write("Demo accounts (local SQLite only):")
        for username, password, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.value:<10} username: {username:<16} password: {password}")


def describe_history(candidate: AbstractBaseUser) -> str:
    """One line on the candidate's submitted attempts, for the output of ``make run``."""
    attempts = Attempt.objects.for_user(candidate).submitted()
    span = attempts.aggregate(first=Min("started_at"), last=Max("submitted_at"))
    if span["first"] is None:
        return f"{candidate.username} has no attempts yet."
    first, last = (timezone.localdate(span[end]) for end in ("first", "last"))
    total = attempts.count()
    mocks = attempts.filter(exam__in=Exam.objects.mocks()).count()
    return (
        f"{candidate.username} has a practice history: {total} submitted attempts "
        f"({mocks} mocks, {total - mocks} drills) from {first} to {last}."
    )
