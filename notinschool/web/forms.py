"""The shell's base form: every page's form is a `GovukForm`, rendered with GOV.UK macros."""

from django import forms


class GovukForm(forms.Form):
    """A form rendered with GOV.UK macros: each field's input has the id `field_ids` gives (the
    field's name by default), which the error summary links to."""

    field_ids: dict[str, str] = {}

    def field_id(self, name: str) -> str:
        return self.field_ids.get(name, name)

    def error_list(self) -> list[dict[str, str]]:
        first = next(iter(self.fields), "")
        items = [{"text": str(e), "href": f"#{self.field_id(first)}"} for e in self.non_field_errors()]
        for name in self.fields:
            items += [{"text": str(e), "href": f"#{self.field_id(name)}"} for e in self.errors.get(name, [])]
        return items

    def error(self, name: str) -> dict[str, str] | None:
        """The errorMessage parameter of a GOV.UK macro for this field, if it has an error."""
        errors = self.errors.get(name)
        return {"text": str(errors[0])} if errors else None
