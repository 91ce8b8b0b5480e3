"""notinschool demo_load DIR: import a synthetic authority's files in the order an authority
would receive them (deletions, registrations, referrals, admissions, contacts, agencies), then
link, allocate the children to the demo's officers and assess once, as a bulk reload does.

The demo's users are created first when there are none (`seed_demo_users` then prints how to
sign in as each, and sets the health team's districts from the register), so the allocation
rules, the work queues, the alerts and the daily summaries have people in them."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from notinschool.accounts.demo import demo_password, demo_users_seed
from notinschool.accounts.system import COMMAND_LINE
from notinschool.allocation.demo import demo_allocate, demo_officers_summary
from notinschool.allocation.selectors import officers_eligible
from notinschool.core.progress import stage
from notinschool.linkage.services import link_all
from notinschool.people.register_status import children_past_school_age, children_reach_school_age
from notinschool.workflow.assessment import risk_assessment_run
from notinschool.workflow.imports import follow_ups_mark_done, import_file

ORDER = ("roll-deletions", "parent-registrations", "referrals", "school-admissions", "contacts")


class Command(BaseCommand):
    help = ("Import every file of a synthetic authority folder, then link, allocate the children "
            "to the demo's officers and assess.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not officers_eligible():
            with stage("Creating the demo's users"):
                demo_users_seed(council=settings.NOTINSCHOOL_AUTHORITY_NAME, password=demo_password(),
                                health_districts=[])
        files = [(k, folder / f"{k}.csv", "") for k in ORDER if (folder / f"{k}.csv").exists()]
        files += [("agency", p, p.stem.removeprefix("agency-"))
                  for p in sorted(folder.glob("agency-*.csv"))]
        batches = []
        for kind, path, source in files:
            with stage(f"Importing {path.name}"):
                result = import_file(actor=COMMAND_LINE, kind=kind, path=path, source=source,
                                     skip_invalid=True, follow_up=False)
            batches.append(result.batch_id)
            self.stdout.write(f"{path.name}: {result.rows_new} new, {result.rows_rejected} rejected")
        with stage("Linking the register with agency records"):
            link_all(actor=COMMAND_LINE)
        with stage("Bringing the register up to today (school age reached or passed)"):
            joined = children_reach_school_age(actor=COMMAND_LINE)
            ceased = children_past_school_age(actor=COMMAND_LINE)
        self.stdout.write(f"{len(joined)} children reached compulsory school age and joined the "
                          f"register; {len(ceased)} records ceased past it")
        with stage("Allocating the children to the demo's officers"):
            allocation = demo_allocate(actor=COMMAND_LINE)
        with stage("Assessing every open record"):
            count = risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
        follow_ups_mark_done(batch_ids=[b for b in batches if b is not None])
        self.stdout.write(f"assessed {count} children")
        self.stdout.write(f"allocated {allocation.by_rule + allocation.shared} children "
                          f"({allocation.by_rule} by {len(allocation.rules)} district rules, "
                          f"{allocation.shared} shared out)")
        self.stdout.write(demo_officers_summary(actor=COMMAND_LINE))

