"""Cohorts: a lead's training group of candidates, joined with a code the lead shares."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# No 0/O or 1/I/L: codes are read aloud and typed from a slide.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
JOIN_CODE_LIFETIME = timedelta(days=14)
# Candidates' input is upper-cased and stripped of spaces and hyphens before the lookup, so a
# code set by hand in the admin must already be in that form.
join_code_validator = RegexValidator(
    r"^[A-Z0-9]{6,16}$", "Use 6 to 16 capital letters and digits, e.g. K7QX2MPR."
)


def generate_join_code() -> str:
    """A fresh random join code, e.g. ``K7QX2MPR`` (31^8 codes: a clash is negligible, and
    the unique constraint would refuse one)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def default_code_expiry() -> datetime:
    return timezone.now() + JOIN_CODE_LIFETIME


class CohortQuerySet(models.QuerySet):
    def led_by(self, user) -> "CohortQuerySet":
        """The only way lead pages reach cohorts: those the user leads (staff and superusers
        included: their status opens no other cohort here)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(leads=user)

    def joined_by(self, user) -> "CohortQuerySet":
        """The cohorts the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="led_cohorts")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="cohorts", blank=True
    )
    join_code = models.CharField(
        max_length=16,
        unique=True,
        default=generate_join_code,
        validators=[join_code_validator],
        help_text="Candidates type this at /cohorts/join/ to join.",
    )
    code_expires_at = models.DateTimeField(
        "join code expires at",
        default=default_code_expiry,
        help_text="After this time the code is refused; regenerate it to share a new one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="cohort_name_not_blank"),
            models.CheckConstraint(condition=~Q(join_code=""), name="cohort_join_code_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:dashboard", args=[self.pk])

    def code_is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.code_expires_at


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"
