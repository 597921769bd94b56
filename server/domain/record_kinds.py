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


def readable(name: str) -> str:
    """A label read off a name: "field_trip" reads "Field trip"."""
    return name.replace("_", " ").capitalize()


def choices(*values: str, **labels: str) -> tuple[Choice, ...]:
    """Choices in this order; a label not given reads like the value (`readable`)."""
    return tuple(Choice(value, labels.get(value, readable(value))) for value in values)


@dataclass(frozen=True)
class Field:
    """One kind-specific field. type: "text" (max_length), "choice" (one of choices), "choices"
    (a list of distinct choices), "count" (a whole number of at least `minimum`), "number" (a
    decimal number above `minimum` and at most `maximum`), "flag" (true or false)."""

    name: str
    label: str
    type: str
    required: bool = False
    max_length: int | None = None
    minimum: int = 0
    choices: tuple[Choice, ...] = ()
    maximum: float | None = None


def text(name: str, label: str, max_length: int, *, required: bool = False) -> Field:
    return Field(name, label, "text", required=required, max_length=max_length)


def choice(name: str, label: str, options: tuple[Choice, ...], *, required: bool = True) -> Field:
    return Field(name, label, "choice", required=required, choices=options)


def several(name: str, label: str, options: tuple[Choice, ...]) -> Field:
    return Field(name, label, "choices", choices=options)


def count(name: str, label: str, *, required: bool = False, minimum: int = 0) -> Field:
    return Field(name, label, "count", required=required, minimum=minimum)


def number(name: str, label: str, *, maximum: float, required: bool = False) -> Field:
    """A decimal number greater than 0 and at most `maximum` (hours: 7.5)."""
    return Field(name, label, "number", required=required, maximum=maximum)


def flag(name: str, label: str) -> Field:
    return Field(name, label, "flag")


@dataclass(frozen=True)
class Requirement:
    """`field` is required when every field named in `when` holds one of its values
    ({"basis": ("discipline",), "action": ("arrest",)}: basis is discipline AND action is arrest)."""

    field: str
    when: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def conditions(self) -> dict[str, list[str]]:
        return {name: list(options) for name, options in self.when}

    def applies(self, data: dict) -> bool:
        return all(data.get(name) in options for name, options in self.when)

    def message(self) -> str:
        return "Required when " + " and ".join(
            f"{name} is {' or '.join(options)}" for name, options in self.when) + "."


def required_when(field: str, **when: tuple[str, ...]) -> Requirement:
    return Requirement(field, tuple((name, tuple(options)) for name, options in when.items()))


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
    requirements: tuple[Requirement, ...] = ()  # fields required only when others hold given values
    school_optional: bool = False  # a record of this kind may have no school (training)
    principal_counts: bool = True  # principals' report counts include this kind

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
# The activity type of the semester review (KY 8); its parties and rule: domain/semester_review.py.
SEMESTER_REVIEW = "semester_review"
ACTIVITY_TYPES = choices(
    "counseling_student", "counseling_parent", "classroom_presentation", "safety_audit", "investigation",
    "arrest", "search", "faculty_meeting", SEMESTER_REVIEW, "community_presentation",
    "resource_referral", "emergency_drill", "emergency_response", "threat_assessment", "hearing",
    "department_briefing", "agency_assist", "victim_assistance", "safety_committee", "conflict_mediation",
    "other",
)
PRESENTATION_SUBJECTS = choices("law_related", "safety", "drugs_alcohol", "bullying", "internet_safety", "other",
                                drugs_alcohol="Drugs and alcohol")
REQUESTERS = choices(
    "principal", "assistant_principal", "dean", "teacher", "counselor", "security_officer", "other_staff",
    "student", "parent", "self_initiated", "dispatch",
    self_initiated="Self-initiated (the officer acted on their own)",
)
INVOLVEMENT_BASES = choices("crime", "imminent_threat", "discipline", "classroom_disorder", "welfare_check", "other")
THREAT_CHANNELS = choices("verbal", "written", "social_media", "weapon_seen", "other")
INVOLVEMENT_ACTIONS = choices("investigation", "arrest", "citation", "referral_to_services", "transport",
                              "returned_to_staff", "advice_only", returned_to_staff="Returned to school staff")
# Discipline is the school's: a police action on a discipline or classroom-disorder request is an
# exception the officer explains (docs/program.md "involvement").
SCHOOL_MATTERS = ("discipline", "classroom_disorder")
POLICE_ACTIONS = ("investigation", "arrest", "citation", "transport")
TRAINING_PROVIDERS = choices("state_academy", "nasro", "doj", "school_district", "other",
                             nasro="NASRO", doj="DOJ")
TRAINING_TOPICS = choices(
    "youth_development", "relationship_building", "de_escalation", "school_policies", "implicit_bias",
    "restorative_justice", "active_shooter", "mental_health", "juvenile_law", "other",
    de_escalation="De-escalation",
)
# The topics the Chicago brief asks every SRO to be trained in (training compliance, docs/reports.md).
CHICAGO_TOPICS = ("youth_development", "relationship_building", "de_escalation", "school_policies",
                  "implicit_bias", "restorative_justice")

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
            # Presentations (classroom_presentation, community_presentation) also say whom and what.
            count("people_reached", "People reached (presentations)"),
            choice("subject", "Subject (presentations)", PRESENTATION_SUBJECTS, required=False),
            # A semester review (KY 8) also says what came of it and whether the written agreement
            # needs changes (true or false, asked only then); the supervisor and principal confirm it.
            text("review_outcome", "Outcome of the semester review", 2000),
            flag("agreement_changes", "The written agreement needs changes"),
        ),
        subtype="activity_type", quantity="count",
        report=ReportRows("Activities (all types)", "Activities", by_subtype=True, measure="quantity",
                          quantity_row=None, public=None),
        requirements=(
            required_when("review_outcome", activity_type=(SEMESTER_REVIEW,)),
            required_when("agreement_changes", activity_type=(SEMESTER_REVIEW,)),
        ),
    ),
    Kind(
        "involvement", "Involvement",
        fields=(
            choice("requested_by", "Requested by", REQUESTERS),
            choice("basis", "Basis", INVOLVEMENT_BASES),
            choice("threat_channel", "Threat channel", THREAT_CHANNELS, required=False),
            choice("action", "Action taken", INVOLVEMENT_ACTIONS),
            count("students_involved", "Students involved"),
            text("exception_reason", "Why police action on a school matter", 2000),
        ),
        subtype="basis", quantity="students_involved",
        report=ReportRows("Involvements (all bases)", "Involvements", by_subtype=True, measure="records",
                          quantity_row=("students", "Students involved"), public=None),
        requirements=(
            required_when("threat_channel", basis=("imminent_threat",)),
            required_when("exception_reason", basis=SCHOOL_MATTERS, action=POLICE_ACTIONS),
        ),
    ),
    Kind(
        "training", "Training",
        fields=(
            text("course", "Course", 200, required=True),
            choice("provider", "Provider", TRAINING_PROVIDERS),
            several("topics", "Topics", TRAINING_TOPICS),
            number("hours", "Hours", maximum=1000, required=True),
            flag("basic_course", "The 120-hour basic SRO course"),
            text("certificate_number", "Certificate number", 100),
        ),
        subtype="provider", quantity=None,
        report=ReportRows("Training courses (all providers)", "Training courses", by_subtype=True,
                          measure="records", quantity_row=None,
                          public=("training_courses", "Training courses completed by officers")),
        school_optional=True, principal_counts=False,
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
