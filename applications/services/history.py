"""An application's history: what happened, by whom and when."""

from __future__ import annotations

from accounts.models import User
from applications.models import Application, ApplicationEvent


def record(*, application: Application, kind: str, by: User | None, details: str = "") -> ApplicationEvent:
    return ApplicationEvent.objects.create(application=application, kind=kind, actor=by, details=details)
