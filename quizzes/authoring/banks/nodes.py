"""Typed reads of YAML nodes for the bank schema: mappings, lists, texts, numbers, slugs and
vocabulary values, each wrong one collected as a ``path:line`` error instead of raised.

Pure: no database. The question rules' words come from ``quizzes.question_rules``.
"""

from collections.abc import Iterable

import yaml

from quizzes.question_rules import (
    MAX_TEXT_CHARS,
    blank_problem,
    length_problem,
    nul_problem,
    slug_problem,
    unknown_value_problem,
)

from .reader import BankError, line_of
from .specs import Place

NULL_TAG = "tag:yaml.org,2002:null"
INT_TAG = "tag:yaml.org,2002:int"

EXPECTED_MAPPING = "{what} must be a mapping of keys, found {found}"
EXPECTED_LIST = "{what} must be a list, found {found}"
EXPECTED_TEXT = "{what} must be text, found {found}"
EXPECTED_NUMBER = "{what} must be a whole number, found {found}"
DUPLICATE_KEY = "duplicate key '{key}' in {what}: defined at {places}"
UNKNOWN_KEY = "unknown key '{key}' in {what}; allowed keys: {allowed}"
MISSING_KEY = "missing required key '{key}' in {what}"
NUMBER_OUT_OF_RANGE = "{what} must be between {low} and {high}, found {value}"


def describe(node: yaml.Node) -> str:
    """Name what a node is, for a 'wrong type' message."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    return f"'{node.value[:40]}'"


def join_places(places: Iterable[Place]) -> str:
    return " and ".join(str(place) for place in places)


class NodeRules:
    """Reads one file's nodes, collecting every error with its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[BankError] = []

    def error(self, node: yaml.Node, message: str) -> None:
        self.errors.append(BankError(self.path, line_of(node), message))

    def place(self, node: yaml.Node) -> Place:
        return Place(self.path, line_of(node))

    def mapping(
        self,
        node: yaml.Node,
        what: str,
        keys: tuple[frozenset[str], frozenset[str]],
        *,
        any_key: bool = False,
    ) -> dict[str, yaml.Node] | None:
        """Keys to value nodes; ``keys`` is (required, optional). Duplicate, missing and
        (unless ``any_key``) unknown keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, EXPECTED_MAPPING.format(what=what, found=describe(node)))
            return None
        required, optional = keys
        values: dict[str, yaml.Node] = {}
        first_key_nodes: dict[str, yaml.Node] = {}
        repeated: dict[str, list[yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, EXPECTED_TEXT.format(what=f"a key in {what}", found="a list"))
                continue
            key = key_node.value
            if key in first_key_nodes:
                repeated.setdefault(key, [first_key_nodes[key]]).append(key_node)
                continue
            first_key_nodes[key] = key_node
            if not any_key and key not in required and key not in optional:
                allowed = ", ".join(sorted(required | optional))
                self.error(key_node, UNKNOWN_KEY.format(key=key, what=what, allowed=allowed))
                continue
            values[key] = value_node
        for key in first_key_nodes:
            if key in repeated:
                places = join_places(self.place(n) for n in repeated[key])
                self.error(
                    repeated[key][-1], DUPLICATE_KEY.format(key=key, what=what, places=places)
                )
        for key in sorted(required.difference(first_key_nodes)):
            self.error(node, MISSING_KEY.format(key=key, what=what))
        return values

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, EXPECTED_LIST.format(what=what, found=describe(node)))
            return None
        return list(node.value)

    def text(
        self,
        node: yaml.Node | None,
        what: str,
        *,
        blank_ok: bool = False,
        limit: int = MAX_TEXT_CHARS,
    ) -> str | None:
        """Any scalar as the text the author typed (``yes`` stays "yes"), stripped."""
        if node is None:
            return "" if blank_ok else None
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, EXPECTED_TEXT.format(what=what, found=describe(node)))
            return None
        value = "" if node.tag == NULL_TAG else node.value.strip()
        # Only a quoted "\0" gets to the NUL rule; PostgreSQL text cannot hold it.
        problem = (
            (None if blank_ok else blank_problem(value))
            or length_problem(value, limit)
            or nul_problem(value)
        )
        if problem:
            self.error(node, f"{what} {problem}")
            return None
        return value

    def number(self, node: yaml.Node, what: str, low: int, high: int) -> int | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != INT_TAG:
            self.error(node, EXPECTED_NUMBER.format(what=what, found=describe(node)))
            return None
        try:
            value = int(node.value.replace("_", ""), 0)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            self.error(
                node, NUMBER_OUT_OF_RANGE.format(what=what, low=low, high=high, value=node.value)
            )
            return None
        return value

    def slug(self, node: yaml.Node, what: str, *, limit: int = MAX_TEXT_CHARS) -> str | None:
        value = self.text(node, what, limit=limit)
        problem = slug_problem(value) if value is not None else None
        if problem:
            self.error(node, f"{what} {problem}")
            return None
        return value

    def one_of(
        self, node: yaml.Node | None, name: str, what: str, allowed: tuple[str, ...], default: str
    ) -> str | None:
        """A vocabulary value (``name`` of ``what``), or ``default`` when the key is absent."""
        if node is None:
            return default
        value = self.text(node, f"{name} of {what}")
        problem = unknown_value_problem(name, value, allowed) if value is not None else None
        if problem:
            self.error(node, f"{what} {problem}")
            return None
        return value
