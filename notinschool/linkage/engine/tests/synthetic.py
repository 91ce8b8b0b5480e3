"""Synthetic register and agency files with known truth, for tests and the benchmark.

Invented people only. Children live in households (siblings share surname, address and
parents; about 3% of children are twins). The register holds some children; the agency file
holds some of the same children (with up to two realistic differences each) plus many others.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from notinschool.linkage.engine import PERSON_COLUMNS
from notinschool.linkage.engine.prepare import nickname_pairs

BOYS = (
    "Oliver George Noah Arthur Leo Harry Oscar Archie Jack Henry Charlie Freddie Theo Thomas "
    "Alfie Jacob William Alexander James Joshua Samuel Benjamin Daniel Joseph Edward Frederick "
    "Matthew Christopher Lewis Ethan Riley Mason Dylan Kai Reuben Toby Max Harrison Luke Callum "
    "Jamie Connor Kieran Owen Tyler Nathan Zachary Alfred Stanley Muhammad Ibrahim Yusuf Omar "
    "Adam Ali Hamza Ayaan Isaac Sebastian Elijah Albert Louis Hugo Rory Finley Ronnie Tommy "
    "Jude Teddy Ezra Carter Hunter Jaxon Jesse Michael David Robert Patrick Aaron Liam Ryan "
    "Jayden Aiden Kyle Bradley Declan Sean Rhys Gabriel Felix Jasper Ellis Caleb Jakub Filip"
).split()
GIRLS = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Florence Willow Poppy "
    "Evie Ella Emily Charlotte Harper Daisy Phoebe Sienna Rosie Ruby Matilda Elsie Millie "
    "Jessica Katherine Elizabeth Abigail Eleanor Rebecca Hannah Lucy Chloe Megan Holly Amy "
    "Zoe Bethany Lauren Summer Scarlett Imogen Alice Maisie Harriet Esme Aisha Fatima Maryam "
    "Zainab Hafsa Amira Layla Sofia Aria Luna Mila Margot Thea Violet Penelope Nancy Hallie "
    "Eliza Maya Orla Niamh Aoife Ciara Molly Erin Caitlin Natalie Samantha Victoria Jennifer "
    "Sarah Laura Rachel Emma Kayla Jasmine Leah Paige Courtney Shannon Zuzanna Julia Hanna"
).split()
COMMON_SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Hill Moore "
    "Cooper Harris Ward Martin King Lee Baker Harrison Morris Clark James Morgan Allen "
    "Mitchell Young Scott Phillips Watson Shaw Parker Bennett Cook Bell Marshall Lloyd Kelly "
    "Price Barnes Fisher Holmes Atkinson Pearson Dixon Hunt Mason Chapman Ellis Foster Webb "
    "Rogers Gray Palmer Stevens Lawrence Butler Saunders Simpson Fletcher Dawson Bradley "
    "Khan Ahmed Hussain Ali Shah Begum Akhtar Iqbal Patel Singh Kaur Sharma Murphy Kennedy "
    "Doyle Byrne Nowak Kowalski Wisniewski Okafor Mensah Adeyemi Osei Nguyen Chen Wang"
).split()
_SYLLABLES = (
    "ash ber bram brook burn by cal car chester col dal den don ell far field ford gar "
    "ham har hart hay hol hurst ing ken ley lin low mar mere mill mor ney nor pen ridge "
    "rock ross shaw stan ster ton vale war well wick win worth"
).split()
STREETS = (
    "High Street|Church Road|Station Road|Mill Lane|Park Avenue|Victoria Road|Green Lane|"
    "Manor Road|Kings Road|Queens Road|New Road|School Lane|The Crescent|Grove Road|"
    "Springfield Road|Albert Street|Chapel Street|North Road|Cardigan Road|Oak Close"
).split("|")
AREAS = ("LS", "BD", "HX", "HD", "WF", "M", "OL", "SK", "S", "YO", "HG", "DN")


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    """Cumulative Zipf weights (for ``random.choices(cum_weights=...)``)."""
    total, out = 0.0, []
    for i in range(n):
        total += 1.0 / (i + 1) ** s
        out.append(total)
    return out


@dataclass
class Person:
    forename: str
    middle_names: str | None
    surname: str
    sex: str
    dob: dt.date
    postcode: str
    address_line_1: str
    nhs_number: str
    upn: str
    parent1_name: str | None
    parent2_name: str | None


@dataclass
class Synthetic:
    register: pa.Table
    agency: pa.Table
    truth: set[tuple[str, str]]
    """(register id, agency id) pairs that are the same person."""


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # Name frequencies roughly as in England: the commonest forename about 3% of a sex,
        # the commonest surname about 1.4%.
        tail = [a.capitalize() + b for a in _SYLLABLES for b in _SYLLABLES if a != b]
        tail += [a.capitalize() + b + c for a in _SYLLABLES[:12] for b in _SYLLABLES[12:30]
                 for c in _SYLLABLES[30:]]  # fmt: skip
        self.rng.shuffle(tail)
        self.surnames = COMMON_SURNAMES + tail[:5000]
        self.surname_w = _zipf_weights(len(self.surnames), 0.6)
        nicknames: dict[str, list[str]] = {}
        for formal, name in nickname_pairs():
            nicknames.setdefault(formal, []).append(name)
        self.nicknames = nicknames
        extra = sorted({n.capitalize() for pair in nickname_pairs() for n in pair
                        if len(n) > 2} - set(BOYS) - set(GIRLS))  # fmt: skip
        self.rng.shuffle(extra)
        half = len(extra) // 2
        self.boys = BOYS + extra[:half]
        self.girls = GIRLS + extra[half:]
        self.boys_w = _zipf_weights(len(self.boys), 0.6)
        self.girls_w = _zipf_weights(len(self.girls), 0.6)
        self.next_nhs = 4000000000

    def forename(self, sex: str) -> str:
        names, weights = (self.boys, self.boys_w) if sex == "M" else (self.girls, self.girls_w)
        return self.rng.choices(names, cum_weights=weights)[0]

    def postcode(self) -> str:
        r = self.rng
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return (f"{r.choice(AREAS)}{r.randint(1, 30)} {r.randint(0, 9)}"
                f"{r.choice(letters)}{r.choice(letters)}")  # fmt: skip

    def households(self, n_children: int) -> list[Person]:
        r = self.rng
        people: list[Person] = []
        while len(people) < n_children:
            surname = r.choices(self.surnames, cum_weights=self.surname_w)[0]
            postcode = self.postcode()
            line = f"{r.randint(1, 200)} {r.choice(STREETS)}"
            mother = f"{self.forename('F')} {surname}"
            father = f"{self.forename('M')} {surname}" if r.random() < 0.6 else None
            kids = r.choices((1, 2, 3, 4), (45, 35, 15, 5))[0]
            used: set[str] = set()
            base = dt.date(2008, 9, 1) + dt.timedelta(days=r.randrange(16 * 365))
            for k in range(kids):
                sex = r.choice("FM")
                twin = k > 0 and r.random() < 0.03
                dob = people[-1].dob if twin else base + dt.timedelta(days=k * r.randint(300, 1200))
                if twin:
                    sex = r.choice("FM")
                fn = self.forename(sex)
                while fn in used:
                    fn = self.forename(sex)
                used.add(fn)
                middle = self.forename(sex) if r.random() < 0.5 else None
                while middle is not None and middle in used:
                    middle = self.forename(sex)
                if middle is not None:
                    used.add(middle)
                self.next_nhs += r.randint(1, 50)
                people.append(Person(
                    forename=fn,
                    middle_names=middle,
                    surname=surname, sex=sex, dob=dob, postcode=postcode, address_line_1=line,
                    nhs_number=str(self.next_nhs), upn=f"A{self.next_nhs:012d}"[:13],
                    parent1_name=mother, parent2_name=father,
                ))  # fmt: skip
        return people[:n_children]

    # --- differences a partner agency's record may have -------------------------------
    def _typo(self, s: str) -> str:
        r = self.rng
        if len(s) < 4:
            return s
        i = r.randrange(1, len(s) - 1)
        op = r.choice(("sub", "del", "swap", "dup"))
        if op == "sub":
            return s[:i] + r.choice("aeiounrstl") + s[i + 1 :]
        if op == "del":
            return s[:i] + s[i + 1 :]
        if op == "swap":
            return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        return s[:i] + s[i] + s[i:]

    def vary(self, p: Person, n_changes: int) -> dict[str, object]:
        r = self.rng
        rec: dict[str, object] = {
            "forename": p.forename, "middle_names": p.middle_names, "surname": p.surname,
            "sex": p.sex, "date_of_birth": p.dob, "postcode": p.postcode,
            "address_line_1": p.address_line_1, "nhs_number": None, "upn": None,
            "parent1_name": p.parent1_name, "parent2_name": p.parent2_name,
        }  # fmt: skip
        kinds = ["nickname", "typo_fn", "typo_sn", "hyphen", "swap_fn_sn", "swap_fn_mn",
                 "dm_swap", "dob_digit", "year", "moved", "moved", "moved"]  # fmt: skip
        for kind in r.sample(kinds, n_changes):
            dob = rec["date_of_birth"]
            assert isinstance(dob, dt.date)
            if kind == "nickname":
                options = self.nicknames.get(str(rec["forename"]).lower())
                if options:
                    rec["forename"] = r.choice(options).capitalize()
            elif kind == "typo_fn":
                rec["forename"] = self._typo(str(rec["forename"]))
            elif kind == "typo_sn":
                rec["surname"] = self._typo(str(rec["surname"]))
            elif kind == "hyphen":
                other = r.choices(self.surnames, cum_weights=self.surname_w)[0]
                rec["surname"] = f"{rec['surname']}-{other}"
            elif kind == "swap_fn_sn":
                rec["forename"], rec["surname"] = rec["surname"], rec["forename"]
            elif kind == "swap_fn_mn" and rec["middle_names"]:
                rec["forename"], rec["middle_names"] = rec["middle_names"], rec["forename"]
            elif kind == "dm_swap" and dob.day <= 12 and dob.day != dob.month:
                rec["date_of_birth"] = dob.replace(month=dob.day, day=dob.month)
            elif kind == "dob_digit":
                text = dob.strftime("%Y%m%d")
                for _ in range(10):
                    i = r.choice((3, 5, 6, 7))
                    new = text[:i] + str(r.randint(0, 9)) + text[i + 1 :]
                    try:
                        cand = dt.datetime.strptime(new, "%Y%m%d").date()
                    except ValueError:
                        continue
                    if cand != dob:
                        rec["date_of_birth"] = cand
                        break
            elif kind == "year":
                with contextlib.suppress(ValueError):
                    rec["date_of_birth"] = dob.replace(year=dob.year + r.choice((-1, 1)))
            elif kind == "moved":
                rec["postcode"] = self.postcode()
                rec["address_line_1"] = f"{r.randint(1, 200)} {r.choice(STREETS)}"
        if r.random() < 0.15:
            rec["middle_names"] = None
        if r.random() < 0.05:
            rec["sex"] = None
        return rec


def _table(rows: Sequence[Mapping[str, object]]) -> pa.Table:
    cols: dict[str, list[object]] = {c: [row.get(c) for row in rows] for c in PERSON_COLUMNS}
    arrays = {
        c: pa.array(v, pa.date32() if c == "date_of_birth" else pa.string())
        for c, v in cols.items()
    }
    return pa.table(arrays)


def generate(
    n_register: int,
    n_agency: int,
    *,
    seed: int = 7,
    overlap: float = 0.5,
    max_changes: int = 2,
    nhs_share: float = 0.2,
) -> Synthetic:
    """A register of ``n_register`` children and an agency file of ``n_agency`` people.

    ``overlap`` of the register children also appear in the agency file (each with 0 to
    ``max_changes`` differences); the rest of the agency file is other children, many of
    them siblings of register children. ``nhs_share`` of agency records carry the NHS number,
    as do the same share of register records.
    """
    g = _Generator(seed)
    r = g.rng
    population = g.households(n_register + n_agency)
    reg_idx = r.sample(range(len(population)), n_register)
    reg_set = set(reg_idx)
    register_rows = []
    for k, i in enumerate(reg_idx):
        p = population[i]
        register_rows.append({
            "id": f"R{k}", "forename": p.forename, "middle_names": p.middle_names,
            "surname": p.surname, "sex": p.sex, "date_of_birth": p.dob,
            "postcode": p.postcode, "address_line_1": p.address_line_1,
            "nhs_number": p.nhs_number if r.random() < nhs_share else None,
            "upn": p.upn if r.random() < 0.3 else None,
            "parent1_name": p.parent1_name, "parent2_name": p.parent2_name,
        })  # fmt: skip
    truth: set[tuple[str, str]] = set()
    agency_rows: list[dict[str, object]] = []
    linked = [(k, i) for k, i in enumerate(reg_idx) if r.random() < overlap]
    for k, i in linked:
        if len(agency_rows) >= n_agency:
            break
        rec = g.vary(population[i], r.randint(0, max_changes))
        if r.random() < nhs_share:
            rec["nhs_number"] = population[i].nhs_number
        rec["id"] = f"A{len(agency_rows)}"
        agency_rows.append(rec)
        truth.add((f"R{k}", str(rec["id"])))
    others = [i for i in range(len(population)) if i not in reg_set]
    r.shuffle(others)
    for i in others[: n_agency - len(agency_rows)]:
        rec = g.vary(population[i], r.randint(0, max_changes))
        if r.random() < nhs_share:
            rec["nhs_number"] = population[i].nhs_number
        rec["id"] = f"A{len(agency_rows)}"
        agency_rows.append(rec)
    r.shuffle(agency_rows)
    return Synthetic(register=_table(register_rows), agency=_table(agency_rows), truth=truth)
