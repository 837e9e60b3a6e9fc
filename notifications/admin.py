from django.contrib import admin

from .models import DigestLedger, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "title", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "digest")


@admin.register(DigestLedger)
class DigestLedgerAdmin(admin.ModelAdmin):
    list_display = ("user", "local_date", "created_at", "emailed_at", "mail_attempts")
    list_filter = ("local_date",)
    raw_id_fields = ("user",)
