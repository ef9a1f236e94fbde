from django.contrib import admin

from ioc.models import DeskEscalationSetting, Escalation, LatenessModel


@admin.register(DeskEscalationSetting)
class DeskEscalationSettingAdmin(admin.ModelAdmin):
    list_display = ("desk", "threshold")
    autocomplete_fields = ("desk",)


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("dossier", "level", "risk", "raised_at", "notified_at")
    list_filter = ("level",)
    raw_id_fields = ("dossier", "recipients")


@admin.register(LatenessModel)
class LatenessModelAdmin(admin.ModelAdmin):
    list_display = ("trained_at", "history_until", "samples")
    exclude = ("table",)
