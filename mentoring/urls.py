from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.mentor_home, name="mentor_home"),
    path("investments/<int:pk>/", views.investment, name="investment"),
    path("investments/<int:pk>/notes/", views.add_note, name="add_note"),
    path("investments/<int:pk>/concerns/", views.raise_concern, name="raise_concern"),
]
