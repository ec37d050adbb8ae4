"""Read one YAML bank strictly, keeping the line number of every node.

PyYAML on its own is too forgiving for files that trainers write by hand: it silently keeps
the last of two duplicate keys and builds Python objects from tags. Here every anchor, alias
and explicit tag is refused, and the schema (``schema.py``) refuses duplicate keys, so a
file means exactly what it says. One pass over libyaml's events builds the node tree and
refuses them on the way.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.composer import ComposerError

MAX_FILE_BYTES = 2 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"

# libyaml when the wheel has it (about ten times faster on large banks).
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CORE_TAG_PREFIX = "tag:yaml.org,2002:"
STR_TAG = CORE_TAG_PREFIX + "str"
NULL_TAG = CORE_TAG_PREFIX + "null"
SEQ_TAG = CORE_TAG_PREFIX + "seq"
MAP_TAG = CORE_TAG_PREFIX + "map"

FILE_TOO_LARGE = "the file is {size:.1f} MiB; a bank file may be at most 2 MiB (split it by topic)"
NOT_UTF8 = "the file is not UTF-8 text (byte 0x{byte:02x} cannot be read); save it as UTF-8"
YAML_SYNTAX = "YAML syntax error: {problem}"
EMPTY_FILE = "the file is empty"
NO_ALIASES = "aliases (*{name}) are not allowed: write the value out in full"
NO_ANCHORS = "anchors (&{name}) are not allowed: write each value out in full"
NO_TAGS = "explicit tags ({tag}) are not allowed: remove the tag"
UNREADABLE = "cannot read the file: {reason}"


@dataclass(frozen=True)
class BankError:
    """One problem in a bank file, shown as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def line_of(node: yaml.Node) -> int:
    """The 1-based line on which a YAML node starts."""
    return node.start_mark.line + 1


