"""What a session's sign-in came from, as a person reads it: "Chrome on macOS", and a coarse
network ("203.0.113.0/24"). Only names from the fixed lists below are ever stored, never the raw
User-Agent; of the address only its /24 (IPv4) or /48 (IPv6) is kept, which says roughly where
without pinning a household.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

# Order matters: most browsers say "Chrome" and "Safari" too, so the specific names come first.
BROWSERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Whale", re.compile(r"\bWhale/")),
    ("KakaoTalk", re.compile(r"\bKAKAOTALK\b")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|HeadlessChrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)
SYSTEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)
# Clients that sign in with POST /auth/token from a script.
TOOLS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("curl", re.compile(r"^curl/")),
    ("Python", re.compile(r"^(python-requests|python-httpx|Python-urllib|aiohttp)/")),
    ("Node.js", re.compile(r"^(node-fetch|axios|undici)\b|^node$")),
)
MAX_AGENT = 1024  # longer headers are not read at all


@dataclass(frozen=True)
class Client:
    """Where a sign-in came from, as the request said it."""

    user_agent: str | None = None
    source_ip: str | None = None


def device(user_agent: str | None) -> str | None:
    """A readable name for a User-Agent ("Chrome on macOS"), or None when none is recognized."""
    agent = (user_agent or "").strip()
    if not agent or len(agent) > MAX_AGENT:
        return None
    for name, pattern in TOOLS:
        if pattern.search(agent):
            return name
    browser = next((name for name, pattern in BROWSERS if pattern.search(agent)), None)
    system = next((name for name, pattern in SYSTEMS if pattern.search(agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def network(source_ip: str | None) -> str | None:
    """The network an address is in, coarsely: its /24 for IPv4, its /48 for IPv6."""
    try:
        address = ipaddress.ip_address((source_ip or "").strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
