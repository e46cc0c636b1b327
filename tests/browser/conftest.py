"""A fresh browser context per test that downloads files (the tools' exports); files may override it."""

import pytest

from tests.browser.helpers import new_context


@pytest.fixture()
def context(browser):
    context = new_context(browser, accept_downloads=True)
    yield context
    context.close()
