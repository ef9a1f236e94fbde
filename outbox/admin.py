"""Back office view of side effects: what is pending, what failed and why, and a retry."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import outbox_retry_dead
from outbox.tasks import outbox_request_delivery


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "handler", "status", "attempts", "created_at", "available_at", "sent_at"]
    list_filter = ["status", "handler"]
    search_fields = ["key"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại các tác vụ hỏng đã chọn"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = list(queryset.filter(status=OutboxStatus.DEAD).values_list("pk", flat=True))
        count = outbox_retry_dead(message_ids=ids)
        outbox_request_delivery(message_ids=ids)
        self.message_user(
            request,
            ngettext("Đã đặt lại %d tác vụ.", "Đã đặt lại %d tác vụ.", count) % count,
            messages.SUCCESS,
        )
