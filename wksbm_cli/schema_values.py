"""Fixed vocabularies shared by the schema and the field rules."""

ACTIVITY_KINDS = ("meeting", "program", "outreach", "advocacy", "training", "other")
CASE_STATUSES = ("reported", "in_handling", "resolved", "referred", "closed")
