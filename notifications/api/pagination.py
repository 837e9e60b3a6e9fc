"""The inbox page: the usual envelope plus `unread`, the number the bell shows.

Both numbers come from one aggregate (the total the paginator needs and the unread count), so
the list costs the same queries as any other list and its `unread` agrees with its `count`."""

from __future__ import annotations

from typing import cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.response import Response

from board.api.pagination import Pagination

from .. import selectors
from ..models import Notification


class _CountingPaginator(Paginator):
    unread = 0

    @cached_property
    def count(self) -> int:
        counts = selectors.notification_counts(cast(QuerySet[Notification], self.object_list))
        self.unread = counts["unread"]
        return counts["total"]


class InboxPagination(Pagination):
    django_paginator_class = _CountingPaginator

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        assert self.page is not None and isinstance(self.page.paginator, _CountingPaginator)
        response.data["unread"] = self.page.paginator.unread
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["unread"] = {
            "type": "integer",
            "description": "How many of the listed (filtered) notifications are unread.",
            "example": 2,
        }
        envelope["required"] = [*envelope.get("required", []), "unread"]
        return envelope
