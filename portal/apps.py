from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng Dịch vụ công"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portal.sessions import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="portal-session-expiry-by-role")
