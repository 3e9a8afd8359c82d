"""Forms the portal cannot take: each gets a page in the service's style saying what happened and
what to do, and the answers are kept in the browser's form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, awarded_investment, first_update_due_now

pytestmark = pytest.mark.django_db


def _styled(response) -> str:
    html = response.content.decode()
    assert "govuk-footer" in html and "Community Investment Fund" in html
    return html


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def update_url(member):
    investment = awarded_investment(member=member, start_date=first_update_due_now())
    return reverse("investments:update_form", args=[investment.pk, 1])


def test_a_form_sent_after_signing_in_again_elsewhere_says_to_go_back_and_send_it_again(member, update_url):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    browser.get(update_url)  # the page with the form, and its cookie
    response = browser.post(update_url, {"story": "Our story", "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    html = _styled(response)
    assert '<h1 class="govuk-heading-l">Your form could not be sent</h1>' in html
    assert "sign in or out, in this or another tab" in html
    assert (
        "Use your browser’s back button to return to the form. What you typed is usually still there." in html
    )
    assert "CSRF" not in html


def test_a_form_sent_without_the_cookie_says_to_allow_cookies(member, update_url):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(update_url, {"story": "Our story"})
    assert response.status_code == 403
    assert "Check that your browser allows cookies for this service" in _styled(response)
    assert "csrftoken" in response.cookies  # so the form works once its page is reloaded


def test_a_file_far_bigger_than_the_limit_is_turned_away_with_a_page_saying_so(
    client, member, update_url, settings
):
    settings.UPLOAD_MAX_BYTES = 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(member)
    photo = SimpleUploadedFile("huge.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 4096, "image/png")
    response = client.post(update_url, {"story": "Our story", "photo": photo})
    assert response.status_code == 413
    html = _styled(response)
    assert "The file you chose is too big" in html
    assert "Files must be smaller than 1KB" in html
    assert "your other answers are still there" in html


def test_too_much_text_gets_a_page_saying_so(client, member, update_url, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    client.force_login(member)
    response = client.post(update_url, {"story": "Our story. " * 400})
    assert response.status_code == 413
    html = _styled(response)
    assert "What you typed is too long to send" in html
    assert "more than 2KB of text" in html


def test_too_many_answers_gets_a_page_saying_so(client, member, update_url, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client.force_login(member)
    response = client.post(update_url, {f"answer_{n}": "x" for n in range(10)})
    assert response.status_code == 400
    html = _styled(response)
    assert "The form sent too many answers" in html
    assert "up to 5 answers" in html
