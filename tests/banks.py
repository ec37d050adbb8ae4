"""Small valid banks that tests copy and break."""

GOOD_TOPIC = """
topic:
  slug: sample-topic
  title: Sample topic
  source: Sample article
  notes: |
    ## Notes
    Study this.
questions:
  - id: sample-001
    kind: recall
    domain: professional-responsibility
    stem: |
      What should a CRSS do first about a dual relationship?
    choices:
      a: Handle it alone
      b: Consult a supervisor
      c: Ignore it
      d: End all contact at once
    answer: b
    explanation: |
      Consulting a supervisor gives perspective.
  - id: sample-002
    kind: application
    domain: advocacy
    stem: Dana needs housing help. What do you do?
    choices:
      a: Connect her with resources
      b: Let her stay at your home
    answer: a
    explanation: Advocate through proper channels.
"""

GOOD_EXAMS = """
exams:
  - slug: sample-exam
    title: Sample exam
    items: 2
    minutes: 5
    pass_mark: 50
    topics:
      sample-topic: 1
"""


def topic_bank(slug: str, count: int, *, prefix: str | None = None) -> str:
    """A valid topic bank with ``count`` questions."""
    prefix = prefix or slug
    questions = "".join(
        f"""
  - id: {prefix}-{n:03d}
    kind: application
    domain: professional-responsibility
    stem: Question {n} of {slug}?
    choices:
      a: First answer {n}
      b: Second answer {n}
      c: Third answer {n}
      d: Fourth answer {n}
    answer: {"abcd"[n % 4]}
    explanation: Because answer {"abcd"[n % 4]} is right for question {n}.
"""
        for n in range(1, count + 1)
    )
    header = f"topic:\n  slug: {slug}\n  title: Topic {slug}\n  source: Article {slug}\n"
    return f"{header}questions:{questions}"
