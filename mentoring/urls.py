from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("mentoring/", views.mentor_home, name="mentor_home"),
    path("mentoring/investments/<int:pk>/", views.investment, name="investment"),
    path("mentoring/investments/<int:pk>/notes/", views.add_note, name="add_note"),
    path("mentoring/investments/<int:pk>/concerns/", views.raise_concern, name="raise_concern"),
    # The fund team names a mentor and resolves concerns from the investment's page
    path("manage/investments/<int:pk>/mentor/", views.assign_mentor, name="assign_mentor"),
    path(
        "manage/investments/<int:pk>/concerns/<int:concern_pk>/resolve/",
        views.resolve_concern,
        name="resolve_concern",
    ),
]
