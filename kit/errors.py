"""The one error every service raises when a change would break a rule."""

from django.core.exceptions import ValidationError


class RuleError(ValidationError):
    """A change would break one of the fund's rules; ``messages`` say how to put it right.

    Raised with a list of messages, or with a dict of them by form field, which views add to
    the form so the person sees each beside the answer it is about."""
