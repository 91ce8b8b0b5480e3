"""The fictional authority: Wyvern Vale, its postcode districts, streets and schools.

Postcodes use a real area's format (`WV10 4QD`) spread over ten outcodes; streets, towns and
schools are invented. Every household gets an address of its own: `AddressBook` hands out
street and house number pairs through a fixed permutation, so no two households share one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

COUNCIL = "Wyvern Vale Metropolitan Borough Council"

# outcode -> (town, localities used as address_line_2)
OUTCODES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("WV1", "Wyvern", ("Town Centre", "Canal Side")),
    ("WV2", "Wyvern", ("Blakeley", "Parkfields")),
    ("WV3", "Wyvern", ("Westhorpe", "Finchfield Green")),
    ("WV4", "Wyvern", ("Pennock", "Lower Ashmore")),
    ("WV6", "Wyvern", ("Tettenley", "Oakridge")),
    ("WV10", "Ashcombe", ("Bushbury Cross", "Fallings Heath")),
    ("WV11", "Kelbrook", ("Wednell", "Ashmore Park")),
    ("WV12", "Netherby", ("Willenfield", "Short Heath")),
    ("WV13", "Hollins Cross", ("Moseley Bank", "Portobello")),
    ("WV14", "Stanbridge", ("Coseley Vale", "Ettingley")),
)
# Outside the authority: where families move away to.
OUTSIDE: tuple[tuple[str, str], ...] = (
    ("B23", "Birmingham"),
    ("DY4", "Tipton"),
    ("ST17", "Stafford"),
    ("LS6", "Leeds"),
    ("M14", "Manchester"),
    ("BS5", "Bristol"),
)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

_STREET_BASES = (
    "Mill Oak Church Station Park Victoria Albert Queen King Chapel School Green Meadow "
    "Willow Elm Ash Beech Birch Cedar Hawthorn Holly Ivy Laurel Maple Rowan Sycamore Poplar "
    "Hazel Heather Primrose Bluebell Foxglove Orchard Brook Canal Wharf Bridge Forge Furnace "
    "Foundry Colliery Pit Lock Tanner Weaver Cooper Mason Ashmore Blakeley Finch Wren Lark "
    "Swallow Kestrel Heron Badger Fox Hare Stag Windmill Tower Castle Abbey Priory Rectory "
    "Vicarage Grange Manor Hall Lodge Farm Field Common Heath Moor Hill Ridge Vale Dale Bank "
    "Hollow Spring Well Pool Lake Marsh Ford Cross Market High Low North South East West New "
    "Old Cherry Plum Apple Pear Lime Alder Hornbeam Chestnut Walnut Juniper Yew Larch Pine "
    "Thorn Bramble Clover Daisy Fern Moss Stone Flint Slate Granite Copper Iron Silver Gold "
    "Nelson Wellington Gladstone Disraeli Peel Cromwell Stafford Dudley Tipton Bilston Darlaston"
).split()
_STREET_TYPES = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Drive",
    "Way",
    "Grove",
    "Crescent",
    "Place",
    "Gardens",
    "Terrace",
)
STREETS: tuple[str, ...] = tuple(f"{b} {t}" for t in _STREET_TYPES for b in _STREET_BASES)


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    line2: str
    town: str
    postcode: str


def _inward(street: int, unit: int) -> str:
    h = (street * 7919 + unit * 104729 + 17) % (10 * 400)
    letters = INWARD_LETTERS
    return f"{h % 10}{letters[(h // 10) % 20]}{letters[(h // 200) % 20]}"


class AddressBook:
    """Unique addresses in the authority, in a scrambled but fixed order."""

    def __init__(self, expected: int, offset: int = 0) -> None:
        self.streets = len(STREETS)
        self.per_street = max(40, math.ceil(expected * 1.1 / self.streets))
        self.capacity = self.streets * self.per_street
        mult = 1_000_003
        while math.gcd(mult, self.capacity) != 1:
            mult += 2
        self.mult = mult
        self.offset = offset % self.capacity
        self.issued = 0
        self._postcodes: dict[tuple[int, int], str] = {}

    def next(self) -> Address:
        k = self.issued
        self.issued += 1
        if k < self.capacity:
            k = (k * self.mult + self.offset) % self.capacity
        street, number = k % self.streets, k // self.streets + 1
        name, outcode, town, line2 = _STREET_INFO[street]
        unit = (street, number // 14)
        postcode = self._postcodes.get(unit)
        if postcode is None:
            postcode = self._postcodes[unit] = f"{outcode} {_inward(street, number // 14)}"
        return Address(f"{number} {name}", line2, town, postcode)

    def outside(self) -> Address:
        """An address outside the authority (a family moving away)."""
        k = self.issued
        self.issued += 1
        outcode, town = OUTSIDE[k % len(OUTSIDE)]
        street = (k * 31) % self.streets
        number = (k // 7) % 180 + 1
        return Address(f"{number} {STREETS[street]}", "", town, f"{outcode} {_inward(k, 3)}")


def _street_info(street: int) -> tuple[str, str, str, str]:
    outcode, town, localities = OUTCODES[street % len(OUTCODES)]
    line2 = localities[(street // len(OUTCODES)) % 2] if street % 3 == 0 else ""
    return STREETS[street], outcode, town, line2


_STREET_INFO = [_street_info(i) for i in range(len(STREETS))]


@dataclass(frozen=True, slots=True)
class School:
    urn: str
    name: str
    school_type: str  # mainstream, special, alternative_provision, independent
    phase: str  # primary, secondary, all


def _schools() -> tuple[School, ...]:
    out: list[School] = []
    urn = 990101
    primaries = (
        "St Mary's Catholic Primary School, Wyvern",
        "Blakeley Green Primary School",
        "Westhorpe Primary Academy",
        "Pennock Church of England Primary School",
        "Oakridge Infant and Junior School",
        "Ashcombe Primary School",
        "Fallings Heath Primary Academy",
        "Kelbrook Primary School",
        "Ashmore Park Nursery and Primary School",
        "Netherby Church of England Primary School",
        "Short Heath Junior School",
        "Hollins Cross Primary School",
        "Moseley Bank Primary Academy",
        "Stanbridge Primary School",
        "Coseley Vale Primary School",
        "Canal Side Primary School",
        "St Bartholomew's Church of England Primary School",
        "Al-Noor Primary School",
    )
    secondaries = (
        "Wyvern High School",
        "Kelbrook Academy",
        "Netherby School",
        "St Aidan's Catholic College",
        "Ashcombe Park Academy",
        "Hollins Cross School and Sixth Form",
        "Stanbridge Community College",
        "Westhorpe Grammar School",
    )
    for name in primaries:
        out.append(School(str(urn), name, "mainstream", "primary"))
        urn += 7
    for name in secondaries:
        out.append(School(str(urn), name, "mainstream", "secondary"))
        urn += 7
    others = (
        ("Beechwood School", "special", "all"),
        ("Rowan Bank School", "special", "all"),
        ("The Orchard Centre", "alternative_provision", "secondary"),
        ("Canal Side Pupil Referral Unit", "alternative_provision", "all"),
        ("Wyvern Vale Independent School", "independent", "all"),
        ("Priory Hall Preparatory School", "independent", "primary"),
    )
    for name, kind, phase in others:
        out.append(School(str(urn), name, kind, phase))
        urn += 7
    return tuple(out)


SCHOOLS: tuple[School, ...] = _schools()
PRIMARY = tuple(s for s in SCHOOLS if s.school_type == "mainstream" and s.phase == "primary")
SECONDARY = tuple(s for s in SCHOOLS if s.school_type == "mainstream" and s.phase == "secondary")
SPECIAL = tuple(s for s in SCHOOLS if s.school_type == "special")
OTHER_TYPES = tuple(s for s in SCHOOLS if s.school_type in ("alternative_provision", "independent"))
# Schools in other authorities, as destinations of leavers.
ELSEWHERE: tuple[School, ...] = (
    School("995012", "Tipton Green Academy", "mainstream", "all"),
    School("995019", "Stafford Road Primary School", "mainstream", "primary"),
    School("995026", "Leeds West Academy", "mainstream", "secondary"),
    School("995033", "Rusholme Park School", "mainstream", "all"),
    School("995040", "Easton Primary School", "mainstream", "primary"),
)
