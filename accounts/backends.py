"""The backend that loads the signed-in user on every request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's model backend, with the per-request user load as one fixed statement.

    Every signed-in request loads its user, and most of the exam's requests are small saves:
    through the ORM's query builder that load costs about as much as the save itself. The
    statement is written once; the row, its type conversions and the checks are Django's (the
    session hash is still checked against the password read here, an inactive user is still
    refused)."""

    def get_user(self, user_id):
        model = get_user_model()
        table, key = model._meta.db_table, model._meta.pk.column
        # The columns by name, not *: the statement is prepared on each connection, and a
        # column added by a migration must not change what a running process prepared.
        columns = ", ".join(field.column for field in model._meta.concrete_fields)
        statement = f"SELECT {columns} FROM {table} WHERE {key} = %s"  # noqa: S608 -- from the model
        user = next(iter(model._default_manager.raw(statement, [user_id])), None)
        return user if self.user_can_authenticate(user) else None
