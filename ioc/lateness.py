"""The lateness model, pure: learned shares of late dossiers given how far along they are.

A finished dossier of the history gives one sample: its procedure, desk, whether a supplement
was asked during processing, and `ratio` = working time it took / working time it was allowed
(received → finished over received → appointment, office hours and the working-day calendar,
so days off are counted as the law counts them). For a dossier in progress, `fraction` = the
working time used so far / allowed. Among the past dossiers like it that were still not finished
at that fraction, the share that ended late is its risk; the median of what they still needed
gives the estimated finish. "Like it" is the most specific key with enough samples: procedure at
this desk with the desk's backlog state (busy: more than BUSY_FACTOR times its usual open
dossiers), the desk with its backlog state, procedure at this desk (and supplement), then the
desk, then the procedure, then everything. The reasons name that key, its sample count and
share, so a clerk can see why.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

MIN_SAMPLES = 6  # past dossiers still open at that fraction, below which the key is too thin
MAX_PER_KEY = 400  # the most recent ratios kept per key
BUSY_FACTOR = 1.5  # open dossiers at a desk above this times its usual count: a backlog


@dataclass(frozen=True)
class Sample:
    procedure_id: int
    desk_id: int
    supplemented: bool
    ratio: float
    busy: bool = False  # the desk had a backlog when the dossier arrived


def sample_keys(
    *, procedure_id: int, desk_id: int, supplemented: bool, busy: bool = False
) -> list[str]:
    """Most specific first."""
    s = int(supplemented)
    b = int(busy)
    return [
        f"pdb:{procedure_id}:{desk_id}:{b}",
        f"db:{desk_id}:{b}",
        f"pds:{procedure_id}:{desk_id}:{s}",
        f"pd:{procedure_id}:{desk_id}",
        f"ds:{desk_id}:{s}",
        f"d:{desk_id}",
        f"p:{procedure_id}",
        "all",
    ]


def fit(samples: list[Sample]) -> dict[str, list[float]]:
    """key -> sorted ratios (most recent MAX_PER_KEY per key; samples come oldest first)."""
    table: dict[str, list[float]] = {}
    for sample in samples:
        ratio = round(min(sample.ratio, 20.0), 4)
        for key in sample_keys(
            procedure_id=sample.procedure_id,
            desk_id=sample.desk_id,
            supplemented=sample.supplemented,
            busy=sample.busy,
        ):
            table.setdefault(key, []).append(ratio)
    return {key: sorted(values[-MAX_PER_KEY:]) for key, values in table.items()}


@dataclass
class Prediction:
    risk: float
    remaining_fraction: float  # of the allowed working time, still needed (median)
    key: str
    similar: int  # past dossiers still open at this fraction, under that key
    late_similar: int
    reasons: list[dict] = field(default_factory=list)


def predict(
    table: dict[str, list[float]],
    *,
    procedure_id: int,
    desk_id: int,
    supplemented: bool,
    fraction: float,
    busy: bool = False,
) -> Prediction:
    """The risk of a dossier `fraction` of the way through its allowed time."""
    keys = sample_keys(
        procedure_id=procedure_id, desk_id=desk_id, supplemented=supplemented, busy=busy
    )
    for key in keys:
        ratios = table.get(key) or []
        start = bisect_right(ratios, fraction)
        still_open = ratios[start:]
        if len(still_open) >= MIN_SAMPLES or (key == "all" and still_open):
            late = len(still_open) - (bisect_right(still_open, 1.0))
            middle = still_open[len(still_open) // 2]
            # Past its allowed time already: late for sure, whatever the history says.
            risk = 1.0 if fraction >= 1.0 else late / len(still_open)
            return Prediction(
                risk=risk,
                remaining_fraction=max(middle - fraction, 0.0),
                key=key,
                similar=len(still_open),
                late_similar=late,
            )
    return Prediction(
        risk=1.0 if fraction >= 1.0 else 0.0,
        remaining_fraction=0.0,
        key="none",
        similar=0,
        late_similar=0,
    )
