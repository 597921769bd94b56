"""The record kinds: the one declaration every layer reads (docs/program.md "Records").

Each kind declares its own fields (label, rule, choices), the field reports group by (its
subtype), the number they sum (its quantity) and its report categories. The model's CHECK
constraint, the marshmallow schemas (server/schemas/records.py), the form description both
apps build and label from (GET /api/forms), the monthly and public report rows, and the log
browser's filters are all derived from this module. Adding a kind or a type touches this module
and a migration for the CHECK constraint, nothing else (tests/unit/test_record_kinds.py).

The fields every kind shares (school, when, duration, notes) are in the schemas' base class.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def choices(*values: str, **labels: str) -> tuple[Choice, ...]:
    """Choices in this order; a label not given reads like the value ("field_trip": "Field trip")."""
    return tuple(Choice(value, labels.get(value, value.replace("_", " ").capitalize())) for value in values)


@dataclass(frozen=True)
class Field:
    """One kind-specific field. type: "text" (max_length), "choice" (one of choices), "choices"
    (a list of distinct choices), "count" (a whole number of at least `minimum`)."""

    name: str
    label: str
    type: str
    required: bool = False
    max_length: int | None = None
    minimum: int = 0
    choices: tuple[Choice, ...] = ()


def text(name: str, label: str, max_length: int, *, required: bool = False) -> Field:
    return Field(name, label, "text", required=required, max_length=max_length)


def choice(name: str, label: str, options: tuple[Choice, ...], *, required: bool = True) -> Field:
    return Field(name, label, "choice", required=required, choices=options)


def several(name: str, label: str, options: tuple[Choice, ...]) -> Field:
    return Field(name, label, "choices", choices=options)


def count(name: str, label: str, *, required: bool = False, minimum: int = 0) -> Field:
    return Field(name, label, "count", required=required, minimum=minimum)


@dataclass(frozen=True)
class ReportRows:
    """How the monthly report shows a kind: an all-types row, one row per subtype when
    `by_subtype`, each counting records or summing the quantity (`measure`), and optionally a
    row summing the quantity apart (`quantity_row`: key suffix and label). The public report
    shows either the kind's total (`public`: key and label) or, when `public` is None, one row
    per subtype: its categories never overlap, so a suppressed cell has no total beside it."""

    all_label: str
    subtype_label: str
    by_subtype: bool
    measure: str
    quantity_row: tuple[str, str] | None
    public: tuple[str, str] | None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    fields: tuple[Field, ...]
    subtype: str  # the field reports group by
    quantity: str | None  # the field reports sum
    report: ReportRows

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

    @property
    def subtypes(self) -> tuple[Choice, ...]:
        return self.field(self.subtype).choices


EVENT_TYPES = choices("athletic", "arts", "club", "dance", "field_trip", "assembly", "community", "other")
AUDIENCES = choices("new_students", "all_students", "faculty", "support_staff", "parents", "other")
INTRODUCTION_FORMATS = choices("classroom", "assembly", "orientation", "faculty_meeting", "one_on_one", "other")
ATTENDEE_ROLES = choices("principal", "designee")
MEETING_TOPICS = choices("safety_concerns", "problem_areas", "upcoming_events", "investigations_notice", "training",
                         "other")
ACTIVITY_TYPES = choices(
    "counseling_student", "counseling_parent", "classroom_presentation", "safety_audit", "investigation",
    "arrest", "search", "faculty_meeting", "semester_review", "community_presentation",
    "resource_referral", "emergency_drill", "other",
)

KINDS: tuple[Kind, ...] = (
    Kind(
        "extracurricular_contact", "Extracurricular contact",
        fields=(
            text("event_name", "Event name", 200, required=True),
            choice("event_type", "Event type", EVENT_TYPES),
            text("location", "Location", 200),
            count("students_contacted", "Students contacted (approximate)", required=True),
            count("adults_contacted", "Adults contacted"),
        ),
        subtype="event_type", quantity="students_contacted",
        report=ReportRows("Extracurricular events (all types)", "Extracurricular events", by_subtype=True,
                          measure="records", quantity_row=("students", "Students contacted at events (approximate)"),
                          public=("extracurricular_events", "Extracurricular events attended")),
    ),
    Kind(
        "introduction", "Introduction",
        fields=(
            choice("audience", "Audience", AUDIENCES),
            choice("format", "Format", INTRODUCTION_FORMATS),
            count("people_count", "People present", required=True),
        ),
        subtype="audience", quantity="people_count",
        report=ReportRows("Introductions (all audiences)", "Introductions", by_subtype=True, measure="records",
                          quantity_row=("people", "People present at introductions"),
                          public=("introductions", "Introductions to students, staff and parents")),
    ),
    Kind(
        "principal_meeting", "Principal meeting",
        fields=(
            text("attendee_name", "Met with (name)", 200, required=True),
            choice("attendee_role", "Their role", ATTENDEE_ROLES),
            several("topics", "Topics", MEETING_TOPICS),
            text("summary", "Summary", 2000),
        ),
        subtype="attendee_role", quantity=None,
        report=ReportRows("Principal meetings", "Principal meetings", by_subtype=False, measure="records",
                          quantity_row=None,
                          public=("principal_meetings", "Meetings with the principal or designee")),
    ),
    Kind(
        "activity", "Other activity",
        fields=(
            choice("activity_type", "Activity type", ACTIVITY_TYPES),
            count("count", "How many", required=True, minimum=1),
            text("topic", "Topic", 200),
        ),
        subtype="activity_type", quantity="count",
        report=ReportRows("Activities (all types)", "Activities", by_subtype=True, measure="quantity",
                          quantity_row=None, public=None),
    ),
)

KIND_NAMES: tuple[str, ...] = tuple(kind.name for kind in KINDS)
_BY_NAME = {kind.name: kind for kind in KINDS}


def kind_named(name: str) -> Kind:
    return _BY_NAME[name]


def values(options: tuple[Choice, ...]) -> tuple[str, ...]:
    return tuple(option.value for option in options)


def kind_check_sql() -> str:
    """The records table's CHECK constraint on `kind` (a migration changes it with this module)."""
    return "kind IN ({})".format(", ".join(f"'{name}'" for name in KIND_NAMES))
