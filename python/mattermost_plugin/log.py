"""Logging to stderr in the line format the host parses: "[LEVEL] message key=value ...".

The host turns each line into a log record with the plugin id and the matching level.
The message is positional-only, so a field may be called `message` (or anything else).
"""

import logging
import sys
from typing import Any, Dict, Optional

_LEVEL_NAMES = {
    logging.DEBUG: "DEBUG",
    logging.INFO: "INFO",
    logging.WARNING: "WARN",
    logging.ERROR: "ERROR",
    logging.CRITICAL: "ERROR",
}


class _HostLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = _LEVEL_NAMES.get(record.levelno, "INFO")
        message = record.getMessage()
        fields: Dict[str, Any] = getattr(record, "fields", None) or {}
        suffix = "".join(" %s=%s" % (key, value) for key, value in fields.items())
        text = "[%s] %s%s" % (level, message, suffix)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        # One record per line: continuation lines keep the record's level.
        return text.replace("\n", "\n[%s]   " % level)


def configure(level: int = logging.DEBUG) -> None:
    """Sends all Python logging to stderr in the host's line format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_HostLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


logger = logging.getLogger("plugin")


def debug(message: str, /, **fields: Any) -> None:
    logger.debug(message, extra={"fields": fields})


def info(message: str, /, **fields: Any) -> None:
    logger.info(message, extra={"fields": fields})


def warn(message: str, /, **fields: Any) -> None:
    logger.warning(message, extra={"fields": fields})


def error(message: str, /, **fields: Any) -> None:
    logger.error(message, extra={"fields": fields})


def exception(message: str, error: Optional[BaseException] = None, /, **fields: Any) -> None:
    """Like error(), with the traceback of `error` (default: the exception being handled)."""
    logger.error(message, exc_info=error if error is not None else True, extra={"fields": fields})
