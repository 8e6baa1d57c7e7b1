"""The mail function: each job on the mail queue becomes at most one email or SMS.

Requests only post jobs (queues.post_mail_job), so what a request does, and how long it takes,
never depends on whether the account it names exists; the lookups, throttles, single-use
tokens and the sending happen here, after the answer. No job carries a secret: links and codes
are made here, and only their hashes are stored.

Each job is handled once: a job whose id is marked done is skipped (SQS may deliver a message
twice), and the mark is written only after the provider took the message, so a send that fails
raises, SQS hands the job over again, and after the queue's last try it waits in the
dead-letter queue. A crash between the send and the mark can send a message twice, never none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from chalicelib import logs
from chalicelib.models import tokens
from chalicelib.services import accounts, phones, recovery

# As long as SQS keeps a message (the mail queue's retention, 4 days), and then some.
_DONE_TTL_S = 5 * 24 * 3600

_JOBS: dict[str, Callable[[dict[str, str]], None]] = {
    "verify": lambda job: accounts.send_first_verification(job["user_id"]),
    "resend_verification": lambda job: accounts.send_verification_again(
        job["email"], job_id=job["id"]
    ),
    "username": lambda job: recovery.send_username(job["email"], job_id=job["id"]),
    "reset": lambda job: recovery.send_reset_link(job["login"], job_id=job["id"]),
    "phone_code": lambda job: phones.text_code(job["user_id"], job["phone"], job_id=job["id"]),
    "phone_access": lambda job: phones.text_access_code(
        job["phone"], job["purpose"], job_id=job["id"]
    ),
}


def handle(bodies: Iterable[str]) -> None:
    """Run each job; raises (and so leaves the batch queued) if one cannot be sent."""
    for body in bodies:
        job = json.loads(body)
        kind, done = job["kind"], f"mailjob#{job['id']}"
        if tokens.find(done) is not None:
            logs.record("mail_job", kind=kind, outcome="already_done")
            continue
        _JOBS[kind](job)
        tokens.put(done, ttl_s=_DONE_TTL_S)
        logs.record("mail_job", kind=kind, outcome="done")
