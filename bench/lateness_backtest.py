"""Backtest the lateness model on the portal's own history (the database DATABASE_URL names,
else the `make run` SQLite file with the demo history from seed_demo).

    DJANGO_DEBUG=true .venv/bin/python bench/lateness_backtest.py [--days-back 120] [--days 90]
        [--threshold 0.5 | --tune-days 120] [--retrain-days 7]

Trains on the history up to `today - days_back`, scores the dossiers in progress at each
working day of the next `days` days, prints recall and precision against the baselines.
With `--tune-days N`, the threshold is not given but chosen on the N days BEFORE the window
(among the thresholds whose precision reached 50 % there, the best F1; else the best F1), so
nothing is tuned on the window measured.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from ioc.backtest import (  # noqa: E402
    THRESHOLDS,
    backtest,
    choose_threshold,
    choose_threshold_confident,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days-back", type=int, default=120)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--tune-days", type=int, default=0)
    parser.add_argument("--retrain-days", type=int, default=7)
    parser.add_argument(
        "--moments", default="10:00", help="scoring times of each working day, e.g. 10:00,14:00"
    )
    parser.add_argument(
        "--last-moment",
        action="store_true",
        help="also score each dossier at its last quarter hour 2 working days ahead",
    )
    args = parser.parse_args()
    moments = tuple(
        dt.time(int(h), int(m)) for h, m in (t.split(":") for t in args.moments.split(","))
    )
    as_of = timezone.now() - dt.timedelta(days=args.days_back)
    threshold = args.threshold
    if args.tune_days:
        started = time.monotonic()
        tuning = backtest(
            as_of=as_of - dt.timedelta(days=args.tune_days),
            days=args.tune_days,
            retrain_days=args.retrain_days,
            moments=moments,
            last_moment=args.last_moment,
        )
        threshold = choose_threshold(tuning)
        print(
            f"tuning window: {args.tune_days} days before "
            f"{timezone.localtime(as_of):%d/%m/%Y} ({time.monotonic() - started:.0f} s)"
        )
        print("  " + tuning.lines()[0])
        for value in THRESHOLDS:
            print("  " + tuning.at(value).line(f"threshold {value}"))
        print(f"  chosen threshold: {threshold}")
        print(
            "  (the earlier rule, 50 % precision with 90 % confidence, would have chosen "
            f"{choose_threshold_confident(tuning)})"
        )
    started = time.monotonic()
    result = backtest(
        as_of=as_of,
        days=args.days,
        threshold=threshold,
        retrain_days=args.retrain_days,
        moments=moments,
        last_moment=args.last_moment,
    )
    scored_at = args.moments + (" and each dossier's last moment" if args.last_moment else "")
    print(
        f"as of {timezone.localtime(as_of):%d/%m/%Y}, window {args.days} days, scored at "
        f"{scored_at}, threshold {threshold} ({time.monotonic() - started:.0f} s)"
    )
    for line in result.lines():
        print(line)
    for value in THRESHOLDS:
        print("  (for reference, not chosen here) " + result.at(value).line(f"threshold {value}"))


if __name__ == "__main__":
    main()
