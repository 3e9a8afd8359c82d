from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("applications/", views.applicant_home, name="applicant_home"),
    path("panel/", views.panel_home, name="panel_home"),
]
