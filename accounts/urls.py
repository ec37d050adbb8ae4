from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/attempts.json", views.data_json, name="my_data_json"),
    path("my-data/attempts.csv", views.data_csv, name="my_data_csv"),
    path("delete/", views.delete_account, name="delete_account"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", include("django.contrib.auth.urls")),
]
