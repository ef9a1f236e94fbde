from django.contrib import admin

from assistant.models import UnansweredQuestion


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(admin.ModelAdmin):
    """Most frequent first: the questions worth a lexicon term (Thủ tục › Từ điển) come on top."""

    list_display = ["example", "count", "reason", "best_code", "last_asked_at"]
    list_filter = ["reason"]
    search_fields = ["normalized", "example"]
    ordering = ["-count", "-last_asked_at"]
    readonly_fields = [f.name for f in UnansweredQuestion._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
