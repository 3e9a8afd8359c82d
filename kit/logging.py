"""Logging for the portal's own needs."""

import logging

# Refusals people meet in the normal course: the wrong page, a page that is not theirs.
EVERYDAY_REFUSALS = {403, 404, 405}


class RefusalsInOneLine(logging.Filter):
    """Django logs a refused request with the traceback of the exception that refused it: for a
    403 or a 404 that is noise (each is one line: the status, the address), and a real failure's
    traceback is harder to find among them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in EVERYDAY_REFUSALS:
            record.exc_info = None
            record.exc_text = None
        return True
