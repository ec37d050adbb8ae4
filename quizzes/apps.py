from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Question banks and exams"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from crss_prep.page_cache import bump_content

        from .models import Choice, Exam, ExamTopic, Question, Topic

        for model in (Topic, Question, Choice, Exam, ExamTopic):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_content, sender=model, dispatch_uid=f"content-{model.__name__}"
                )
