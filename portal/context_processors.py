from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal import navigation


def portal(request) -> dict:
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "support_email": settings.SUPPORT_EMAIL,
        "show_demo_banner": not settings.PRODUCTION,
        "staff_mfa_required": settings.STAFF_MFA_REQUIRED,
        "navigation_links": SimpleLazyObject(lambda: navigation.navigation_links(request)),
        "user_role_summary": SimpleLazyObject(lambda: navigation.role_summary(request)),
        "unread_notifications": SimpleLazyObject(lambda: navigation.unread_notifications(request)),
    }
