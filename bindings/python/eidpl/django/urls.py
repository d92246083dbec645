from django.urls import path

from . import views

app_name = "eidpl"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("acs/", views.acs, name="acs"),
    path("logout/", views.logout, name="logout"),
]
