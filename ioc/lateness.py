"""The lateness model, pure: the remaining time of a dossier learnt from the past dossiers that
were at the same step, at the same agency or desk, for as long.

A dossier moves through steps: reception at the desk (received → sent to the agency), then one
leg per hand-off on the control slip (Mẫu 05: the competent agency, a liên thông leg at an upper
agency, back at the desk), until the result. Every step of every finished dossier of the history
gives one sample: who held it (`holder`: an agency, or a desk's own staff, or the reception), its
procedure, its receiving desk, whether that desk had a backlog when the step began (open dossiers
above BUSY_FACTOR times its usual count), whether a supplement was asked during processing, and,
in shares of the dossier's allowed working time (received → appointment, office hours and the
working-day calendar, so days off are counted as the law counts them):

- `spent`: how long the step lasted (an agency's step with a due on the control slip: in
  shares of its leg's own time, `leg`, so that 1 is the agency's due);
- `rest`: from the start of the step to the result.

For a dossier in progress that began its current step at `start` (share of its allowed time) and
has spent `elapsed` in it, the past samples "like it" that were still in that step after as
long (spent > elapsed) tell what it still needs: it is late when start + rest > 1, i.e. when
their rest, moved to this dossier's position, exceeds its time left. The risk is the share of
them that would be late, each key's share shrunk towards the more general key's (so that a thin
key does not swing it); the median gives the estimated finish. "Like it" is the most specific
key with at least MIN_SAMPLES such samples: procedure at this holder with the desk's backlog
state → holder with backlog state → procedure at this holder → holder with supplement state →
holder → receiving desk (with, then without, backlog state) → procedure → everything. The
reasons name that key and its counts, and how long the step has lasted against its usual time.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

MIN_SAMPLES = 6  # past steps still open after as long, below which the key is too thin
MAX_PER_KEY = 400  # the most recent samples kept per key
PRIOR_WEIGHT = 10  # pseudo samples of the more general key behind each key's share
BUSY_FACTOR = 1.5  # open dossiers at a desk above this times its usual count: a backlog


@dataclass(frozen=True)
class Sample:
    """One step of one finished dossier (shares of the dossier's allowed working time)."""

    procedure_id: int
    desk_id: int
    holder: str  # "a<agency id>", "d<desk id>" (the desk's own staff) or "r<desk id>" (reception)
    supplemented: bool
    spent: float
    rest: float
    busy: bool = False  # the receiving desk had a backlog when the step began
    start: float = 0.0  # when the step began
    # An agency's step with a due moment on the control slip (the leg's due): how long it
    # lasted in shares of the leg's own time (leg start → leg due, 1 = finished on its due).
    leg: float | None = None


POSITIONS = (0.3, 0.6, 0.9)  # where in its allowed time a step began: 4 bands


def position(start: float) -> int:
    """The band of the allowed time in which a step began (a step's pace depends on it: the
    result step of a dossier that came back late from the agency is hurried)."""
    return bisect_right(POSITIONS, start)


def kind(holder: str, *, legged: bool, start: float) -> str:
    """The kind of step (reception, an agency, a desk's own staff; an agency's step measured on
    its leg's clock is a kind of its own) and the band of the allowed time it began in."""
    return f"{holder[0]}{'l' if legged else ''}{position(start)}"


def sample_keys(
    *,
    procedure_id: int,
    desk_id: int,
    holder: str,
    supplemented: bool,
    busy: bool = False,
    start: float = 0.0,
    legged: bool = False,
) -> list[str]:
    """Most specific first. Every key but the last holds one kind of step (reception, an
    agency, a desk's own staff; an agency's step on its leg's clock) begun in the same band of
    the allowed time."""
    s = int(supplemented)
    b = int(busy)
    k = kind(holder, legged=legged, start=start)
    return [
        f"phb:{procedure_id}:{holder}:{k}:{b}",
        f"hb:{holder}:{k}:{b}",
        f"ph:{procedure_id}:{holder}:{k}",
        f"hs:{holder}:{k}:{s}",
        f"h:{holder}:{k}",
        f"db:{desk_id}:{k}:{b}",
        f"d:{desk_id}:{k}",
        f"p:{procedure_id}:{k}",
        f"k:{k}",
        "all",
    ]


def fit(samples: list[Sample]) -> dict[str, list[list[float]]]:
    """key -> [spent sorted ascending, rest in the same order] (most recent MAX_PER_KEY per key;
    samples come oldest first). An agency's step with a leg due is measured on the leg's clock
    (`leg`): the agency overran its own due when it passes 1, whatever the days off between."""
    table: dict[str, list[tuple[float, float]]] = {}
    for sample in samples:
        spent = sample.spent if sample.leg is None else sample.leg
        pair = (round(min(spent, 20.0), 4), round(min(sample.rest, 20.0), 4))
        for key in sample_keys(
            procedure_id=sample.procedure_id,
            desk_id=sample.desk_id,
            holder=sample.holder,
            supplemented=sample.supplemented,
            busy=sample.busy,
            start=sample.start,
            legged=sample.leg is not None,
        ):
            table.setdefault(key, []).append(pair)
    out = {}
    for key, pairs in table.items():
        kept = sorted(pairs[-MAX_PER_KEY:])
        out[key] = [[p[0] for p in kept], [p[1] for p in kept]]
    return out


@dataclass
class Prediction:
    risk: float
    remaining_fraction: float  # of the allowed working time, still needed (median)
    key: str
    similar: int  # past steps still open after as long, under that key
    late_similar: int
    # Median time of this step at this holder, and the time 3 in 4 past steps there took less
    # than: shares of the allowed time, or of the leg's own time on the leg's clock.
    step_usual: float | None = None
    step_long: float | None = None
    reasons: list[dict] = field(default_factory=list)


class Table:
    """A fitted table ready for many predictions: each key's lists as numpy arrays (the model
    row keeps plain JSON lists)."""

    def __init__(self, table: dict):
        self.raw = table
        self.arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        if key not in self.arrays:
            value = self.raw.get(key)
            if not value or key.startswith("typical:"):
                return None
            self.arrays[key] = (np.asarray(value[0], float), np.asarray(value[1], float))
        return self.arrays[key]


def predict(
    table: dict | Table,
    *,
    procedure_id: int,
    desk_id: int,
    holder: str,
    supplemented: bool,
    start: float,
    fraction: float,
    busy: bool = False,
    leg: float | None = None,
) -> Prediction:
    """The risk of a dossier `fraction` of the way through its allowed time, in a step it began
    at `start`; `leg`: for an agency's step with a leg due, the share of the leg's own time
    already spent (the step is then compared on the leg's clock)."""
    if not isinstance(table, Table):
        table = Table(table)
    legged = leg is not None
    elapsed = max(leg if legged else fraction - start, 0.0)
    left = 1.0 - start  # what the rest of the dossier may take from the step's start
    own = table.get(f"h:{holder}:{kind(holder, legged=legged, start=start)}")
    usual = long = None
    if own is not None and len(own[0]):
        usual = float(own[0][min(int(0.5 * len(own[0])), len(own[0]) - 1)])
        long = float(own[0][min(int(0.75 * len(own[0])), len(own[0]) - 1)])
    keys = sample_keys(
        procedure_id=procedure_id,
        desk_id=desk_id,
        holder=holder,
        supplemented=supplemented,
        busy=busy,
        start=start,
        legged=legged,
    )
    counts = []  # (key, still open after as long, of which late, their rests)
    for key in keys:
        arrays = table.get(key)
        if arrays is None:
            counts.append((key, 0, 0, None))
            continue
        still = arrays[1][int(np.searchsorted(arrays[0], elapsed, side="right")) :]
        counts.append((key, len(still), int(np.count_nonzero(still > left)), still))
    # Each key's share, shrunk towards the next more general key's (PRIOR_WEIGHT pseudo
    # samples), from the most general up: a thin key moves the estimate only a little.
    smoothed = None
    for _key, n, late, _still in reversed(counts):
        if n:
            smoothed = (
                late / n
                if smoothed is None
                else (late + PRIOR_WEIGHT * smoothed) / (n + PRIOR_WEIGHT)
            )
    for key, n, late, still in counts:
        if n >= MIN_SAMPLES or (key == "all" and n):
            middle = float(np.partition(still, n // 2)[n // 2])
            # Past its allowed time already: late for sure, whatever the history says.
            risk = 1.0 if fraction >= 1.0 else smoothed
            return Prediction(
                risk=risk,
                remaining_fraction=max(start + middle - fraction, 0.0),
                key=key,
                similar=n,
                late_similar=late,
                step_usual=usual,
                step_long=long,
            )
    return Prediction(
        risk=1.0 if fraction >= 1.0 else 0.0,
        remaining_fraction=0.0,
        key="none",
        similar=0,
        late_similar=0,
        step_usual=usual,
        step_long=long,
    )
