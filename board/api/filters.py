import django_filters

from ..models import Sprint, Status, Task


class SprintFilter(django_filters.FilterSet):
    board = django_filters.NumberFilter(field_name="board_id")
    end_min = django_filters.DateFilter(field_name="end", lookup_expr="gte")
    end_max = django_filters.DateFilter(field_name="end", lookup_expr="lte")

    class Meta:
        model = Sprint
        fields = ["board", "end_min", "end_max"]


class TaskFilter(django_filters.FilterSet):
    board = django_filters.NumberFilter(field_name="board_id")
    sprint = django_filters.NumberFilter(field_name="sprint_id")
    status = django_filters.TypedMultipleChoiceFilter(choices=Status.choices, coerce=int)
    assigned = django_filters.CharFilter(field_name="assigned__username", lookup_expr="iexact")
    backlog = django_filters.BooleanFilter(field_name="sprint", lookup_expr="isnull")
    due_min = django_filters.DateFilter(field_name="due", lookup_expr="gte")
    due_max = django_filters.DateFilter(field_name="due", lookup_expr="lte")
    modified_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Task
        fields = ["board", "sprint", "status", "assigned", "backlog"]
