"""The accessibility check itself: it must catch a page that breaks WCAG."""

import pytest

pytestmark = pytest.mark.browser


def test_axe_check_fails_a_page_with_an_unlabelled_field(chromium, assert_accessible):
    page = chromium.new_page()
    try:
        page.set_content(
            '<html lang="en"><head><title>Broken</title></head>'
            '<body><main><input type="text"></main></body></html>'
        )
        with pytest.raises(AssertionError, match="label"):
            assert_accessible(page)
    finally:
        page.close()
