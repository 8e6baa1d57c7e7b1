"""The SQS adapter: the media and mail queues and their dead-letter queues, found from the
stage, the batch calls that move messages between them, and the one call that posts a mail job.

The media queue is ``MEDIA_QUEUE_URL`` or, when that is not set (a shell at the console),
the stage's ``{stage}-media-events`` by name; the mail queue likewise ``MAIL_QUEUE_URL`` or
``{stage}-mail.fifo``. A dead-letter queue is whatever its queue's redrive policy names, so
none needs a setting of its own.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chalicelib import aws
from chalicelib.config import get_settings
from chalicelib.errors import NotFound

# SQS's largest batch, for receiving, sending and deleting alike.
BATCH = 10


@dataclass(frozen=True)
class Message:
    body: str
    receipt: str
    attributes: dict[str, dict[str, object]]


def media_queue_url() -> str:
    """The media events queue of this stage."""
    settings = get_settings()
    return settings.media_queue_url or _named(f"{settings.stage}-media-events", "media")


def mail_queue_url() -> str:
    """The mail jobs queue of this stage (FIFO: each recipient's mail leaves in order)."""
    settings = get_settings()
    return settings.mail_queue_url or _named(f"{settings.stage}-mail.fifo", "mail")


def _named(name: str, what: str) -> str:
    """The URL of the stage's queue called ``name`` (where no setting gives it)."""
    sqs = aws.client("sqs")
    try:
        return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])
    except sqs.exceptions.QueueDoesNotExist as exc:
        raise NotFound(f"The stage {get_settings().stage!r} has no {what} queue.") from exc


def post_mail_job(job: Mapping[str, str], *, group: str) -> str:
    """Put one mail job on the mail queue (one SendMessage); returns the job's id.

    ``group`` names whose mail this is (an address, a login, a user id): jobs of one group
    are handed to the mail function one at a time, in the order they were posted. The id is
    the job's deduplication id and what makes its handling idempotent.
    """
    job_id = uuid.uuid4().hex
    aws.client("sqs").send_message(
        QueueUrl=mail_queue_url(),
        MessageBody=json.dumps({"id": job_id, **job}),
        # A hash: the group id is visible to whoever reads queue metrics, the login is not.
        MessageGroupId=hashlib.sha256(group.casefold().encode()).hexdigest(),
        MessageDeduplicationId=job_id,
    )
    return job_id


def dead_letter_url(queue_url: str) -> str:
    """The dead-letter queue that ``queue_url``'s redrive policy sends messages to."""
    sqs = aws.client("sqs")
    found = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])
    policy = found.get("Attributes", {}).get("RedrivePolicy")
    if not policy:
        raise NotFound("The queue has no dead-letter queue.")
    # arn:aws:sqs:{region}:{account}:{name}
    _, _, _, _, account, name = json.loads(policy)["deadLetterTargetArn"].split(":", 5)
    return str(sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"])


def receive(queue_url: str, *, most: int = BATCH, hide_s: int) -> list[Message]:
    """Up to ``most`` (at most ten) messages, hidden from other readers for ``hide_s``
    seconds. Long polling (one second) asks every SQS server, so an empty answer means the
    queue is empty."""
    found = aws.client("sqs").receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=max(1, min(most, BATCH)),
        WaitTimeSeconds=1,
        VisibilityTimeout=hide_s,
        MessageAttributeNames=["All"],
    )
    return [
        Message(m["Body"], m["ReceiptHandle"], m.get("MessageAttributes") or {})
        for m in found.get("Messages", [])
    ]


def send(queue_url: str, messages: Sequence[Message]) -> list[int]:
    """Send copies of ``messages`` (at most ten); the positions of those SQS accepted."""
    entries = []
    for i, message in enumerate(messages):
        entry: dict[str, object] = {"Id": str(i), "MessageBody": message.body}
        if message.attributes:
            entry["MessageAttributes"] = message.attributes
        entries.append(entry)
    reply = aws.client("sqs").send_message_batch(QueueUrl=queue_url, Entries=entries)
    return sorted(int(ok["Id"]) for ok in reply.get("Successful", []))


def delete(queue_url: str, messages: Sequence[Message]) -> int:
    """Delete ``messages`` (at most ten) by their receipts; how many SQS deleted."""
    if not messages:
        return 0
    entries = [{"Id": str(i), "ReceiptHandle": m.receipt} for i, m in enumerate(messages)]
    reply = aws.client("sqs").delete_message_batch(QueueUrl=queue_url, Entries=entries)
    return len(reply.get("Successful", []))
