"""A supervisor's or principal's part in a semester review (KY 8)."""

from server.schemas.fields import Text
from server.schemas.meetings import DecisionResultSchema, DecisionSchema


class ParticipationDecisionSchema(DecisionSchema):
    """{decision: confirmed|disputed, comment, base_version, mutation_id, device_id}, as for a meeting."""

    disputed_noun = "a semester review"


class ParticipationResultSchema(DecisionResultSchema):
    party = Text(metadata={"enum": ["principal", "supervisor"]})

    class Meta:
        fields = ("decision", "party", "version", "duplicate", "record")  # the party second, as always answered
