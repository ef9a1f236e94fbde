"""Verify the tamper-evident audit chain, or print the anchors to publish."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossiers.services.chain import chain_anchor_list, chain_verify


class Command(BaseCommand):
    help = "Verify the audit chain of dossier events (verify) or print its anchors (anchors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchors"])
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="POSITION:HASH",
            help="a published anchor the chain must still match (repeatable)",
        )

    def handle(self, *args, **options) -> None:
        if options["action"] == "anchors":
            for position, digest in chain_anchor_list():
                self.stdout.write(f"{position}:{digest}")
            return
        published = {}
        for item in options["anchor"]:
            position, _, digest = item.partition(":")
            if not position.isdigit() or len(digest) != 64:
                raise CommandError(f"Bad anchor {item!r}: expected POSITION:SHA256HEX.")
            published[int(position)] = digest
        report = chain_verify(published_anchors=published)
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN at event id={report.broken_event_id} "
                f"position={report.broken_position}: {report.reason} "
                f"({report.checked} events checked)."
            )
        self.stdout.write(
            f"Audit chain OK: {report.checked} events, {len(report.anchors)} anchors."
        )
