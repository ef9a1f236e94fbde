from django.contrib import admin

from sync.models import NationalView, SyncMessage


@admin.register(SyncMessage)
class SyncMessageAdmin(admin.ModelAdmin):
    list_display = ["idempotency_key", "seq", "created_at", "attempts", "acked_at"]
    search_fields = ["idempotency_key"]
    readonly_fields = [field.name for field in SyncMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NationalView)
class NationalViewAdmin(admin.ModelAdmin):
    list_display = ["dossier", "national_status", "acked_seq", "seen_at"]
    readonly_fields = [field.name for field in NationalView._meta.fields]
