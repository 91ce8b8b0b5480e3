"""A register of 200,000 children in PostgreSQL for the search and assessment benchmarks, built
once as a template database and copied (CREATE DATABASE ... TEMPLATE) for each benchmark.

Built through the project's real paths: `notinschool synth --children 200000` (agency ratio 5:
about 1,000,000 agency rows), every intake file imported with import_file (follow_up=False, as
a bulk reload does), every agency file loaded with agency_file_load. Linking is the linkage
benchmark's subject, so the agency links are written from the generator's truth (each agency
record linked, automatically, to the register child it is about), which gives the assessment
the facts a perfect linkage would; then ANALYZE.

    python -m bench.register_data [--drop]   build the template (or drop it)
"""

import csv
import datetime as dt
import sys
from pathlib import Path
from uuid import UUID

from bench.pgtemp import Timer, admin_sql, analyze, bench_database, bench_tmp, database_exists, django_setup

AS_OF = dt.date(2026, 11, 2)
TEMPLATE = "notinschool_bench_register"
VIA_IMPORT = False  # True: build through import_file and agency_file_load (slow: see _fill_direct)
CHILDREN = 200_000
RATIO = 5.0
INTAKE_ORDER = ("roll-deletions", "parent-registrations", "referrals", "school-admissions",
                "contacts")


