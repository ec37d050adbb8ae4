"""Django finds an app's admin here; the registrations live with authoring."""

from quizzes.authoring import admin  # noqa: F401 -- registers the models
