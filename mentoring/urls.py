from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.mentor_home, name="mentor_home"),
]
