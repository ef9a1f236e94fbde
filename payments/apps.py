from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Thanh toán trực tuyến")

    def ready(self) -> None:
        from dossiers import hooks
        from outbox.registry import subscribe
        from payments.sandbox import IPN_EVENT, sandbox_send_ipn_handler
        from payments.selectors import fee_request_defaults
        from payments.services import payment_counter_wants, payment_record_counter_handler
        from payments.views import dossier_panels

        subscribe(
            "dossier.changed",
            "payments.counter_receipt",
            payment_record_counter_handler,
            when=payment_counter_wants,
            idempotent=True,  # the receipt's reference names the event: a repeat finds it
        )
        subscribe(IPN_EVENT, "payments.sandbox_ipn", sandbox_send_ipn_handler)
        hooks.register_detail_panel(dossier_panels)
        hooks.register_action_defaults(fee_request_defaults)
