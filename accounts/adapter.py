from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from accounts.tasks import send_email


@dataclass(frozen=True)
class ServiceSite:
    """What allauth calls the current site: the service's name and address, from the settings
    (the portal does not use django.contrib.sites)."""

    name: str
    domain: str


def email_context() -> dict:
    """The service's own words for every account e-mail: who it is from and where it lives."""
    return {
        "current_site": ServiceSite(settings.SERVICE_NAME, urlsplit(settings.SITE_URL).netloc),
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "site_url": settings.SITE_URL,
        "support_email": settings.SUPPORT_EMAIL,
    }


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with its e-mails (verification, password reset) sent by the task worker."""

    error_messages = DefaultAccountAdapter.error_messages | {
        "too_many_login_attempts": (
            "You have tried to sign in too many times. Wait 5 minutes and try again, or reset your password."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, {"email": email, **email_context(), **context})
        html_body = None
        if isinstance(message, EmailMultiAlternatives):
            html_body = next(
                (content for content, mimetype in message.alternatives if mimetype == "text/html"),
                None,
            )
        send_email.enqueue(
            subject=str(message.subject),
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html_body=html_body,
        )
