# An answer's save is the most frequent write: it should touch the item's row and nothing
# else. Items are ordered without joining their attempt; the two indexes that repeated the
# leading column of another are dropped; and on PostgreSQL each page of items keeps room for
# their new versions, so that a save can be a HOT update that writes no index at all.

import django.db.models.deletion
from django.db import migrations, models

ITEMS_TABLE = "quizzes_attemptitem"
FILLFACTOR = 70  # an item is saved a few times, so about a third of each page is kept free


def set_fillfactor(apps, schema_editor, value: int | None = FILLFACTOR):
    if schema_editor.connection.vendor != "postgresql":
        return
    if value is None:
        schema_editor.execute(f"ALTER TABLE {ITEMS_TABLE} RESET (fillfactor)")
    else:
        schema_editor.execute(f"ALTER TABLE {ITEMS_TABLE} SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    set_fillfactor(apps, schema_editor, value=None)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_practice_sessions_and_stars"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="attemptitem",
            options={"ordering": ["attempt_id", "position"]},
        ),
        migrations.AlterField(
            model_name="attemptitem",
            name="attempt",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="quizzes.attempt",
            ),
        ),
        migrations.AlterField(
            model_name="attemptitem",
            name="question",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="attempt_items",
                to="quizzes.question",
            ),
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
