"""The backend that loads the signed-in user on every request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from crss_prep.fixed_rows import fetch_row


class AccountBackend(ModelBackend):
    """Django's model backend, with the per-request user load as one fixed statement.

    Every signed-in request loads its user, and most of the exam's requests are small saves:
    through the ORM's query builder that load costs about as much as the save itself. The
    statement is written once; the row, its type conversions and the checks are Django's (the
    session hash is still checked against the password read here, an inactive user is still
    refused)."""

    def get_user(self, user_id):
        model = get_user_model()
        user = fetch_row(model, **{model._meta.pk.name: model._meta.pk.to_python(user_id)})
        return user if self.user_can_authenticate(user) else None
