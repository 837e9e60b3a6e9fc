"""Integrations of SPEC section 13 owned here: board export/import (own format and Trello's)
and the personal calendar feed (docs/integrations.md)."""
