"""Back office: fees (an administrator sets the amounts the text did not give), payments,
gateway notices and the reconciliation's findings."""

from django.contrib import admin

from payments.models import Payment, PaymentNotice, ProcedureFee, ReconciliationItem


@admin.register(ProcedureFee)
class ProcedureFeeAdmin(admin.ModelAdmin):
    list_display = ["procedure", "channel", "amount", "source"]
    list_filter = ["source", "channel"]
    search_fields = ["procedure__code", "procedure__name"]
    raw_id_fields = ["procedure"]
    readonly_fields = ["source_text", "candidates", "updated_at"]

    def save_model(self, request, obj, form, change) -> None:
        if "amount" in form.changed_data:
            obj.source = "admin"  # an administrator's amount is never overwritten by an import
        super().save_model(request, obj, form, change)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["txn_ref", "dossier", "method", "amount", "status", "created_at", "paid_at"]
    list_filter = ["status", "method"]
    search_fields = ["txn_ref", "dossier__code", "receipt_number"]
    readonly_fields = [field.name for field in Payment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(admin.ModelAdmin):
    list_display = ["received_at", "txn_ref", "answer_code", "answer"]
    list_filter = ["answer_code"]
    readonly_fields = [field.name for field in PaymentNotice._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReconciliationItem)
class ReconciliationItemAdmin(admin.ModelAdmin):
    list_display = ["run_date", "payment", "portal_status", "gateway_status", "note"]
    list_filter = ["run_date", "note"]
    readonly_fields = [field.name for field in ReconciliationItem._meta.fields]
