"""Fill the database with realistic, reproducible data at scale: for benchmarks and demos.

    python manage.py generate_data --scale small|medium|large [--seed N] [--force]

It refuses a database that holds anything it did not generate unless given --force; earlier
generated data is replaced. Scales and naming rules: devdata/generator.py.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from core import dataversion
from devdata.generator import SCALES, RealDataPresent, generate


class Command(BaseCommand):
    help = "Fill the database with generated partners, agreements, programs and mobility records."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=42, help="Same seed, same data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write even though the database holds data that was not generated.",
        )

    def handle(self, *, scale, seed, force, verbosity, **options):
        last_shown = {"label": None, "at": 0.0}

        def progress(label, done, total):
            # One line per table, rewritten in place at most a few times a second.
            now = time.monotonic()
            finished = total is not None and done >= total
            if verbosity < 1 or (now - last_shown["at"] < 0.5 and not finished):
                return
            if last_shown["label"] not in (None, label):
                self.stdout.write("")
            last_shown.update(label=label, at=now)
            of_total = f" of {total:,}" if total is not None else ""
            self.stdout.write(f"\r  {label}: {done:,}{of_total}", ending="")
            self.stdout.flush()

        self.stdout.write(f"Generating scale {scale} with seed {seed}")
        try:
            counts, seconds = generate(scale, seed, force=force, progress=progress)
            # The bulk load may run with triggers off (session_replication_role): a new data
            # version, so that no page cached before shows.
            dataversion.bump()
        except RealDataPresent as error:
            raise CommandError(
                "The database holds data that generate_data did not write: "
                + "; ".join(error.args[0])
                + ". Use an empty database, or --force to add generated data beside it."
            ) from error
        if verbosity >= 1:
            self.stdout.write("")
        summary = ", ".join(f"{n:,} {label}" for label, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated scale {scale} (seed {seed}) in {seconds:.1f} s: {summary}"
            )
        )
