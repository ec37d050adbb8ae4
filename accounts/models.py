from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

MAX_EXTRA_TIME_PERCENT = 200


class CandidateProfile(models.Model):
    """What we keep about a candidate beyond the login: their exam accommodation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    extra_time_percent = models.PositiveSmallIntegerField(
        "extra time (%)",
        default=0,
        validators=[MaxValueValidator(MAX_EXTRA_TIME_PERCENT)],
        help_text="Exam accommodation: e.g. 50 gives 1.5x the time on new attempts.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(extra_time_percent__lte=MAX_EXTRA_TIME_PERCENT),
                name="extra_time_at_most_200_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


def extra_time_percent_of(user) -> int:
    """The user's extra-time allowance in percent (0 when none was granted)."""
    profile = CandidateProfile.objects.filter(user=user).only("extra_time_percent").first()
    return profile.extra_time_percent if profile else 0
