"""Backtest the lateness model on the portal's own history (the database DATABASE_URL names,
else the `make run` SQLite file with the demo history from seed_demo).

    DJANGO_DEBUG=true .venv/bin/python bench/lateness_backtest.py [--days-back 120] [--days 90]
        [--threshold 0.5]

Trains on the history up to `today - days_back`, scores the dossiers in progress at each
working day of the next `days` days, prints recall and precision against the baselines.
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from ioc.backtest import backtest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days-back", type=int, default=120)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--retrain-days", type=int, default=7)
    args = parser.parse_args()
    as_of = timezone.now() - dt.timedelta(days=args.days_back)
    result = backtest(
        as_of=as_of, days=args.days, threshold=args.threshold, retrain_days=args.retrain_days
    )
    print(
        f"as of {timezone.localtime(as_of):%d/%m/%Y}, window {args.days} days, "
        f"threshold {args.threshold}"
    )
    for line in result.lines():
        print(line)


if __name__ == "__main__":
    main()
