"""A well-written sample question the linter tests start from (and spoil one way each)."""

GOOD_STEM = (
    "Rosa, a CRSS, learns that a new client manages the apartment building where she rents. "
    "What should she do before their first session?"
)
GOOD_CHOICES = {
    "a": "Tell the client about the overlap and let the client decide whether to continue",
    "b": "Bring the overlap to her supervisor and plan together how to handle it",
    "c": "Ask the agency to reassign the client and give no reason for the change",
    "d": "Keep the first session short and raise the overlap at a later meeting",
}
