from django.urls import path

from assessment.views import documents, panel, staff

app_name = "assessment"

urlpatterns = [
    path(
        "applications/<int:pk>/documents/<int:document_pk>/download/",
        documents.document_download,
        name="document_download",
    ),
    path("panel/", panel.panel_home, name="panel_home"),
    path("panel/reviews/<int:pk>/", panel.review, name="review"),
    path("panel/reviews/<int:pk>/interests/", panel.declare_interest, name="declare_interest"),
    path("manage/applications/", staff.queue, name="queue"),
    path("manage/rounds/<int:pk>/applications/", staff.round_applications, name="staff_round_applications"),
    path("manage/rounds/<int:pk>/panel/", staff.round_panel_summary, name="panel_summary"),
    path("manage/applications/<int:pk>/", staff.application, name="staff_application"),
    path("manage/applications/<int:pk>/eligibility/", staff.eligibility, name="eligibility"),
    path("manage/applications/<int:pk>/reviewers/", staff.assign_reviewers, name="assign_reviewers"),
    path("manage/applications/<int:pk>/decision/", staff.decide, name="decide"),
    path(
        "manage/applications/<int:pk>/reviews/<int:review_pk>/reopen/",
        staff.reopen_review,
        name="reopen_review",
    ),
    path(
        "manage/applications/<int:pk>/versions/<int:number>/",
        staff.application_version,
        name="staff_application_version",
    ),
]
