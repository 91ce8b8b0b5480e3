"""The `agency` intake kind (data contract): records from a partner agency (social care,
health, police...), kept as facts about agency people and linked to register children without
a shared identifier. Large files are checked column-wise."""

from notinschool.intake import columns as c
from notinschool.intake.kinds import IntakeKind, intake_kind_register
from notinschool.intake.parsing import parse_agency_columnar
from notinschool.linkage.services import agency_file_load

AGENCY = intake_kind_register(IntakeKind(
    slug="agency", label="Agency records", columns=c.AGENCY, load=agency_file_load,
    parse=parse_agency_columnar, partners=True))
