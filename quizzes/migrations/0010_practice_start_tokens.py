# A practice session's start form carries a one-time token, unique per candidate: the same
# form sent twice (a double tap on a slow connection) starts one session.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0009_attempt_item_saves"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="start_token",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="attempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("start_token__isnull", False)),
                fields=("user", "start_token"),
                name="one_attempt_per_start_token",
            ),
        ),
    ]
