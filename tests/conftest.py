import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT_DIR = REPO / "content"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: its database is new, cached pages must be too."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def write_bank(tmp_path):
    """Write a YAML bank file (dedented) into a temporary folder and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def candidate(client):
    """A candidate (no role), signed in on ``client``."""
    from tests.factories import make_user

    user = make_user()
    client.force_login(user)
    return user


@pytest.fixture
def trainer(client):
    """A trainer called ``trainer``, signed in on ``client``."""
    from accounts.roles import Role, assign_role
    from tests.factories import make_user

    user = make_user("trainer")
    assign_role(user, Role.TRAINER)
    client.force_login(user)
    return user


@pytest.fixture
def exam():
    """A four-item mini mock (pass mark 50 %) over two topics of five questions, each with
    the keys a-d. Modules that need another exam define their own ``exam``."""
    from tests.factories import make_bank, make_exam

    make_bank(topics=2, per_topic=5)
    return make_exam(items=4, minutes=30, pass_mark=50, title="Mini mock")


@pytest.fixture
def attempt(exam, candidate):
    """The signed-in ``candidate``'s attempt at ``exam``, in progress."""
    from quizzes import services

    return services.start_attempt(user=candidate, exam=exam)
