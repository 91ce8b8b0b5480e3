import contextlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core.progress import stage
from notinschool.linkage.linking import LinkPeople, register_table
from notinschool.linkage.services import link_all
from notinschool.linkage.training import model_train
from notinschool.workflow.linking import assess_after_linking


class Command(BaseCommand):
    help = ("Cross-reference the register with every agency record, then assess the children "
            "whose links changed, their households, and any open record not assessed today. "
            "--engine spark scores the people on Spark (docs/spark.md); the results are stored "
            "as on DuckDB. --train first trains the matching model on the whole register and "
            "every agency record and stores it for every linking run after (docs/operations.md).")
    # batch work run by a schedule or a person: Django's system checks (they import every
    # page's module to check the URLs: 2 s of CPU here) are `notinschool check`'s and the
    # web server's, not each batch's
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", action="store_true",
                            help="before linking, train the matching model on the whole "
                                 "register and every agency record (10,000 of each at least, "
                                 "NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS) and store it: this "
                                 "run and every linking run after use it")
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                            help="what scores the pairs of people: DuckDB in this process (the "
                                 "default) or Spark")
        parser.add_argument("--spark-master", metavar="URL",
                            help="with --engine spark: the master (spark://host:7077, yarn, "
                                 "local[4]); by default the one spark-submit or "
                                 "spark-defaults.conf names, else local[2]")
        parser.add_argument("--spark-dir", metavar="PATH", type=Path,
                            help="with --engine spark: a folder for the prepared people that "
                                 "every executor reads at the same path (a cluster needs one; "
                                 "by default a temporary folder here)")

    def handle(self, *args: Any, **options: Any) -> None:
        spark = options["engine"] == "spark"
        if not spark and (options["spark_master"] or options["spark_dir"]):
            sys.stderr.write("link: --spark-master and --spark-dir go with --engine spark\n")
            sys.exit(2)
        with contextlib.ExitStack() as stack:
            link_people: LinkPeople | None = None
            where = ""
            if spark:
                link_people, where = self._spark(stack, options["spark_master"], options["spark_dir"])
            register = None
            if options["train"]:
                with stage("Training the matching model"):
                    register = register_table(None)  # read once, for training and linking
                    training = model_train(actor=COMMAND_LINE, register=register)
                self.stdout.write(training.words)
            with stage(f"Linking the register with agency records{where}"):
                changed = link_all(actor=COMMAND_LINE, link_people=link_people, register=register)
        with stage("Assessing"):  # what linking changed, and any record not assessed today
            assess_after_linking(actor=COMMAND_LINE, changed=changed)
        self.stdout.write(f"links changed for {len(changed)} children")

    def _spark(self, stack: contextlib.ExitStack, master: str | None,
               workdir: Path | None) -> tuple[LinkPeople, str]:
        from notinschool.linkage.engine.spark import SparkUnavailable, spark_link_people

        try:
            with stage("Starting Spark"):
                link_people = stack.enter_context(spark_link_people(master, workdir=workdir))
        except SparkUnavailable as error:
            sys.stderr.write(f"link: {error}: nothing was linked\n")
            sys.exit(1)
        used = link_people.keywords["spark"].sparkContext.master
        return link_people, f" on Spark ({used})"
