from django.urls import path

from assessment.views import documents, meetings, panel, staff

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
    path("manage/rounds/<int:pk>/meetings/", meetings.round_meetings, name="round_meetings"),
    path("manage/rounds/<int:pk>/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("manage/meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("manage/meetings/<int:pk>/details/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "manage/meetings/<int:pk>/applications/<int:application_pk>/",
        meetings.meeting_decision,
        name="meeting_decision",
    ),
    path(
        "manage/meetings/<int:pk>/decisions/<int:decision_pk>/approve/",
        meetings.meeting_approve,
        name="meeting_approve",
    ),
    path(
        "manage/meetings/<int:pk>/decisions/<int:decision_pk>/take-back/",
        meetings.meeting_take_back,
        name="meeting_take_back",
    ),
    path("manage/meetings/<int:pk>/release/", meetings.meeting_release, name="meeting_release"),
    path("manage/meetings/<int:pk>/minutes.pdf", meetings.meeting_minutes, name="meeting_minutes"),
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
