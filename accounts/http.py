"""The request a view gets once the person is signed in."""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required`` or a role check: ``request.user`` is a person, never the
    anonymous visitor. Only for annotating views; Django still passes a plain ``HttpRequest``."""

    user: User
