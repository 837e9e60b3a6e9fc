import datetime as dt

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from realtime_scrum.converters import MAX_ID

from ..models import Sprint, Status, Task


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number from 1 to MAX_ID, else 400 with a field message.

    NumberFilter parses a Decimal: `1.5` matched id 1, and `-3.9e66` or 20 digits reached the
    query, where SQLite raised OverflowError (a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None  # max_value above is the bound


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that exists in UTC, as the database compares it:
    9999-12-31T23:59:59-14:00 parses, then overflowed converting to UTC (a 500)."""

    default_error_messages = {
        "out_of_range": "Enter a date and time between 0001-01-01 and 9999-12-31 in UTC."
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and value.tzinfo is not None:
            try:
                value.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    self.error_messages["out_of_range"], code="out_of_range"
                ) from None
        return value


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class SprintFilter(django_filters.FilterSet):
    board = IdFilter(field_name="board_id")
    end_min = django_filters.DateFilter(field_name="end", lookup_expr="gte")
    end_max = django_filters.DateFilter(field_name="end", lookup_expr="lte")

    class Meta:
        model = Sprint
        fields = ["board", "end_min", "end_max"]


# A filter of ten labels is ten joins; no board view asks for more.
LABEL_FILTER_MAX = 10


class _IdListField(forms.Field):
    """Every value of a repeated parameter, each an id from 1 to MAX_ID."""

    widget = forms.SelectMultiple  # reads all values of `?label=1&label=2`

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if len(values) > LABEL_FILTER_MAX:
            raise forms.ValidationError(f"Filter by at most {LABEL_FILTER_MAX} labels.")
        ids = []
        for raw in values:
            text = str(raw).strip()
            if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
                raise forms.ValidationError(f"{text[:30]!r} is not a label id.")
            ids.append(int(text))
        return ids


@extend_schema_field({"type": "array", "items": {"type": "integer", "minimum": 1}})
class AllLabelsFilter(django_filters.Filter):
    """`label` (repeatable): tasks that carry every one of them."""

    field_class = _IdListField

    def filter(self, qs, value):
        for label_id in value or ():
            # One join per label: AND. A task holds a label once, so no row repeats.
            qs = qs.filter(labels__id=label_id)
        return qs


class TaskFilter(django_filters.FilterSet):
    board = IdFilter(field_name="board_id")
    sprint = IdFilter(field_name="sprint_id")
    status = django_filters.TypedMultipleChoiceFilter(choices=Status.choices, coerce=int)
    assigned = django_filters.CharFilter(field_name="assigned__username", lookup_expr="iexact")
    backlog = django_filters.BooleanFilter(field_name="sprint", lookup_expr="isnull")
    due_min = django_filters.DateFilter(field_name="due", lookup_expr="gte")
    due_max = django_filters.DateFilter(field_name="due", lookup_expr="lte")
    modified_since = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    label = AllLabelsFilter()

    class Meta:
        model = Task
        fields = ["board", "sprint", "status", "assigned", "backlog"]
