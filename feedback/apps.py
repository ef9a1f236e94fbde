from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from feedback.services import (
            FEEDBACK_ANSWERED,
            FEEDBACK_REMINDER,
            feedback_answered_handler,
            feedback_reminder_handler,
        )
        from feedback.views import dashboard_links
        from outbox.registry import subscribe
        from stats.hooks import register_dashboard_link

        subscribe(FEEDBACK_REMINDER, "feedback.reminder_notify", feedback_reminder_handler)
        subscribe(FEEDBACK_ANSWERED, "feedback.answered_notify", feedback_answered_handler)
        register_dashboard_link(dashboard_links)
