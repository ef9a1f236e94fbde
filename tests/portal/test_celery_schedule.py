import os
import subprocess
import sys

from django.conf import settings

from portal.celery import app


def test_beat_schedule_names_only_registered_tasks_when_the_app_loads():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "the beat schedule is empty"
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_outbox_delivery_task_is_registered_when_a_web_process_only_publishes():
    """A web process imports the services, never a worker's task modules: publishing must
    still find the delivery task (it was once looked up by name and was not registered)."""
    code = (
        "import django; django.setup()\n"
        "from celery import current_app\n"
        "import dossiers.services\n"
        "assert 'outbox.tasks.outbox_deliver_task' in current_app.tasks\n"
        "print('registered')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "true"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.stdout.strip() == "registered", done.stderr[-2000:]
