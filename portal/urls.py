from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    # Beside the fund management pages, for every fund's officers (see portal.outbox).
    path("manage/emails-not-sent/", views.emails_not_sent, name="emails_not_sent"),
]
