"""Shared parts of the admin."""

from django.db.models import Model
from django.http import HttpRequest


class ReadOnly:
    """Shown for reference: money moves only through the services, under the budget rules."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
