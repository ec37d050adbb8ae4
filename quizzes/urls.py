from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
]
