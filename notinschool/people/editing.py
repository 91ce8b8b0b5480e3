"""Changing a child's record by hand, field by field (docs/product.md, 1): the details section
436C asks for (eligibility, hours, ethnicity, special needs, the do-not-disclose marker),
addresses, parents and providers.

Every service checks `EDIT_REGISTER`, validates (a `FieldProblem` names the field), and in one
transaction writes the change, a `FieldChange` row per changed field with the value before,
and an audit event (`people.edit_save.EditSave`). Each takes what its user saw (`Seen`: the
child's `version` and the edited values as loaded); a save over a change made meanwhile raises
`EditConflict`, which lists who changed what, and writes nothing."""

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.people.edit_save import (
    ADDRESS_FIELDS,
    DETAIL_FIELDS,
    LINK_FIELDS,
    PARENT_FIELDS,
    PROVIDER_FIELDS,
    EditSave,
    FieldProblem,
    Seen,
    address_seen,
    as_text,
    snapshot,
)
from notinschool.people.models import (
    ETHNICITY_CODES,
    SEN_CODES,
    Address,
    Child,
    ChildParent,
    EligibilityBasis,
    Parent,
    Provider,
)
from notinschool.people.names import postcode_key

MAX_HOURS = Decimal(168)
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


# -- validation helpers --------------------------------------------------------------------------
def _hours(name: str, value: Decimal | None) -> Decimal | None:
    if value is not None and not Decimal(0) <= value <= MAX_HOURS:
        raise FieldProblem(name, "Hours a week must be between 0 and 168")
    return value


def _postcode(name: str, value: str, *, required: bool) -> str:
    key = postcode_key(value)
    if not key:
        if required:
            raise FieldProblem(name, "Enter a postcode")
        return ""
    if not _POSTCODE.match(key):
        raise FieldProblem(name, "Enter a real postcode, like LS6 1AA")
    return f"{key[:-3]} {key[-3:]}"


def _required(name: str, value: str, message: str) -> str:
    if not value.strip():
        raise FieldProblem(name, message)
    return value.strip()


def _not_future(name: str, day: dt.date | None, what: str) -> None:
    if day is not None and day > clock.today():
        raise FieldProblem(name, f"The date the child {what} must be today or in the past")


