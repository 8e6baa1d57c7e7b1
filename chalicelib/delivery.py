"""Delivering email (SES, text and HTML) and SMS (SNS): the adapter where their errors stop.

Only the mail function sends (services/mail.py, a job at a time from the mail queue). A message
the provider refuses is logged and raised as ``DeliveryFailed``, so the job is tried again and
in the end waits in the dead-letter queue rather than being lost.
"""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import aws, logs
from chalicelib.config import get_settings
from chalicelib.emails import Email
from chalicelib.errors import DeliveryFailed


def send_email(to: str, email: Email) -> None:
    try:
        aws.client("ses").send_email(
            Source=get_settings().mail_from,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": email.text, "Charset": "UTF-8"},
                    "Html": {"Data": email.html, "Charset": "UTF-8"},
                },
            },
        )
    except (ClientError, BotoCoreError) as exc:
        logs.record("mail_failed", level=logging.WARNING, kind="email", error=_code(exc))
        raise DeliveryFailed(_code(exc)) from exc


def send_sms(phone: str, text: str) -> None:
    try:
        aws.client("sns").publish(
            PhoneNumber=phone,
            Message=text,
            MessageAttributes={
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}
            },
        )
    except (ClientError, BotoCoreError) as exc:
        logs.record("mail_failed", level=logging.WARNING, kind="sms", error=_code(exc))
        raise DeliveryFailed(_code(exc)) from exc


def _code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__
