"""A dependency-free JSON log formatter for LOG_FORMAT=json, and a traceback filter."""

import json
import logging


class DropTraceback(logging.Filter):
    """Keep the line, drop the traceback: for records any outsider can cause at will (a
    foreign Host header makes Django log DisallowedHost with a full stack, one per request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload)
