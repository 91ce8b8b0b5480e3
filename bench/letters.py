"""The month's letters at scale: `notinschool letters due --month YYYY-MM -o FILE` for 1,000
children due a contact that month, in a throw-away PostgreSQL database.

    python -m bench letters [-- --children 1000 --first-share 1.0 --workers 0]

Builds the children (each with a current address, a parent living with them and a latest
assessment whose next contact falls in January 2027); a share of them (`--first-share`, default
all: the worst case, three pages each) never had a letter and get the first letter with the
child's page and the health services page, the rest the one-page review letter. Then runs the
real command once and prints the letters per second, the total time, process CPU (this process
and its layout workers), pages, file size and peak memory. Target: 1,000 letters in under 2
minutes on 2 cores."""

import argparse
import datetime as dt
import resource
import uuid

from bench.pgtemp import Timer, bench_database, bench_tmp, cpu_seconds, db_cpu_seconds, peak_rss_mb

MONTH = "2027-01"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_register(children: int, first_share: float) -> None:
    """`children` open children due a contact in MONTH; all but `first_share` of them already had
    their first letter (a letter row with an empty PDF, as a past month's run left it)."""
    from notinschool.letters.models import Letter, LetterKind, LetterTemplate
    from notinschool.people.models import Address, Child, ChildParent, Parent, Status
    from notinschool.risk.models import Assessment

    kids = [Child(child_ref=f"B{n:07d}", forename=f"Child{n}", surname=f"Family{n % 97}",
                  status=Status.EHE, date_of_birth=dt.date(2015, 1, 1) + dt.timedelta(days=n % 2000),
                  postcode=f"LS{n % 9 + 1} {n % 9 + 1}AB") for n in range(children)]
    Child.objects.bulk_create(kids, batch_size=1000)
    Address.objects.bulk_create([Address(child=k, line_1=f"{n + 1} Example Street", town="Leeds",
                                         postcode=k.postcode, is_current=True)
                                 for n, k in enumerate(kids)], batch_size=1000)
    parents = Parent.objects.bulk_create([Parent(name=f"Parent {k.surname}") for k in kids], batch_size=1000)
    ChildParent.objects.bulk_create(
        [ChildParent(child=k, parent=p) for k, p in zip(kids, parents, strict=True)], batch_size=1000)
    Assessment.objects.bulk_create([
        Assessment(child=k, as_of=dt.date(2026, 12, 1), rule_version="bench", tier=4, computed_tier=4,
                   review_interval_months=12, next_contact_due=dt.date(2027, 1, 1 + n % 28))
        for n, k in enumerate(kids)], batch_size=1000)
    first = LetterTemplate.objects.get(kind=LetterKind.FIRST_CONTACT)
    version = first.versions.get(number=first.version)
    had = kids[int(children * first_share):]
    Letter.objects.bulk_create([
        Letter(id=uuid.uuid4(), child=k, template=first, template_version=version, kind=first.kind,
               subject="Your child's education at home", addressed_to="x", sent_on=dt.date(2026, 1, 5),
               pdf=b"") for k in had], batch_size=1000)


def run(children: int, first_share: float, workers: int) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    from django.conf import settings
    from django.core.management import call_command

    from notinschool.letters.models import Letter

    settings.NOTINSCHOOL_LETTER_WORKERS = workers
    make_register(children, first_share)
    out = bench_tmp("letters") / f"letters-{MONTH}.pdf"
    cpu, children_cpu, db_cpu, timer = cpu_seconds(), _children_cpu(), db_cpu_seconds(), Timer()
    call_command("letters", "due", "--month", MONTH, "-o", str(out))
    seconds = timer.seconds
    cpu, children_cpu, db_cpu = cpu_seconds() - cpu, _children_cpu() - children_cpu, db_cpu_seconds() - db_cpu
    sent = Letter.objects.filter(sent_on__gt=dt.date(2026, 1, 5)).count()
    pages = len(pdfium.PdfDocument(str(out)))
    print(f"letters: {sent} in {seconds:.1f} s = {sent / seconds:.1f} letters/s "
          f"({pages} pages, {out.stat().st_size / 1e6:.1f} MB; workers {workers or 'one a core'})")
    total = cpu + children_cpu + db_cpu
    print(f"  CPU: this process {cpu:.1f} s, layout workers {children_cpu:.1f} s, database server "
          f"{db_cpu:.1f} s; all {total:.1f} s = {total / 2:.1f} s on 2 idle cores; "
          f"peak RSS {peak_rss_mb():.0f} MB (this process)")
    print(f"  1,000 letters at this rate: {1000 * seconds / sent:.1f} s (target < 120 s)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench letters", description=__doc__)
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--first-share", type=float, default=1.0,
                        help="share of children sent the first letter (3 pages); the rest, the review letter")
    parser.add_argument("--workers", type=int, default=0, help="layout processes (0: one a core)")
    args = parser.parse_args(argv)
    with bench_database("notinschool_bench_letters"):
        run(args.children, args.first_share, args.workers)
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
