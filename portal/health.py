"""What /healthz checks: the database answers and the file storage is reachable."""

from django.core.files.storage import default_storage
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def check_storage() -> str | None:
    try:
        # A lookup of a key that need not exist: it proves the bucket (or
        # folder) is reachable with our credentials without writing anything.
        default_storage.exists("healthz/probe")
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None