def read_file(path: Path, display: str) -> tuple[bytes | None, BankError | None]:
    """A bank file's bytes; a file over the size limit is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, too_large(size, display)
        return path.read_bytes(), None
    except OSError as exc:
        return None, BankError(display, 1, UNREADABLE.format(reason=exc.strerror or exc))


def read_yaml(raw: bytes | str, display: str) -> tuple[yaml.Node | None, list[BankError]]:
    """Parse one bank's text (UTF-8 bytes, or text) into a YAML node tree; ``display`` is the
    name used in messages."""
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_FILE_BYTES:
        return None, [too_large(size, display)]
    text = raw
    if isinstance(raw, bytes):
        text, error = decode_utf8(raw, display)
        if error:
            return None, [error]
    return compose_strictly(text, display)


def too_large(size: int, display: str) -> BankError:
    return BankError(display, 1, FILE_TOO_LARGE.format(size=size / 1024 / 1024))


def decode_utf8(raw: bytes, display: str) -> tuple[str, BankError | None]:
    """Decode UTF-8 (a leading byte-order mark is fine); name the line of a bad byte."""
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return "", BankError(display, line, NOT_UTF8.format(byte=raw[exc.start]))


def compose_strictly(text: str, display: str) -> tuple[yaml.Node | None, list[BankError]]:
    """Build the node tree in one pass over the parser's events, refusing anchors, aliases
    and tags on the way."""
    composer = StrictComposer(text, display)
    try:
        with cyclic_gc_paused():
            node = composer.compose()
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_error(exc, display)]
    except yaml.YAMLError as exc:
        return None, [BankError(display, 1, YAML_SYNTAX.format(problem=exc))]
    if composer.errors:
        return None, composer.errors
    if node is None:
        return None, [BankError(display, 1, EMPTY_FILE)]
    return node, []


def syntax_error(exc: yaml.MarkedYAMLError, display: str) -> BankError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    problem = exc.problem or "unreadable YAML"
    if exc.context:
        started = exc.context_mark
        where = f" that started on line {started.line + 1}" if started else ""
        problem = f"{problem} ({exc.context}{where})"
    return BankError(display, line, YAML_SYNTAX.format(problem=problem))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Keep Python's cyclic garbage collector away from a bulk build of acyclic objects.

    A 10,000-question bank becomes about a million small objects (nodes, their marks, then
    specs). The collector, triggered by the count of new objects, walked them over and over
    while they were built: about 30 % of a no-change reload. None of them can be part of a
    reference cycle (reference counting frees them), so the collector is paused for the
    build; then the new objects go straight to the oldest generation, which
    ``freeze()`` + ``unfreeze()`` does without walking them, instead of through the young
    collection that re-enabling would start at once. Nothing changes if the collector was
    already off, and nobody else's frozen objects are ever unfrozen.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


class StrictComposer:
    """The node tree of a single-document stream, as ``yaml.compose`` builds it, in one pass.

    Anchors, aliases and explicit tags become errors (with their lines) instead of nodes. The
    whole stream is read either way, so the errors are the ones the former two passes (check
    the events, then compose) gave: a syntax error anywhere wins over them, and they win
    over "more than one document".
    """

    def __init__(self, text: str, display: str) -> None:
        self.loader = YamlLoader(text)
        self.display = display
        self.errors: list[BankError] = []
        # Keys and short values repeat thousands of times in a bank: resolve each spelling
        # once (is it a number? null? text?) rather than through the resolver's regexes.
        self.plain_tags: dict[str, str] = {}

    def compose(self) -> yaml.Node | None:
        """The first document's root node (None for an empty stream)."""
        try:
            return self.read_stream()
        finally:
            self.loader.dispose()

    def read_stream(self) -> yaml.Node | None:
        root = None
        second_document = None
        # The collections still open, innermost last. Until its end, a mapping's value is the
        # flat list key, value, key, value... (``pair_up`` makes the pairs).
        open_nodes: list[yaml.CollectionNode] = []
        next_event = self.loader.get_event
        while True:
            event = next_event()
            kind = event.__class__
            if kind is ScalarEvent:
                node = self.scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                open_nodes.append(self.collection(event))
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = open_nodes.pop()
                node.end_mark = event.end_mark
                if kind is MappingEndEvent:
                    pair_up(node)
            elif kind is AliasEvent:
                node = self.alias(event)
            elif kind is StreamEndEvent:
                break
            else:  # the stream's start, a document's start or end
                if kind is DocumentStartEvent and root is not None and second_document is None:
                    second_document = event
                continue
            if open_nodes:
                open_nodes[-1].value.append(node)
            elif root is None:
                root = node
        if second_document is not None and not self.errors:
            raise ComposerError(
                "expected a single document in the stream",
                root.start_mark,
                "but found another document",
                second_document.start_mark,
            )
        return root

    def scalar(self, event: ScalarEvent) -> yaml.ScalarNode:
        tag = event.tag
        if tag is not None or event.anchor is not None:
            self.refuse_properties(event)
        if tag is None:
            tag = self.plain_tag(event.value) if event.implicit[0] else STR_TAG
        return yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)

    def plain_tag(self, value: str) -> str:
        tag = self.plain_tags.get(value)
        if tag is None:
            tag = self.loader.resolve(yaml.ScalarNode, value, (True, False))
            self.plain_tags[value] = tag
        return tag

    def collection(self, event: MappingStartEvent | SequenceStartEvent) -> yaml.Node:
        self.refuse_properties(event)
        if event.__class__ is MappingStartEvent:
            node_class, tag = yaml.MappingNode, MAP_TAG
        else:
            node_class, tag = yaml.SequenceNode, SEQ_TAG
        return node_class(event.tag or tag, [], event.start_mark, None, event.flow_style)

    def alias(self, event: AliasEvent) -> yaml.Node:
        """Refuse it; a null stands in for it so that the rest of the file is still read."""
        self.error(event, NO_ALIASES.format(name=event.anchor))
        return yaml.ScalarNode(NULL_TAG, "", event.start_mark, event.end_mark)

    def refuse_properties(self, event: yaml.NodeEvent) -> None:
        if event.anchor:
            self.error(event, NO_ANCHORS.format(name=event.anchor))
        if event.tag is not None:
            self.error(event, NO_TAGS.format(tag=event.tag.replace(CORE_TAG_PREFIX, "!!")))

    def error(self, event: yaml.Event, message: str) -> None:
        self.errors.append(BankError(self.display, event.start_mark.line + 1, message))


def pair_up(mapping: yaml.MappingNode) -> None:
    """key, value, key, value... -> (key, value) pairs, as ``yaml.compose`` gives them."""
    items = mapping.value
    mapping.value = list(zip(items[0::2], items[1::2], strict=True))
