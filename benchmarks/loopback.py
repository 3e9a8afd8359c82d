"""The bench's HTTP clients talk plain HTTP to gunicorn on loopback while the portal, told by the
forwarded headers that it is behind the load balancer's HTTPS, marks its cookies Secure. A client
honouring that would drop the session after sign-in, so after each response the bench's clients
keep their cookies as plain ones."""

from typing import Any


def keep_cookies(session: Any) -> None:
    """Let ``session`` (a requests session) send back the Secure cookies it was given."""
    for cookie in session.cookies:
        cookie.secure = False
