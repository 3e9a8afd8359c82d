from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin signs people in through allauth, so staff MFA applies there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # allauth's documented way
admin.site.site_header = "Community Investment Fund administration"

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("organisations.urls")),
    path("", include("applications.urls")),
    path("", include("conversations.urls")),
    path("", include("assessment.urls")),
    path("", include("investments.urls")),
    path("manage/", include("fund.urls")),
    path("manage/", include("questions.urls")),
    path("", include("mentoring.urls")),
    path("", include("team.urls")),
    path("", include("work.urls")),
    path("", include("notifications.urls")),
    path("finance/", include("reporting.urls")),
    path("funds/", include("public.urls")),
    path("audit/", include("audit.urls")),
    path("privacy/", include("privacy.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
