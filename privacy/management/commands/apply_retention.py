from django.core.management.base import BaseCommand
from django.utils import formats, timezone

from audit import exports
from privacy import retention


class Command(BaseCommand):
    help = (
        "Remove the personal data of unsuccessful applications that closed more than "
        "RETENTION_UNSUCCESSFUL_YEARS ago. Safe to run again: what is done stays done. "
        "Run it daily from the platform's scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the applications that are due; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        result = retention.apply(dry_run=dry_run)
        if not dry_run and (removed := exports.remove_expired()):
            self.stdout.write(f"Removed {removed} audit logs past their 7 days.")
        if not dry_run and (removed := retention.remove_old_notifications()):
            self.stdout.write(f"Removed {removed} notifications more than a year old.")
        before = formats.date_format(timezone.localtime(result.cutoff), "j F Y")
        if not result.references:
            self.stdout.write(
                f"Nothing to do: every unsuccessful application closed before {before} is already done."
            )
            return
        listed = ", ".join(result.references)
        count = len(result.references)
        if dry_run:
            self.stdout.write(f"{count} unsuccessful applications closed before {before} are due: {listed}")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed the personal data of {count} unsuccessful applications closed before {before} "
                f"({result.documents} files deleted): {listed}"
            )
        )
