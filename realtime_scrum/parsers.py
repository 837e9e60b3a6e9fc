"""Request parsers: DRF's JSON parser, with nesting too deep for Python's json module answered
as a parse error (400) instead of escaping as a RecursionError (500)."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # json's C scanner recurses once per level: '[' * 5000 exceeds the interpreter's
            # recursion limit. The stack is unwound by the time this runs.
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
