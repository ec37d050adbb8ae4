"""Questions a candidate has starred, to practice again from the practice builder."""

from django.conf import settings
from django.db import models

from .content import Question


class StarredQuestion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="starred_questions"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_star_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question} starred by {self.user}"
