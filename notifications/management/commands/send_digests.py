from django.core.management.base import BaseCommand

from notifications.services import send_digests


class Command(BaseCommand):
    help = "Send each person one e-mail with the notifications waiting for their daily digest (run daily)."

    def handle(self, *args, **options):
        people = send_digests()
        self.stdout.write(f"Sent {people} digest{'s' if people != 1 else ''}.")
