"""The machine-readable socket protocol: an AsyncAPI 3.0 document (SPEC section 13)."""

from .document import asyncapi_document

__all__ = ["asyncapi_document"]
