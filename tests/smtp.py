"""A real SMTP server on a free loopback port that keeps every message it receives."""

import email
import email.policy
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port():
    """Find a loopback port nothing listens on (Controller cannot report a port 0 binding)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    # The bytes as they came over the wire, for what parsing hides (a folded header, say).
    raw: bytes = b""


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.server.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.server.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message,
                                             envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


class MailServer:
    """An aiosmtpd server in a thread; addresses in refuse are answered with 550 at RCPT."""

    def __init__(self, refuse=()):
        self.refuse = {address.lower() for address in refuse}
        self.messages: list[Received] = []
        self.port = None
        self._controller = None

    def start(self):
        """Listen on a free loopback port and return self."""
        self.port = free_port()
        # A fixed greeting name: the default looks this host up in DNS, which can be slow.
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                      server_hostname="localhost")
        self._controller.start()
        return self

    def stop(self):
        """Stop listening."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count, timeout=5):
        """Wait until count messages have arrived and return them all."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} message(s), got {len(self.messages)}")
            time.sleep(0.01)
        return self.messages

    def config(self):
        """App settings that send mail to this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port,
                "MAIL_SENDER": "Pioneer <pioneer@example.org>"}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
