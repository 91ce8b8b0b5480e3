"""Letters to families: the authority's templates (every saved version kept, with who saved it
and when) and each letter sent, with the PDF that was printed."""

from django.db import models

from notinschool.core.models import BaseModel


class LetterKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", "First letter to a family"
    INFORMATION_REQUEST = "information_request", "Request for information"
    VISIT_REQUEST = "visit_request", "Request to meet"
    ANNUAL_REVIEW = "annual_review", "Review letter"
    GENERAL = "general", "General letter"
    # pages added to every first letter, after the letter itself
    CHILD_PAGE = "child_page", "Page for the child (with every first letter)"
    HEALTH_OFFER = "health_offer", "Health services page (with every first letter)"


# The kinds that are letters of their own (the others are pages of the first letter).
LETTER_KINDS = tuple(kind for kind in LetterKind if kind not in (LetterKind.CHILD_PAGE,
                                                                 LetterKind.HEALTH_OFFER))
FIRST_LETTER_PAGES = (LetterKind.CHILD_PAGE, LetterKind.HEALTH_OFFER)
_KIND_LABELS: dict[str, str] = dict(LetterKind.choices)


def letter_kind_register(code: str, label: str) -> None:
    """Adds a kind of letter that an app above sends through its own steps (a statutory notice, a
    handover), with its words: its templates are edited on the letter templates page with the
    others, but it is not offered among the letters sent from the child's page (`LETTER_KINDS`).
    Its default template comes from a data migration in that app."""
    _KIND_LABELS[code] = label


def letter_kind_label(code: str) -> str:
    return _KIND_LABELS.get(code, code.replace("_", " ").capitalize())


class LetterTemplate(BaseModel):
    """A letter the authority sends, as its editors last saved it. `version` counts the saves;
    every save is also kept as a `LetterTemplateVersion`."""

    kind = models.CharField(max_length=30)  # a LetterKind or a registered kind: no migration for a new one
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="letter_template_name_unique")]

    def get_kind_display(self) -> str:
        return letter_kind_label(self.kind)

    def __str__(self) -> str:
        return self.name


class LetterTemplateVersion(BaseModel):
    """One saved text of a template (the first one too), with who saved it (`created_by`) and
    when (`created_at`). A letter names the version it was printed from."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"],
                                               name="one_letter_template_version_number")]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"


class Letter(BaseModel):
    """A letter sent about a child: to whom, when, from which template version, the PDF as
    printed, and the contact it was recorded as. `created_by` is who sent it (none for the
    command line)."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="letters")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    template_version = models.ForeignKey(LetterTemplateVersion, on_delete=models.PROTECT,
                                         related_name="letters")
    kind = models.CharField(max_length=30)  # a LetterKind or a registered kind: no migration for a new one
    subject = models.CharField(max_length=200)
    addressed_to = models.CharField(max_length=400)
    # False when the address was left off because it must not be disclosed (delivered by hand)
    address_printed = models.BooleanField(default=True)
    sent_on = models.DateField()
    pages = models.PositiveIntegerField(default=1)
    pdf = models.BinaryField()
    contact = models.ForeignKey("casework.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="letters")
    sender_name = models.CharField(max_length=200, blank=True)
    # the month's round of letters this one was sent in (its first day), for letters sent in bulk
    round_month = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-created_at"]
        indexes = [models.Index(fields=["child", "sent_on"])]

    def get_kind_display(self) -> str:
        return letter_kind_label(self.kind)

    def __str__(self) -> str:
        return f"{self.kind} to {self.child_id} on {self.sent_on}"


class AccessCode(BaseModel):
    """The one-time code printed on a letter: with it and the child's date of birth, a parent
    tells the authority of a change, or the child gives their views, on the public pages
    without an account (`public`). Only a keyed hash of the code is kept (`letters.access_codes`),
    never the code. A code works once (`used_at`) and until `expires_on`."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="access_codes")
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="access_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_for = models.CharField(max_length=30, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "expires_on"])]

    def __str__(self) -> str:
        return f"code for {self.child_id} until {self.expires_on}"
