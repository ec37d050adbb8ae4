from django.urls import path

app_name = "cohorts"

urlpatterns: list = []
