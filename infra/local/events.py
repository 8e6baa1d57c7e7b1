"""The app's event handlers, run locally the way AWS runs them: a poller per SQS handler that
deletes a batch only when the handler returned (so redelivery and the dead-letter queue work as
in AWS), and a timer per ``@app.schedule`` that calls it with a CloudWatch scheduled event.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from chalice.app import Chalice, Cron, Rate, ScheduledEventConfig, SQSEventConfig
from chalice.local import LambdaContext

log = logging.getLogger("teamdrive.local.events")

CRON_PERIOD_S = 24 * 3600.0  # cron schedules run once a day locally
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)", re.IGNORECASE)


def lambda_context(function_name: str, timeout_s: int = 900) -> LambdaContext:
    return LambdaContext(function_name, memory_size=1024, max_runtime_ms=timeout_s * 1000)


def schedule_period(expression: Any) -> float:
    """Seconds between runs of a Chalice schedule: ``Rate`` objects, rate strings; cron daily."""
    if isinstance(expression, Rate):
        return expression.value * _UNIT_SECONDS[expression.unit.lower().rstrip("s")]
    if isinstance(expression, Cron):
        return CRON_PERIOD_S
    text = str(expression).strip()
    match = _RATE.fullmatch(text)
    if match:
        return int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if text.lower().startswith("cron("):
        return CRON_PERIOD_S
    raise ValueError(f"cannot read the schedule expression {expression!r}")


def scheduled_event(rule: str, *, region: str, account_id: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account_id,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account_id}:rule/{rule}"],
        "detail": {},
    }


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    binary = value.get("BinaryValue")
    return {
        "stringValue": value.get("StringValue"),
        "binaryValue": base64.b64encode(binary).decode("ascii") if binary else None,
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": value.get("DataType", "String"),
    }


def sqs_event(messages: list[dict[str, Any]], *, queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda's SQS integration passes for a batch from ``receive_message``."""
    records = []
    for message in messages:
        attributes = message.get("MessageAttributes", {})
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {k: _message_attribute(v) for k, v in attributes.items()},
                "md5OfBody": message.get("MD5OfBody"),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return {"Records": records}


def queue_busy(sqs: Any, queue_url: str) -> bool:
    """Whether a queue holds a message, waiting, delayed or being handled."""
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    found = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return any(int(found.get(name, 0)) for name in names)


class QueuePoller:
    """Long-polls one queue and hands each batch to one handler (thread body: ``run``)."""

    def __init__(
        self,
        sqs: Any,
        *,
        queue_url: str,
        queue_arn: str,
        name: str,
        handler: Callable[..., Any],
        batch_size: int,
        region: str,
        wait_s: int = 1,
    ) -> None:
        self.sqs, self.queue_url, self.queue_arn = sqs, queue_url, queue_arn
        self.name, self.handler, self.region = name, handler, region
        self.batch_size = max(1, min(10, batch_size))
        self.wait_s = wait_s

    def poll_once(self) -> int:
        """Receive one batch and run the handler on it; return how many messages it received."""
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=self.wait_s,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        event = sqs_event(messages, queue_arn=self.queue_arn, region=self.region)
        try:
            self.handler(event, lambda_context(self.name))
        except Exception:
            # As in AWS: the batch becomes visible again after the visibility timeout, and
            # after maxReceiveCount receives moves to the dead-letter queue.
            log.exception(
                "handler %s failed on %d message(s); they stay queued", self.name, len(messages)
            )
            return len(messages)
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
        ]
        self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=entries)
        return len(messages)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception:
                if stop.is_set():
                    break
                log.exception("polling %s failed; retrying", self.queue_url)
                stop.wait(1.0)


class ScheduleTimer:
    """Calls one scheduled handler every ``period_s``, first after one period (``run``)."""

    def __init__(
        self,
        *,
        name: str,
        handler: Callable[..., Any],
        period_s: float,
        region: str,
        account_id: str,
    ) -> None:
        self.name, self.handler, self.period_s = name, handler, period_s
        self.region, self.account_id = region, account_id

    def fire(self) -> None:
        event = scheduled_event(self.name, region=self.region, account_id=self.account_id)
        try:
            self.handler(event, lambda_context(self.name))
        except Exception:
            log.exception("scheduled job %s failed", self.name)

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.period_s):
            self.fire()


def event_workers(
    app: Chalice,
    sqs: Any,
    *,
    queue_urls: dict[str, str],
    region: str,
    account_id: str,
    schedule_scale: float = 1.0,
) -> list[QueuePoller | ScheduleTimer]:
    """One worker per SQS handler whose queue exists locally and per schedule of ``app``.

    ``queue_urls`` maps an SQS handler's name (app.py: ``media``, ``mail``) to this stack's
    queue, whatever stage the app was imported under."""
    workers: list[QueuePoller | ScheduleTimer] = []
    polled: set[str] = set()
    for source in app.event_sources:
        handler = app.handler_map[source.name]
        if isinstance(source, ScheduledEventConfig):
            period = schedule_period(source.schedule_expression) * schedule_scale
            workers.append(
                ScheduleTimer(
                    name=source.name,
                    handler=handler,
                    period_s=period,
                    region=region,
                    account_id=account_id,
                )
            )
        elif isinstance(source, SQSEventConfig):
            queue_name = source.queue or str(source.queue_arn).rsplit(":", 1)[-1]
            if queue_urls.get(source.name):
                # Whatever stage the app was imported under, this stack's queue is the one.
                queue_name = queue_urls[source.name].rstrip("/").rsplit("/", 1)[-1]
            try:
                url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
            except ClientError:
                log.warning(
                    "SQS handler %s: no local queue %s; not polled", source.name, queue_name
                )
                continue
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
            polled.add(queue_name)
            workers.append(
                QueuePoller(
                    sqs,
                    queue_url=url,
                    queue_arn=arn["Attributes"]["QueueArn"],
                    name=source.name,
                    handler=handler,
                    batch_size=source.batch_size,
                    region=region,
                )
            )
        else:
            log.info(
                "event source %s (%s) does not run locally", source.name, type(source).__name__
            )
    for url in queue_urls.values():
        queue = url.rstrip("/").rsplit("/", 1)[-1]
        if queue and queue not in polled:
            log.warning("no SQS handler for %s: its messages stay in the queue", queue)
    return workers
