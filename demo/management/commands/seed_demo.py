from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from demo import library as library_demo
from demo import projects as projects_demo
from demo import reports as reports_demo
from demo import targets as targets_demo
from demo import teams as teams_demo

# Each app's demo data, in the order they depend on each other.
SEEDERS = [
    teams_demo.seed,
    teams_demo.seed_teams,
    projects_demo.seed,
    library_demo.seed,  # the project library, the key projects' leaders, the plans
    teams_demo.seed_trips,  # links the leads the trips brought in
    targets_demo.seed,
    reports_demo.seed,  # bulletins and the review from all of the above
]


class Command(BaseCommand):
    help = "Fills the database with a believable demo county. Running it twice changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not list accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("zh-hans")
        for seeder in SEEDERS:
            created = seeder()
            summary = ", ".join(f"{name} +{count}" for name, count in created.items())
            self.stdout.write(f"{seeder.__module__}: {summary}")
        if not options["quiet_accounts"]:
            self.stdout.write("Demo accounts (one per role):")
            for line in teams_demo.account_lines():
                self.stdout.write(line)
