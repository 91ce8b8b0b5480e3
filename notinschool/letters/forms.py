"""The letters pages' forms: shape checks only (the services check placeholders and rules)."""

from django import forms

from notinschool.letters.models import LetterTemplate
from notinschool.web.forms import GovukForm


class TemplateForm(GovukForm):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the template's name"})
    subject = forms.CharField(max_length=200, error_messages={"required": "Enter the heading of the letter"})
    body = forms.CharField(widget=forms.Textarea, strip=False,
                           error_messages={"required": "Enter the text of the letter"})
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChooseLetterForm(GovukForm):
    template = forms.ModelChoiceField(queryset=LetterTemplate.objects.none(), empty_label=None,
                                      error_messages={"required": "Select the letter to send",
                                                      "invalid_choice": "Select the letter to send"})
    field_ids = {"template": "template"}

    def __init__(self, *args: object, templates: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
