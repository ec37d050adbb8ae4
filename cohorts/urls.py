from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.create_cohort, name="create"),
    path("join/", views.join, name="join"),
    path("join/confirm/", views.join_confirm, name="join_confirm"),
    path("<int:cohort_id>/", views.dashboard, name="dashboard"),
    path("<int:cohort_id>/code/", views.regenerate_code, name="regenerate_code"),
    path("<int:cohort_id>/leave/", views.leave, name="leave"),
    path("<int:cohort_id>/questions/", views.questions, name="questions"),
    path("<int:cohort_id>/export.csv", views.learners_csv, name="export_csv"),
    path("<int:cohort_id>/attempts.csv", views.attempts_csv, name="attempts_csv"),
    path("<int:cohort_id>/learners/<int:user_id>/", views.learner_history, name="learner"),
    path(
        "<int:cohort_id>/learners/<int:user_id>/extra-time/",
        views.set_extra_time,
        name="extra_time",
    ),
    path(
        "<int:cohort_id>/learners/<int:user_id>/attempts/<int:attempt_id>/",
        views.learner_result,
        name="learner_result",
    ),
]
