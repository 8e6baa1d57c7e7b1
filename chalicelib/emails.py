"""The emails teamdrive sends, each as plain text and HTML built from one set of words."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def _compose(subject: str, greeting: str, lines: list[str], link: str | None, action: str) -> Email:
    text_parts = [greeting, "", *lines]
    if link:
        text_parts += ["", f"{action}: {link}"]
    text_parts += ["", "If this wasn't you, you can ignore this email.", "— teamdrive"]
    button = ""
    if link:
        button = (
            f'<p><a href="{escape(link)}" style="display:inline-block;padding:10px 18px;'
            'background:#2f6fed;color:#fff;border-radius:6px;text-decoration:none">'
            f"{escape(action)}</a></p>"
            f'<p style="color:#666;font-size:13px">{escape(link)}</p>'
        )
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        '<div style="font-family:system-ui,sans-serif;max-width:520px;line-height:1.5">'
        f"<p>{escape(greeting)}</p>{paragraphs}{button}"
        '<p style="color:#666;font-size:13px">If this wasn\'t you, you can ignore this email.'
        "</p><p>— teamdrive</p></div>"
    )
    return Email(subject=subject, text="\n".join(text_parts), html=html)


def verification(username: str, link: str, hours: int) -> Email:
    return _compose(
        "Verify your email for teamdrive",
        f"Hello {username},",
        [f"Confirm this address to finish signing up. The link works once, for {hours} hours."],
        link,
        "Verify email",
    )


def password_reset(username: str, link: str, minutes: int) -> Email:
    return _compose(
        "Reset your teamdrive password",
        f"Hello {username},",
        [
            f"Someone asked to reset the password of this account. The link works once, for "
            f"{minutes} minutes, and signs you out everywhere."
        ],
        link,
        "Choose a new password",
    )


def username_reminder(username: str, link: str) -> Email:
    return _compose(
        "Your teamdrive username",
        "Hello,",
        [f"The username of the teamdrive account with this address is: {username}"],
        link,
        "Sign in",
    )
