"""Delivering email (SES, text and HTML) and SMS (SNS): the adapter where their errors stop.

A message the provider refuses is logged and dropped rather than failing the request that
caused it: the account change has happened, and the person can ask for the message again.
"""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import aws, logs
from chalicelib.config import get_settings
from chalicelib.emails import Email


def send_email(to: str, email: Email) -> bool:
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
        return False
    return True


def send_sms(phone: str, text: str) -> bool:
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
        return False
    return True


def _code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__
