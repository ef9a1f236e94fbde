"""Who handles what: apps subscribe handlers to events in their `AppConfig.ready()`.

An event (e.g. "dossier.changed") is published by the app that owns the change; each handler
subscribed to it gets its own outbox row, so a failing e-mail never delays or repeats the rollup
refresh beside it. Handlers take the payload (plain JSON values) and must be idempotent enough
that a retry after a crash between sending and marking is harmless or detectable.

Two optional parts of a subscription make the outbox do less work per change:

- `when(payload) -> bool`: decided at publish time from the payload alone (no query); a row is
  written only when it returns True. It must say True whenever the handler could act on that
  payload (when unsure, True: the handler still decides); False only when the handler would
  certainly do nothing (no notice for this transition, no phone number, no payment involved).
- `batch(payloads) -> None`: the handler for several rows of the same handler claimed together,
  when doing them at once costs less than one by one (e.g. the rollup refresh of several changes
  of the same desk × procedure × day). It must have the effect of calling the handler on each
  payload; when it raises, delivery falls back to the handler row by row, so a failing payload
  still only delays its own row.
- `idempotent=True`: running the handler again for a row already handled is harmless (it checks
  its own record: the rollup rebuild, the sync's idempotency key, the receipt's unique
  reference). Such rows are marked sent together at the end of a batch; the others (an e-mail,
  an SMS) are marked as soon as their handler returns, so a worker that crashes mid-batch sends
  none of them twice (the window stays the moment between a send and its mark).
"""

from collections.abc import Callable
from dataclasses import dataclass

Handler = Callable[[dict], object]
Predicate = Callable[[dict], bool]
BatchHandler = Callable[[list[dict]], object]


@dataclass(frozen=True)
class Subscription:
    name: str
    handler: Handler
    when: Predicate | None = None

    def wants(self, payload: dict) -> bool:
        return self.when is None or bool(self.when(payload))


_handlers: dict[str, Handler] = {}
_batch_handlers: dict[str, BatchHandler] = {}
_idempotent: set[str] = set()
_subscriptions: dict[str, list[Subscription]] = {}


def subscribe(
    event: str,
    name: str,
    handler: Handler,
    *,
    when: Predicate | None = None,
    batch: BatchHandler | None = None,
    idempotent: bool = False,
) -> None:
    """Deliver `event` to `handler`, known in the outbox table as `name` (stable: rows keep it),
    for the payloads `when` accepts (all when None); `batch` handles several rows at once;
    `idempotent` says a repeat is harmless (see the module docstring)."""
    existing = _handlers.get(name)
    if existing is not None and existing is not handler:
        raise ValueError(f"outbox handler name {name!r} is taken")
    _handlers[name] = handler
    if batch is not None:
        _batch_handlers[name] = batch
    if idempotent:
        _idempotent.add(name)
    subscriptions = _subscriptions.setdefault(event, [])
    if all(sub.name != name for sub in subscriptions):
        subscriptions.append(Subscription(name=name, handler=handler, when=when))


def subscriptions_for(event: str) -> list[Subscription]:
    return list(_subscriptions.get(event, ()))


def handler_for(name: str) -> Handler | None:
    return _handlers.get(name)


def batch_handler_for(name: str) -> BatchHandler | None:
    return _batch_handlers.get(name)


def is_idempotent(name: str) -> bool:
    return name in _idempotent
