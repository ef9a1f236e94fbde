"""Who handles what: apps subscribe handlers to events in their `AppConfig.ready()`.

An event (e.g. "dossier.changed") is published by the app that owns the change; each handler
subscribed to it gets its own outbox row, so a failing e-mail never delays or repeats the rollup
refresh beside it. Handlers take the payload (plain JSON values) and must be idempotent enough
that a retry after a crash between sending and marking is harmless or detectable.
"""

from collections.abc import Callable
from dataclasses import dataclass

Handler = Callable[[dict], object]


@dataclass(frozen=True)
class Subscription:
    name: str
    handler: Handler


_handlers: dict[str, Handler] = {}
_subscriptions: dict[str, list[Subscription]] = {}


def subscribe(event: str, name: str, handler: Handler) -> None:
    """Deliver `event` to `handler`, known in the outbox table as `name` (stable: rows keep it)."""
    existing = _handlers.get(name)
    if existing is not None and existing is not handler:
        raise ValueError(f"outbox handler name {name!r} is taken")
    _handlers[name] = handler
    subscriptions = _subscriptions.setdefault(event, [])
    if all(sub.name != name for sub in subscriptions):
        subscriptions.append(Subscription(name=name, handler=handler))


def subscriptions_for(event: str) -> list[Subscription]:
    return list(_subscriptions.get(event, ()))


def handler_for(name: str) -> Handler | None:
    return _handlers.get(name)
