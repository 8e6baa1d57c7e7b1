"""The local outbox: every email (SES) and SMS (SNS) the app sent, read from the backends of the
moto server running in this process, for ``GET /api/dev/outbox`` and for the terminal.
moto stamps no send time, so ``sent_at`` is when the outbox first saw a message (within 0.5 s).

Requests only queue mail (the mail function sends it), so a read first waits, a few seconds at
most, until nothing is left on the way (``pending``): what a request asked for is then here.
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any, TextIO

_LOOKS_LIKE_HTML = re.compile(r"<(html|body|p|a|div|br|table|h[1-6])\b", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"}


class _TextFromHtml(HTMLParser):
    """HTML to readable text, keeping each link's target so it stays clickable in a terminal."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hrefs: list[str | None] = []
        self._link_text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head", "title"):
            self._skip += 1
        elif tag == "a":
            self._hrefs.append(dict(attrs).get("href"))
            self._link_text = []
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self._hrefs:
            href = self._hrefs.pop()
            if href and href not in "".join(self._link_text):
                self.parts.append(f" ({href})")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
            self._link_text.append(data)


def html_to_text(html: str) -> str:
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _addresses(destinations: Any) -> str:
    if isinstance(destinations, dict):
        keys = ("ToAddresses", "CcAddresses", "BccAddresses")
        return ", ".join(a for key in keys for a in destinations.get(key) or [])
    return ", ".join(destinations or [])


def _email_item(message: Any) -> dict[str, Any] | None:
    kind = type(message).__name__
    if kind == "RawMessage":
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        text_part = parsed.get_body(preferencelist=("plain",))
        html_part = parsed.get_body(preferencelist=("html",))
        html = html_part.get_content() if html_part is not None else None
        if text_part is not None:
            text = text_part.get_content()
        else:
            text = html_to_text(html) if html else ""
        to = str(parsed.get("To") or "") or _addresses(message.destinations)
        subject = str(parsed.get("Subject") or "")
    elif kind == "Message":
        # moto keeps one body per SendEmail: the Html one when both are given (ses/responses.py).
        body = message.body or ""
        html = body if _LOOKS_LIKE_HTML.search(body) else None
        text = html_to_text(body) if html else body
        to, subject = _addresses(message.destinations), message.subject or ""
    elif kind == "TemplateMessage":
        html = None
        text = f"(template {message.template}) {message.template_data}"
        to, subject = _addresses(message.destinations), f"[template {message.template}]"
    else:
        return None
    item = {"kind": "email", "to": to, "subject": subject, "text": text.strip()}
    if html:
        item["html"] = html
    return item


class Outbox:
    """Collects sent messages once each, newest first; echoes each new one to ``out``."""

    def __init__(
        self,
        *,
        account_id: str,
        region: str,
        out: TextIO | None = None,
        pending: Callable[[], bool] | None = None,
        settle_s: float = 10.0,
    ) -> None:
        self._account_id = account_id
        self._pending = pending
        self._settle_s = settle_s
        self._region = region
        self._out = out
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        self._items: list[dict[str, Any]] = []

    def items(self, *, to: str | None = None) -> list[dict[str, Any]]:
        self.settle()
        self.collect()
        with self._lock:
            items = list(reversed(self._items))
        if to:
            items = [item for item in items if to.lower() in item["to"].lower()]
        return items

    def settle(self) -> bool:
        """Wait until no mail is on its way (at most ``settle_s``); whether none is."""
        if self._pending is None:
            return True
        deadline = time.monotonic() + self._settle_s
        while self._pending():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def collect(self) -> list[dict[str, Any]]:
        """Take in what moto holds that was not seen yet; return (and echo) the new items."""
        from moto.ses.models import ses_backends
        from moto.sns.models import sns_backends

        emails = list(ses_backends[self._account_id][self._region].sent_messages)
        texts = list(sns_backends[self._account_id][self._region].sms_messages.items())
        new: list[dict[str, Any]] = []
        with self._lock:
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for message in emails:
                if message.id in self._seen:
                    continue
                self._seen.add(message.id)
                item = _email_item(message)
                if item is not None:
                    new.append({"id": message.id, **item, "sent_at": now})
            for message_id, (phone, text) in texts:
                if message_id in self._seen:
                    continue
                self._seen.add(message_id)
                item = {"kind": "sms", "to": phone, "subject": None, "text": text}
                new.append({"id": message_id, **item, "sent_at": now})
            self._items.extend(new)
            for item in new:
                self._echo(item)
        return new

    def watch(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Thread body: look for new messages every ``interval`` seconds until ``stop``."""
        while not stop.wait(interval):
            self.collect()

    def _echo(self, item: dict[str, Any]) -> None:
        if self._out is None:
            return
        rule = "-" * 72
        lines = [f"---- {item['kind']} sent at {item['sent_at']} ".ljust(72, "-")]
        lines.append(f"To:      {item['to']}")
        if item["subject"] is not None:
            lines.append(f"Subject: {item['subject']}")
        lines += ["", item["text"], rule, ""]
        self._out.write("\n".join(lines))
        self._out.flush()
