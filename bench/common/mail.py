"""Mail servers on loopback: an aiosmtpd inbox, slow when asked, and one that never answers."""

import asyncio
import contextlib
import socket
import threading
import time
from email import message_from_bytes

from bench.common.processes import bind_listener


class SilentMailServer:
    """Accepts connections on `port` and never says a word, not even the SMTP greeting."""

    def __init__(self, port):
        self.listener = bind_listener(port)
        self.connections = []
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        # shutdown() wakes the accept() blocked in the thread; close() alone may not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.connections:
            connection.close()
        self.thread.join(5)


class Inbox:
    """aiosmtpd's handler: the recipients and subject of every message it accepts."""

    def __init__(self):
        # Seconds it waits before answering a message's data: a slow server when above 0.
        self.delay = 0.0
        self.messages = []  # (recipients, subject)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        subject = message_from_bytes(envelope.content)["Subject"]
        with self.lock:
            self.messages.append(([r.lower() for r in envelope.rcpt_tos], subject))
        return "250 Message accepted"

    def recipients(self):
        with self.lock:
            return [recipient for rcpt_tos, _ in self.messages for recipient in rcpt_tos]


class MailServer:
    """The inbox, served by aiosmtpd on `port` while started."""

    def __init__(self, inbox, port):
        self.inbox = inbox
        self.port = port
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        deadline = time.monotonic() + 10
        while True:
            controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            try:
                controller.start()
            except (OSError, RuntimeError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
                continue
            self.controller = controller
            return

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
