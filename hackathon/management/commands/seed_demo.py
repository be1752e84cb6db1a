import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from hackathon.demo import DEMO_PASSWORD, build_context


class Command(BaseCommand):
    help = "Create (or complete) the demo of the model event. Safe to run again: it changes nothing the second time."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            ctx = build_context()
        for app in apps.get_app_configs():
            if not importlib.util.find_spec(f"{app.name}.demo"):
                continue
            module = importlib.import_module(f"{app.name}.demo")
            if hasattr(module, "seed"):
                with transaction.atomic():
                    module.seed(ctx)
                self.stdout.write(f"  seeded {app.label}")
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f}s: {ctx.event.name}"))
        for note in ctx.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for who, email in ctx.logins:
            self.stdout.write(f"  {who:<40} {email}")
