"""Webhooks (SPEC section 13): a cursor over a board's event log, delivered over HTTP."""
