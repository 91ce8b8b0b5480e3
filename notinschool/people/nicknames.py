"""English forenames and their usual short forms. A forename matches another when both are in
one group, or one is the start of the other (Alex, Alexander).

The groups are the project's UK nickname table (linkage/engine/nicknames.csv, which the
cross-referencing engine uses too) plus the few spelling families below."""

import csv
from functools import cache
from pathlib import Path

NICKNAME_TABLE = Path(__file__).resolve().parents[1] / "linkage" / "engine" / "nicknames.csv"

_GROUPS = """
alexander alex alec sandy sasha xander|alexandra alex lexi sasha sandra|william will bill billy liam
elizabeth liz lizzie beth betty eliza libby|katherine catherine kate katie kathryn cathy kat
margaret maggie meg peggy|robert rob bob bobby robbie bert|richard rich rick ricky dick
james jim jimmy jamie|john jack johnny jon|jonathan jon jonny|michael mike mikey mick
thomas tom tommy|edward ed eddie ted teddy ned|charles charlie chas chuck|charlotte charlie lottie
henry harry hal|harriet hattie|joseph joe joey|josephine josie jo|samuel sam sammy|samantha sam
daniel dan danny|benjamin ben benny|matthew matt matty|nicholas nick nicky|christopher chris kit
christina chris tina chrissy|christine chris tina|anthony tony ant|andrew andy drew|david dave davy
stephen steve stevie|steven steve stevie|patrick pat paddy|peter pete|philip phil|timothy tim
jennifer jen jenny|jessica jess jessie|rebecca becky becca|victoria vicky tori|susan sue susie
abigail abi abby gabby|isabella bella izzy isabel|isabelle bella izzy|olivia liv livvy
emily em emmy|emma em|amelia millie amy|mohammed muhammad mohammad mohamed mo|ahmed ahmad
oliver ollie olly|frederick fred freddie|theodore theo ted|nathaniel nat nate|nathan nate
zachary zach zak|gabriel gabe|sebastian seb|maximilian max|maxwell max|leonard leo len lenny
eleanor ellie nell nora|helen nell|gabriella gabby ella|daniela dani|anastasia ana stacey
"""


@cache
def _groups() -> dict[str, frozenset[int]]:
    groups = [group.split() for group in _GROUPS.replace("\n", "|").split("|")]
    formal: dict[str, list[str]] = {}
    with NICKNAME_TABLE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            formal.setdefault(row["formal"].strip(), []).append(row["name"].strip())
    groups += [[name, *nicks] for name, nicks in formal.items()]
    index: dict[str, set[int]] = {}
    for number, group in enumerate(groups):
        for name in group:
            index.setdefault(name, set()).add(number)
    return {name: frozenset(groups) for name, groups in index.items()}


def same_forename(a: str, b: str) -> bool:
    """`a` and `b` are folded forenames (lower case, letters only)."""
    if a == b:
        return True
    groups = _groups()
    if groups.get(a, frozenset()) & groups.get(b, frozenset()):
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 3 and long_.startswith(short)
