"""The admin writes through the same services as the API, so it gets the same rules, the
same version bumps and the same events (a change made here reaches every open board)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import Board, BoardEvent, Membership, Sprint, Task
from .services import Actor


class SprintForm(forms.ModelForm):
    class Meta:
        model = Sprint
        fields = ["board", "name", "description", "start", "end", "goal"]

    def clean(self):
        data = super().clean()
        board, end = data.get("board"), data.get("end")
        if board and end:
            original = Sprint.objects.get(pk=self.instance.pk) if self.instance.pk else None
            start = data.get("start")
            services.sprint_validate(board=board, start=start, end=end, original=original)
        return data

    def validate_unique(self):
        """(board, end) is checked with a clearer message in sprint_validate."""


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "board", "sprint", "name", "description", "status",
            "assigned", "started", "due", "completed", "points",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        board = data.get("board")
        if board is None or "status" not in data:
            return data
        original = Task.objects.get(pk=self.instance.pk) if self.instance.pk else None
        if original is not None and board.pk != original.board_id:
            raise ValidationError({"board": "A task cannot move to another board."})
        state = {k: data.get(k) for k in ("sprint", "status", "started", "completed", "assigned")}
        services.task_validate(board=board, state=state, original=original)
        return data


def _changes(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name != "board"}


def _lifecycle_action(request, queryset, run, done: str) -> None:
    """Run a lifecycle service on each selected sprint; a refusal is a message, not a 500,
    and does not stop the others (each is its own transaction)."""
    actor = Actor(user=request.user)
    for sprint in queryset:
        try:
            run(actor=actor, sprint_id=sprint.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"{sprint}: {message}")
        else:
            messages.success(request, f"{sprint}: {done}.")


@admin.register(Sprint)
class SprintAdmin(admin.ModelAdmin):
    form = SprintForm
    list_display = ("__str__", "board", "state", "start", "end", "version")
    list_filter = ("state", "board")
    search_fields = ("name",)
    readonly_fields = ("state", "committed")
    actions = ["start_sprint", "close_sprint"]

    @admin.action(description="Start sprint")
    def start_sprint(self, request, queryset):
        _lifecycle_action(request, queryset, services.sprint_start, "started")

    @admin.action(description="Close sprint (unfinished work to the backlog)")
    def close_sprint(self, request, queryset):
        _lifecycle_action(request, queryset, services.sprint_close, "closed")

    def save_model(self, request, obj, form, change):
        actor = Actor(user=request.user)
        if change:
            saved = services.sprint_update(actor=actor, sprint_id=obj.pk, **_changes(form))
        else:
            fields = ("name", "description", "start", "end", "goal")
            data = {k: form.cleaned_data[k] for k in fields}
            saved = services.sprint_create(actor=actor, board_id=obj.board_id, **data)
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request, obj):
        services.sprint_delete(actor=Actor(user=request.user), sprint_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for sprint in queryset:
            self.delete_model(request, sprint)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    form = TaskForm
    list_display = ("name", "board", "sprint", "status", "assigned", "due", "version")
    list_filter = ("status", "board")
    search_fields = ("name", "description")
    list_select_related = ("board", "sprint", "assigned")

    def save_model(self, request, obj, form, change):
        actor = Actor(user=request.user)
        if change:
            saved = services.task_update(actor=actor, task_id=obj.pk, **_changes(form))
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k != "board"}
            saved = services.task_create(actor=actor, board_id=obj.board_id, **data)
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request, obj):
        services.task_delete(actor=Actor(user=request.user), task_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for task in queryset:
            self.delete_model(request, task)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "last_seq", "created_at")
    search_fields = ("name",)
    readonly_fields = ("last_seq", "owner")

    def has_add_permission(self, request):
        return False  # boards are created by their owners through the API

    def save_model(self, request, obj, form, change):
        services.board_update(actor=Actor(user=request.user), board_id=obj.pk, **_changes(form))

    def delete_model(self, request, obj):
        services.board_delete(actor=Actor(user=request.user), board_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for board in queryset:
            self.delete_model(request, board)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("board", "user", "role", "joined_at")
    list_filter = ("role",)

    def has_change_permission(self, request, obj=None):
        return False  # role changes go through the API so sockets hear about them

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BoardEvent)
class BoardEventAdmin(admin.ModelAdmin):
    list_display = ("board", "seq", "name", "actor", "created_at")
    list_filter = ("name",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