def synth_folder(children: int = CHILDREN, ratio: float = RATIO) -> Path:
    """`notinschool synth` output for `children` and agency `ratio`, generated once."""
    from django.core.management import call_command

    folder = bench_tmp(f"synth-{children}-{ratio:g}")
    if (folder / "truth.csv").exists() and (folder / "done").exists():
        return folder
    timer = Timer()
    call_command("synth", children=children, out=str(folder), agency_ratio=ratio,
                 stdout=_Quiet())
    (folder / "done").write_text("")
    print(f"  generated {children:,} children (agency ratio {ratio:g}) in {timer.seconds:.1f} s")
    return folder


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def ensure_template(children: int = CHILDREN) -> str:
    """The template database's name, building it first when it does not exist."""
    from notinschool.core import clock

    clock.set_as_of(AS_OF)
    django_setup()
    name = f"{TEMPLATE}_{children}"
    if database_exists(name):
        return name
    folder = synth_folder(children)
    print(f"building the register template {name} (once; `python -m bench.register_data --drop` "
          "removes it):")
    with bench_database(f"{name}_building", keep=True):
        _fill(folder) if VIA_IMPORT else _fill_direct(folder)
    admin_sql(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"')
    return name


def _fill_direct(folder: Path) -> None:
    """The register children of truth.json written straight in (COPY): name, birth date, sex,
    current address, the status they should have and the day they joined. No notifications,
    contacts or agency facts: importing all of those (the real path, `VIA_IMPORT`) took over
    8 minutes for the roll deletions alone on the shared 2-core machine."""
    timer = Timer()
    written = children_from_truth(folder / "truth.json", last_seen=True)
    print(f"  {written:,} children and their addresses written (COPY) from truth.json in "
          f"{timer.seconds:.1f} s")


def children_from_truth(truth: Path, *, limit: int | None = None, upn: bool = False,
                        last_seen: bool = False) -> int:
    """Writes the register children of a synth truth file (the first `limit`), each with its
    current address, and analyses the tables; with `upn` their UPNs, with `last_seen` the day
    they were last seen. Returns how many were written."""
    import json

    from notinschool.core.bulk import build, insert_many
    from notinschool.people.models import Address, Child
    from notinschool.people.names import fold

    children: list[Child] = []
    addresses: list[Address] = []
    with truth.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith('{"person_id"'):
                continue
            c = json.loads(line.rstrip().rstrip(","))
            joined = dt.date.fromisoformat(c["joined"])
            status = c["expected_status"] or "recorded"
            seen = c.get("last_seen_date") if last_seen else None
            child = build(Child, child_ref=f"C{len(children) + 1:07d}", forename=c["forename"],
                          middle_names=c["middle_names"] or "", surname=c["surname"],
                          sex=c["sex"] or "", upn=(c.get("upn") or "") if upn else "",
                          date_of_birth=dt.date.fromisoformat(c["date_of_birth"]),
                          postcode=c["postcode"], surname_key=fold(c["surname"]), status=status,
                          status_date=joined, ehe_reason="",
                          joined_register_date=joined if status != "recorded" else None,
                          last_seen_date=dt.date.fromisoformat(seen) if seen else None)
            children.append(child)
            addresses.append(build(Address, child=child, line_1=c["address_line_1"],
                                   postcode=c["postcode"], is_current=True))
            if limit is not None and len(children) >= limit:
                break
    insert_many(Child, children)
    insert_many(Address, addresses)
    analyze()
    return len(children)


def _fill(folder: Path) -> None:
    from notinschool.accounts.system import COMMAND_LINE
    from notinschool.workflow.imports import import_file

    total = Timer()
    for kind in INTAKE_ORDER:
        timer = Timer()
        result = import_file(actor=COMMAND_LINE, kind=kind, path=folder / f"{kind}.csv",
                             skip_invalid=True, follow_up=False)
        print(f"  import {kind}: {result.rows_total:,} rows in {timer.seconds:.1f} s")
    for path in sorted(folder.glob("agency-*.csv")):
        timer = Timer()
        result = import_file(actor=COMMAND_LINE, kind="agency", path=path,
                             source=path.stem.removeprefix("agency-"), skip_invalid=True,
                             follow_up=False)
        print(f"  import {path.name}: {result.rows_total:,} rows in {timer.seconds:.1f} s")
    timer = Timer()
    links = _links_from_truth(folder)
    print(f"  {links:,} agency links written from the truth in {timer.seconds:.1f} s")
    analyze()
    print(f"  register built in {total.seconds:.1f} s")


def _links_from_truth(folder: Path) -> int:
    """Link each agency record to the register child it is about (per truth.csv)."""
    from notinschool.core.bulk import insert_many
    from notinschool.intake.models import Notification
    from notinschool.intake.parsing import parse_file
    from notinschool.intake.workspace import row_hash
    from notinschool.linkage.models import AgencyPerson, PersonMatch

    person_of: dict[tuple[str, int], str] = {}
    with (folder / "truth.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            person_of[(row["file"], int(row["row"]))] = row["person_id"]
    child_of: dict[str, UUID] = {}
    hashes = dict(Notification.objects.exclude(child=None).values_list("row_hash", "child_id"))
    for kind in ("roll-deletions", "parent-registrations", "referrals", "school-admissions"):
        parsed = parse_file(kind, folder / f"{kind}.csv", kind)
        for parsed_row in parsed.rows:
            found = hashes.get(row_hash(kind, parsed_row.values))
            if found is not None:
                child_of.setdefault(person_of[(f"{kind}.csv", parsed_row.number)], found)
    people = {(p.source, p.record_id): p.pk for p in AgencyPerson.objects.only(
        "pk", "source", "record_id").iterator(chunk_size=50_000)}
    matches: dict[tuple[object, object], PersonMatch] = {}
    for path in sorted(folder.glob("agency-*.csv")):
        source = path.stem.removeprefix("agency-")
        with path.open(encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                child = child_of.get(person_of.get((path.name, number), ""))
                person = people.get((source, row["record_id"]))
                if child is not None and person is not None and (child, person) not in matches:
                    matches[(child, person)] = PersonMatch(
                        child_id=child, person_id=person, kind=PersonMatch.Kind.SAME_PERSON,
                        state=PersonMatch.State.AUTOMATIC, probability=1.0, basis="truth",
                        evidence=["benchmark: from the generator's truth"])
    insert_many(PersonMatch, list(matches.values()))
    return len(matches)


def main(argv: list[str]) -> int:
    django_setup()
    if "--drop" in argv:
        admin_sql(f'DROP DATABASE IF EXISTS "{TEMPLATE}_{CHILDREN}" WITH (FORCE)')
        print(f"dropped {TEMPLATE}_{CHILDREN}")
        return 0
    print(ensure_template())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
