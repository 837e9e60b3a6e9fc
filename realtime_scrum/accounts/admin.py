from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User
from .services import user_delete
from .sessions import sessions_revoke_all


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "full_name", "timezone", "is_active", "is_staff")
    search_fields = ("username", "email", "full_name")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("email", "full_name", "timezone", "digest_enabled")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def has_delete_permission(self, request, obj=None):
        # A board owner's account cannot go before its boards do (user_delete refuses).
        if obj is not None and obj.owned_boards.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Memberships are read-only in the admin, but user_delete removes them properly
        # (member.removed per board) before the account goes: they need no delete permission.
        from board.models import Membership

        perms_needed.discard(Membership._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        user_delete(actor=request.user, user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            user_delete(actor=request.user, user=user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Unticking "active" must end the account's sessions and sockets, as the API does.
        if change and "is_active" in form.changed_data and not obj.is_active:
            sessions_revoke_all(user_id=obj.pk)
