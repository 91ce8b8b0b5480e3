"""What the public pages keep: their words (`PageText`, edited by the administrator, every
version kept), the registrations parents send online, the changes parents report and the
views children give with a letter's one-time code."""

from django.db import models

from notinschool.core.models import BaseModel


class PageText(BaseModel):
    """The words of one information page (`slug` is its address), in the small Markdown subset
    of `public.markup`. `version` counts the saves; each save is kept as a `PageTextVersion`."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    version = models.PositiveIntegerField(default=1)
    order = models.PositiveIntegerField(default=100)  # its place in the list of pages

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.slug


class PageTextVersion(BaseModel):
    """One saved text of a page, with who saved it (`created_by`) and when."""

    page = models.ForeignKey(PageText, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"],
                                               name="one_page_text_version_number")]

    def __str__(self) -> str:
        return f"{self.page_id} v{self.number}"


class Submission(BaseModel):
    """Something a member of the public sent: a registration, a change, a child's views. The
    `reference` is what they are told; `fingerprint` is a hash of what they sent, so the same
    answers sent twice are recognised and answered with the first reference. A registration
    names the import that took it in; a change or views names the child (found from the
    letter's code) and the words."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", "Registration by a parent"
        CHANGE = "change", "Change reported by a parent"
        CHILD_VIEWS = "child_views", "The child's own views"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=12, unique=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    child = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="public_submissions")
    import_batch_id = models.UUIDField(null=True, blank=True)
    # a change: what changed (address, education, providers) and the parent's words for it
    topics = models.JSONField(default=list)
    details = models.JSONField(default=dict)
    # the child's views: their own words, and whether they asked to talk about something worrying
    words = models.TextField(blank=True)
    worrying = models.BooleanField(default=False)
    wants_to_talk = models.BooleanField(default=False)
    email_sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
