from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("rounds/<int:pk>/questions/", views.round_questions, name="round_questions"),
    path("rounds/<int:pk>/questions/sections/new/", views.section_add, name="section_add"),
    path("rounds/<int:pk>/questions/copy/", views.copy, name="copy"),
    path("question-sections/<int:pk>/", views.section_edit, name="section_edit"),
    path("question-sections/<int:pk>/remove/", views.section_remove, name="section_remove"),
    path("question-sections/<int:pk>/preview/", views.section_preview, name="section_preview"),
    path("question-sections/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path(
        "question-sections/<int:pk>/questions/new/<str:kind>/",
        views.question_add_kind,
        name="question_add_kind",
    ),
    path("question-sections/<int:pk>/library/", views.library_add, name="library_add"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/new-version/", views.question_new_version, name="question_new_version"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("questions/<int:pk>/to-library/", views.question_to_library, name="question_to_library"),
    path("funds/<slug:slug>/question-library/", views.library, name="library"),
    path("question-library/<int:pk>/remove/", views.library_remove, name="library_remove"),
]