# -- the child's details -------------------------------------------------------------------------
def child_details_update(*, actor: Actor, child: Child, seen: Seen, changes: Mapping[str, Any],
                         reason: str = "") -> int:
    """Change some of the child's details (`DETAIL_FIELDS`); returns how many fields changed.
    Setting or removing the do-not-disclose marker needs a reason, kept in the history and the
    audit event (the family's safety turns on it: someone must be able to say why)."""
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(f"these are not details of the child: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        save = EditSave(actor, child, seen, lambda fresh: snapshot(fresh, changes), reason)
        values = _details_valid(save.child, dict(changes))
        changed = save.apply(save.child, values, "child")
        if "do_not_disclose_address" in changed and not save.reason:
            raise FieldProblem("reason", "Enter why the address must be withheld"
                               if save.child.do_not_disclose_address
                               else "Enter why the address need no longer be withheld")
        if changed:
            save.child.modified_by = actor_user(actor)
            save.child.save(update_fields=[*changed, "modified_at", "modified_by"])
        marker = {"address_marker": "set" if save.child.do_not_disclose_address else "removed"} \
            if "do_not_disclose_address" in changed else {}
        count = save.finish("child", [save.child.pk], **marker)
    child.refresh_from_db()
    return count


def _details_valid(child: Child, values: dict[str, Any]) -> dict[str, Any]:
    if values.get("eligibility_basis", "") not in ("", *EligibilityBasis.values):
        raise FieldProblem("eligibility_basis", "Select why the child is eligible for the register")
    ethnicity = values.get("ethnicity", "")
    if ethnicity and ethnicity not in ETHNICITY_CODES and ethnicity != child.ethnicity:
        raise FieldProblem("ethnicity", "Select an ethnicity from the list")
    if values.get("sen_provision", "") not in ("", *SEN_CODES):
        raise FieldProblem("sen_provision", "Select the special educational needs provision")
    for name in ("hours_parent_per_week", "hours_other_per_week"):
        if name in values:
            values[name] = _hours(name, values[name])
    total = sum((values.get(n, getattr(child, n)) or Decimal(0))
                for n in ("hours_parent_per_week", "hours_other_per_week"))
    if total > MAX_HOURS:
        raise FieldProblem("hours_parent_per_week", "Hours with parents and others together must "
                                                    "be 168 a week or fewer")
    return values


# -- addresses -----------------------------------------------------------------------------------
def child_address_add(*, actor: Actor, child: Child, seen: Seen, line_1: str, line_2: str = "",
                      town: str = "", postcode: str, moved_in_date: dt.date | None,
                      reason: str = "") -> Address:
    """The child has moved: a new current address from `moved_in_date`; the one before is kept,
    with that date as its moved-out date."""
    with transaction.atomic():
        save = EditSave(actor, child, seen, address_seen(child), reason, address=True)
        current = save.child.addresses.filter(is_current=True).first()
        values = _address_valid(line_1, line_2, town, postcode)
        if moved_in_date is None:
            raise FieldProblem("moved_in_date", "Enter the date the child moved in")
        _not_future("moved_in_date", moved_in_date, "moved in")
        if current and current.moved_in_date and moved_in_date < current.moved_in_date:
            raise FieldProblem("moved_in_date", "The child moved in to the current address on "
                               f"{current.moved_in_date:%-d %B %Y}: the new address must be from "
                               "then or later")
        new = Address(child=save.child, moved_in_date=moved_in_date, is_current=True, **values)
        save.note("address", new.pk, "address", "", str(new))
        save.note("address", new.pk, "moved_in_date", "", as_text(moved_in_date))
        if current:
            save.apply(current, {"moved_out_date": moved_in_date, "is_current": False}, "address")
            current.save(update_fields=["moved_out_date", "is_current", "modified_at"])
        new.created_by = actor_user(actor)
        new.save()
        Child.objects.filter(pk=child.pk).update(postcode=values["postcode"])
        save.finish("address", [new.pk, *([current.pk] if current else [])])
    return new


def child_address_update(*, actor: Actor, child: Child, address: Address, seen: Seen,
                         line_1: str, line_2: str = "", town: str = "", postcode: str,
                         moved_in_date: dt.date | None, moved_out_date: dt.date | None = None,
                         reason: str = "") -> int:
    """Correct an address as recorded (not a move: `child_address_add` records one)."""
    with transaction.atomic():
        address = Address.objects.select_for_update().get(pk=address.pk, child=child)
        save = EditSave(actor, child, seen, snapshot(address, ADDRESS_FIELDS), reason, address=True)
        values: dict[str, Any] = _address_valid(line_1, line_2, town, postcode)
        _not_future("moved_in_date", moved_in_date, "moved in")
        _not_future("moved_out_date", moved_out_date, "moved out")
        if address.is_current and moved_out_date is not None:
            raise FieldProblem("moved_out_date", "The current address has no moved-out date: "
                                                 "add the new address instead")
        if moved_in_date and moved_out_date and moved_out_date < moved_in_date:
            raise FieldProblem("moved_out_date", "The date the child moved out must be on or "
                                                 "after the date they moved in")
        values.update(moved_in_date=moved_in_date, moved_out_date=moved_out_date)
        changed = save.apply(address, values, "address")
        address.save(update_fields=[*changed, "modified_at"])
        if address.is_current and "postcode" in changed:
            Child.objects.filter(pk=child.pk).update(postcode=address.postcode)
        return save.finish("address", [address.pk])


def _address_valid(line_1: str, line_2: str, town: str, postcode: str) -> dict[str, str]:
    return {"line_1": _required("line_1", line_1, "Enter the first line of the address"),
            "line_2": line_2.strip(), "town": town.strip(),
            "postcode": _postcode("postcode", postcode, required=True)}


# -- parents -------------------------------------------------------------------------------------
def child_parent_add(*, actor: Actor, child: Child, seen: Seen, name: str, address_line_1: str = "",
                     postcode: str = "", phone: str = "", email: str = "", lives_with_child: bool,
                     educates: bool | None, reason: str = "") -> ChildParent:
    """Another parent of the child (one not living with the child too)."""
    with transaction.atomic():
        save = EditSave(actor, child, seen, {}, reason, address=True)
        parent = Parent(created_by=actor_user(actor), **_parent_valid(
            name, address_line_1, postcode, phone, email))
        link = ChildParent(child=save.child, parent=parent, lives_with_child=lives_with_child,
                           educates=educates, created_by=actor_user(actor))
        save.note("parent", parent.pk, "parent", "", parent.name)
        for name_, value in (*((f, getattr(parent, f)) for f in PARENT_FIELDS[1:]),
                             ("lives_with_child", lives_with_child), ("educates", educates)):
            if as_text(value):
                save.note("parent", parent.pk, name_, "", as_text(value))
        parent.save()
        link.save()
        save.finish("parent", [parent.pk])
    return link


def child_parent_update(*, actor: Actor, child: Child, link: ChildParent, seen: Seen, name: str,
                        address_line_1: str = "", postcode: str = "", phone: str = "",
                        email: str = "", lives_with_child: bool, educates: bool | None,
                        reason: str = "") -> int:
    """Change a parent's details and how they stand to the child. A parent of several children
    is one person: their name, address and contacts change on each child's record."""
    with transaction.atomic():
        link = ChildParent.objects.select_related("parent").get(pk=link.pk, child=child)
        parent = Parent.objects.select_for_update().get(pk=link.parent_id)
        now = {**snapshot(parent, PARENT_FIELDS), **snapshot(link, LINK_FIELDS)}
        save = EditSave(actor, child, seen, now, reason, address=True)
        changed = save.apply(parent, _parent_valid(name, address_line_1, postcode, phone, email),
                             "parent")
        if changed:
            parent.save(update_fields=[*changed, "modified_at"])
            save.others = set(ChildParent.objects.filter(parent=parent).exclude(
                child_id=child.pk).values_list("child_id", flat=True))
        link_changed = [f for f in LINK_FIELDS if as_text(getattr(link, f)) != as_text(
            {"lives_with_child": lives_with_child, "educates": educates}[f])]
        for name_ in link_changed:
            value = lives_with_child if name_ == "lives_with_child" else educates
            save.note("parent", parent.pk, name_, as_text(getattr(link, name_)), as_text(value))
            setattr(link, name_, value)
        link.save(update_fields=[*link_changed, "modified_at"])
        return save.finish("parent", [parent.pk])


def _parent_valid(name: str, address_line_1: str, postcode: str, phone: str, email: str
                  ) -> dict[str, str]:
    email = email.strip()
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise FieldProblem("email", "Enter an email address like name@example.com")
    return {"name": _required("name", name, "Enter the parent's name"),
            "address_line_1": address_line_1.strip(),
            "postcode": _postcode("postcode", postcode, required=False),
            "phone": phone.strip(), "email": email}


# -- providers -----------------------------------------------------------------------------------
def provider_add(*, actor: Actor, child: Child, seen: Seen, name: str, provider_type: str = "",
                 hours_per_week: Decimal | None, reason: str = "") -> Provider:
    """Another person or organisation educating the child (s.436C(1)(e))."""
    with transaction.atomic():
        save = EditSave(actor, child, seen, {}, reason)
        provider = Provider(child=save.child, created_by=actor_user(actor),
                            **_provider_valid(name, provider_type, hours_per_week))
        for name_ in PROVIDER_FIELDS:
            if as_text(getattr(provider, name_)):
                save.note("provider", provider.pk, name_, "", as_text(getattr(provider, name_)))
        provider.save()
        save.finish("provider", [provider.pk])
    return provider


def provider_update(*, actor: Actor, child: Child, provider: Provider, seen: Seen, name: str,
                    provider_type: str = "", hours_per_week: Decimal | None, reason: str = "") -> int:
    with transaction.atomic():
        provider = Provider.objects.select_for_update().get(pk=provider.pk, child=child)
        save = EditSave(actor, child, seen, snapshot(provider, PROVIDER_FIELDS), reason)
        changed = save.apply(provider, _provider_valid(name, provider_type, hours_per_week), "provider")
        provider.save(update_fields=[*changed, "modified_at"])
        return save.finish("provider", [provider.pk])


def provider_remove(*, actor: Actor, child: Child, provider: Provider, seen: Seen,
                    reason: str = "") -> None:
    """The provider no longer educates the child: removed from the record, kept in its history."""
    with transaction.atomic():
        provider = Provider.objects.select_for_update().get(pk=provider.pk, child=child)
        save = EditSave(actor, child, seen, snapshot(provider, PROVIDER_FIELDS), reason)
        save.note("provider", provider.pk, "provider", provider.name, "")
        provider.delete()
        save.finish("provider", [provider.pk], removed=True)


def _provider_valid(name: str, provider_type: str, hours: Decimal | None) -> dict[str, Any]:
    return {"name": _required("name", name, "Enter the provider's name"),
            "provider_type": provider_type.strip(), "hours_per_week": _hours("hours_per_week", hours)}
