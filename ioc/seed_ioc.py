"""Demo step: learn the lateness model from the demo history and score the open dossiers, so the
wall and the work queue show risks right after `make run` (the beat jobs keep them fresh)."""

from typing import TextIO

from django.utils import timezone

from ioc.services import lateness_model_current, lateness_score, lateness_train


def run(stdout: TextIO) -> None:
    now = timezone.now()
    model = lateness_model_current() or lateness_train(now=now)
    scored = lateness_score(now=now, model=model)
    stdout.write(
        f"  Dự báo trễ hạn: học từ {model.samples} hồ sơ, chấm {scored} hồ sơ đang xử lý.\n"
    )
