"""One JSON object per line, so CloudWatch Logs Insights can query every field."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

# Not "teamdrive": that is the Chalice app's own logger, which Chalice sets to ERROR.
_logger = logging.getLogger("teamdrive.events")
if not _logger.handlers:
    _handler = logging.StreamHandler(sys.stdout)
    _handler.setFormatter(logging.Formatter("%(message)s"))
    _logger.addHandler(_handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False


def record(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event as a JSON line. Never pass tokens, passwords, cookies or presigned URLs."""
    _logger.log(level, json.dumps({"event": event, **fields}, default=str, ensure_ascii=False))
