"""A code from the authenticator app the tests pretend to hold."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings

# Enough time for a page or two to load and the code to be sent within the same period.
MARGIN_SECONDS = 8


def current_code(secret: str) -> str:
    """The code for now, waiting for the next period first when this one is about to end, so the
    code is still good when the page receives it."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    if period - time.time() % period < MARGIN_SECONDS:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))
