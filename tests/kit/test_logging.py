"""A refused request is logged in one line; a real failure keeps its traceback."""

import logging

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_refusal_is_logged_without_its_traceback(client, caplog):
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("assessment:queue")).status_code == 403
        assert client.get("/no-such-page/").status_code == 404
    refused = [record for record in caplog.records if record.name == "django.request"]
    assert [record.status_code for record in refused] == [403, 404]
    assert all(record.exc_info is None for record in refused)
    assert "Forbidden" in refused[0].getMessage()


def test_a_failure_keeps_its_traceback():
    from kit.logging import RefusalsInOneLine

    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, "", 0, "Internal Server Error", (), sys.exc_info()
        )
    record.status_code = 500
    assert RefusalsInOneLine().filter(record) and record.exc_info is not None
