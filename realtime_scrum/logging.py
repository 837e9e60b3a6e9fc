"""A dependency-free JSON log formatter for LOG_FORMAT=json, and a traceback filter."""

import json
import logging

from .request_id import current_request_id


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
        # The request's id (realtime_scrum/request_id.py), also on the lines its commit's
        # callbacks write (the event broadcast): they run in the request's context.
        rid = getattr(record, "request_id", None) or current_request_id()
        if rid:
            payload["request_id"] = rid
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload)
