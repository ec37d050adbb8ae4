"""What a result page suggests next: drill the weakest topic of this attempt, retake the
questions missed, read the notes, or take another exam. A few concrete steps, not a list of
everything the site offers."""

from dataclasses import dataclass

from django.urls import reverse

from crss_prep import page_cache
from quizzes import progress
from quizzes.bank_summary import bank_summary
from quizzes.models import AttemptTopicResult, Exam, Selection

CATALOGUE_STEP = "Take another exam"


@dataclass(frozen=True)
class WeakestTopic:
    """The topic this attempt went worst in, and the drill that practices it (if any)."""

    title: str
    notes_url: str
    correct: int
    total: int
    percent: int
    drill_slug: str  # "" when no published drill practices the topic alone
    drill_title: str
    drill_description: str


@dataclass(frozen=True)
class NextStep:
    label: str
    why: str  # one short line under the button, or ""
    url: str
    starts_exam: bool  # a POST that starts (or resumes) an exam, else a plain link


def weakest_topic(results: list[AttemptTopicResult]) -> WeakestTopic | None:
    """The topic with the lowest share right (the larger one on a tie), or None when every
    item was right. ``results`` carry their topic."""
    missed = [result for result in results if result.correct < result.total]
    if not missed:
        return None
    worst = min(missed, key=lambda r: (r.percent, -r.total, r.topic.title))
    drill = Exam.objects.published().drills_for(worst.topic).first()
    return WeakestTopic(
        title=worst.topic.title,
        notes_url=worst.topic.get_absolute_url(),
        correct=worst.correct,
        total=worst.total,
        percent=worst.percent,
        drill_slug=drill.slug if drill else "",
        drill_title=drill.title if drill else "",
        drill_description=drill.description if drill else "",
    )


def start_url(slug: str) -> str:
    return reverse("quizzes:start_exam", args=[slug])


def next_steps(user, weakest: WeakestTopic | None) -> list[NextStep]:
    """The candidate's own next steps after this attempt, the most useful first; cached until
    the content or the candidate's attempts change."""
    part = page_cache.key(
        "next-steps",
        versions=(page_cache.CONTENT, page_cache.user(user.pk)),
        vary=(weakest.drill_slug if weakest else "",),
    )
    return page_cache.cached(part, lambda: current_steps(user, weakest))


def current_steps(user, weakest: WeakestTopic | None) -> list[NextStep]:
    steps = []
    if weakest is not None and weakest.drill_slug:
        steps.append(
            NextStep(
                weakest.drill_title,
                weakest.drill_description,
                start_url(weakest.drill_slug),
                starts_exam=True,
            )
        )
    mistakes = bank_summary().adaptive.get(Selection.MISTAKES)
    if mistakes is not None and progress.has_retakable_mistakes(user):
        steps.append(
            NextStep(
                mistakes.title, mistakes.description, start_url(mistakes.slug), starts_exam=True
            )
        )
    steps.append(NextStep(CATALOGUE_STEP, "", reverse("quizzes:exam_catalogue"), starts_exam=False))
    return steps
