"""Single rows read with one fixed statement, for the reads every request makes.

Through the ORM's query builder, building a one-row ``SELECT`` took longer than running it
(the signed-in user on every request, an attempt on every page of it). The statement here is
written once per process; the row, its type conversions and its model are still Django's
(``Manager.raw``).
"""

from functools import cache

from django.db import models

# The largest value of the database's integer columns: an id or number above it can match no
# row, and is not sent to the database, where it would overflow the column.
MAX_DATABASE_INT = 2**63 - 1


@cache
def select_statement(model: type[models.Model], *fields: str) -> str:
    """``SELECT`` every column of ``model`` for the row whose ``fields`` equal the parameters
    (``%s``, in order). The columns by name, not ``*``: the statement is prepared on each
    connection, and a column that a migration adds must not change what a running process
    prepared."""
    meta = model._meta
    columns = ", ".join(field.column for field in meta.concrete_fields)
    matches = " AND ".join(f"{meta.get_field(name).column} = %s" for name in fields)
    return f"SELECT {columns} FROM {meta.db_table} WHERE {matches}"  # noqa: S608 -- names from the model


def fetch_row(model: type[models.Model], **values: int) -> models.Model | None:
    """The one ``model`` row whose fields hold ``values`` (integers), or None."""
    if max(values.values()) > MAX_DATABASE_INT:
        return None
    statement = select_statement(model, *values)
    return next(iter(model._default_manager.raw(statement, list(values.values()))), None)
