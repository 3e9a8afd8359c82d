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

    # Every message allauth can show, in the service's words (its own are American English and
    # sometimes say "and/or"); the test of account pages looks for allauth's phrases.
    error_messages = DefaultAccountAdapter.error_messages | {
        "account_inactive": "This account has been closed. Contact the fund team if you think this is wrong.",
        "cannot_remove_primary_email": "You cannot remove the address you sign in with. Make another your "
        "main address first.",
        "duplicate_email": "You have already added this email address.",
        "email_password_mismatch": "Enter the email address and password you signed up with. "
        "If you have forgotten your password, reset it.",
        "email_taken": "Someone has already signed up with this email address. "
        "Sign in, or reset your password.",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "The code is not right. Check it and enter it again.",
        "incorrect_password": "The password is not right. Enter it again.",
        "invalid_or_expired_key": "This link has expired or has already been used. Ask for a new one.",
        "invalid_login": "Enter the email address and password you signed up with.",
        "invalid_password_reset": "This password reset link has expired or has already been used. "
        "Ask for a new one.",
        "max_email_addresses": "You cannot add more than %d email addresses.",
        "too_many_login_attempts": (
            "You have tried to sign in too many times. Wait 5 minutes and try again, or reset your password."
        ),
        "unknown_email": "There is no account with this email address. Check it, or create an account.",
        "unverified_primary_email": "Confirm your main email address first.",
        "select_only_one": "Choose only one.",
        "same_as_current": "Enter a different value from the one you have now.",
        "rate_limited": "You have done that too many times. Wait a few minutes and try again.",
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, {"email": email, **email_context(), **context})
        html_body = None
        if isinstance(message, EmailMultiAlternatives):
            html_body = next(
                (
                    content
                    for content, mimetype in message.alternatives
                    if mimetype == "text/html" and isinstance(content, str)
                ),
                None,
            )
        send_email.enqueue(
            subject=str(message.subject),
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html_body=html_body,
        )
