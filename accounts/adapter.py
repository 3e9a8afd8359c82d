from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives

from accounts.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with its e-mails (verification, password reset) sent by the task worker."""

    error_messages = DefaultAccountAdapter.error_messages | {
        "too_many_login_attempts": (
            "You have tried to sign in too many times. Wait 5 minutes and try again, or reset your password."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
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
