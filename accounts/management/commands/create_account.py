import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import Role, assign_role


class Command(BaseCommand):
    help = "Create or update an account with a role: candidate, trainer or (cohort) lead."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input instead of prompting",
        )

    def handle(self, *args, username, role, email, password_stdin, **options):
        password = self.read_password(password_stdin)
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        if email:
            user.email = email
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("password refused: " + " ".join(exc.messages)) from None
        created = user.pk is None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            assign_role(user, Role(role))
        verb = "created" if created else "updated"
        self.stdout.write(f"{verb} account '{username}' with role {role}")

    def read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the two passwords differ")
        if not password:
            raise CommandError("the password is empty")
        return password
