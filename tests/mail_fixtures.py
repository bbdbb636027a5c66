"""The mail_server fixture: a real SMTP server for the length of one test."""

import pytest

from .smtp import MailServer


@pytest.fixture
def mail_server():
    """A running SMTP server on a free loopback port; add addresses to .refuse to bounce them."""
    with MailServer() as server:
        yield server
