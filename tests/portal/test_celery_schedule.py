from django.conf import settings

from portal.celery import app


def test_beat_schedule_names_only_registered_tasks_when_the_app_loads():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "the beat schedule is empty"
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
