"""Every change to a group or its applications goes through these functions.

Each validates, saves in one transaction and raises ``ApplicationError`` with
messages the group can act on.
"""

from django.core.exceptions import ValidationError


class ApplicationError(ValidationError):
    """A change would break one of the fund's rules; ``messages`` say how to put it right."""
