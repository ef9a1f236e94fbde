"""A mail backend for the fault tests' worker: one file per message in FAULT_MAIL_DIR, written
after a pause, so a worker killed mid-batch is almost always killed before a send, not between
a send and its outbox row being marked."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(os.environ["FAULT_MAIL_DIR"])
        for message in email_messages:
            time.sleep(float(os.environ.get("FAULT_MAIL_DELAY", "0.3")))
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
