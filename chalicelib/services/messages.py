"""Outgoing email (SES, text and HTML) and SMS (SNS)."""

from __future__ import annotations

import logging

from chalicelib import aws
from chalicelib.config import get_settings
from chalicelib.emails import Email

log = logging.getLogger("teamdrive")


def send_email(to: str, email: Email) -> None:
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


def send_sms(phone: str, text: str) -> None:
    aws.client("sns").publish(
        PhoneNumber=phone,
        Message=text,
        MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}
        },
    )
