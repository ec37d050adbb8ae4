"""Bank files a trainer's dry run has checked, kept in the database until Apply.

In the database rather than on the server's disk, so Apply works on whichever server the
next request reaches, and the files go with the account that uploaded them.
"""

from django.conf import settings
from django.db import models


class StagedBankFileQuerySet(models.QuerySet):
    def staged(self, token: str, owner) -> "StagedBankFileQuerySet":
        return self.filter(token=token, owner=owner).order_by("position")


class StagedBankFile(models.Model):
    """One uploaded file of a staged import; the files of one upload share a random token."""

    token = models.CharField(max_length=64, db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = StagedBankFileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "position"], name="one_staged_file_per_place")
        ]

    def __str__(self) -> str:
        return self.name
