from django.urls import path

from . import views
from .views import study

app_name = "quizzes"

urlpatterns = [
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("history/", views.history, name="history"),
    path("exams/", views.exam_catalogue, name="exam_catalogue"),
    path("exams/<slug:slug>/start/", views.start_exam, name="start_exam"),
    path("practice/", views.practice_builder, name="practice_builder"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt_detail"),
    path("attempts/<int:attempt_id>/items/<int:position>/", views.take_item, name="take_item"),
    path(
        "attempts/<int:attempt_id>/items/<int:position>/answer/",
        views.answer_item,
        name="answer_item",
    ),
    path("attempts/<int:attempt_id>/items/<int:position>/mark/", views.mark_item, name="mark_item"),
    path(
        "attempts/<int:attempt_id>/items/<int:position>/strike/",
        views.strike_item,
        name="strike_item",
    ),
    path(
        "attempts/<int:attempt_id>/items/<int:position>/report/",
        views.report_item,
        name="report_item",
    ),
    path(
        "attempts/<int:attempt_id>/items/<int:position>/star/",
        study.star_item,
        name="star_item",
    ),
    path("starred/", study.starred_list, name="starred_list"),
    path("starred/practice/", study.practice_starred, name="practice_starred"),
    path("starred/<int:question_id>/remove/", study.unstar_question, name="unstar_question"),
    path("review/start/", study.start_review, name="start_review"),
    path("attempts/<int:attempt_id>/state/", views.attempt_state, name="attempt_state"),
    path("attempts/<int:attempt_id>/review/", views.attempt_review, name="attempt_review"),
    path("attempts/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="attempt_result"),
]
