from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="login"),
    path("mfa/", views.second_factor, name="mfa"),
    path("logout/", views.logout_view, name="logout"),
]
