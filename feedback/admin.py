from django.contrib import admin

from feedback.models import Feedback, FeedbackAttachment, FeedbackReminderLog


class AttachmentInline(admin.TabularInline):
    model = FeedbackAttachment
    extra = 0
    fields = ("original_name", "content_type", "size")
    readonly_fields = fields
    can_delete = False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "title",
        "agency",
        "desk",
        "status",
        "due_at",
        "outcome",
        "published_at",
    )
    list_filter = ("status", "outcome", "kind", "subject")
    search_fields = ("code", "title", "sender_name")
    raw_id_fields = ("procedure", "dossier", "desk", "agency", "sender", "answered_by", "routed_by")
    inlines = [AttachmentInline]


@admin.register(FeedbackReminderLog)
class FeedbackReminderLogAdmin(admin.ModelAdmin):
    list_display = ("feedback", "kind", "due_at", "created_at", "delivered_at", "recipients")
    list_filter = ("kind",)
    raw_id_fields = ("feedback",)
