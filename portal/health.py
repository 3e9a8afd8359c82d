"""What /healthz checks: the database answers and the file storage is reachable.

Each check returns the problem in words for the log, or None. The page itself says only "ok" or
"unavailable": a storage error names the endpoint and the bucket, which is no one's business
outside the council's operations team.
"""

import logging

from django.core.files.storage import default_storage
from django.db import connection

logger = logging.getLogger(__name__)


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.exception("Health check: the database did not answer")
        return f"{type(error).__name__}: {error}"
    return None


def check_storage() -> str | None:
    try:
        # A lookup of a key that need not exist: it proves the bucket (or
        # folder) is reachable with our credentials without writing anything.
        default_storage.exists("healthz/probe")
    except Exception as error:
        logger.exception("Health check: the file storage could not be reached")
        return f"{type(error).__name__}: {error}"
    return None
