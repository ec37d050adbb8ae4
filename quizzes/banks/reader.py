"""Read one YAML bank file strictly, keeping the line number of every node.

PyYAML on its own is too forgiving for files that trainers write by hand: it silently keeps
the last of two duplicate keys and builds Python objects from tags. Here every anchor, alias
and explicit tag is refused, and the schema (``schema.py``) refuses duplicate keys, so a
file means exactly what it says.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

MAX_FILE_BYTES = 2 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"

# libyaml when the wheel has it (about ten times faster on large banks).
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


def read_yaml(path: Path, display: str) -> tuple[yaml.Node | None, list[BankError]]:
    """Parse one file into a YAML node tree; ``display`` is the path used in messages."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [BankError(display, 1, FILE_TOO_LARGE.format(size=size / 1024 / 1024))]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [BankError(display, 1, UNREADABLE.format(reason=exc.strerror or exc))]
    text, error = decode_utf8(raw, display)
    if error:
        return None, [error]
    return compose_strictly(text, display)


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
    """Refuse anchors, aliases and tags, then build the node tree."""
    errors: list[BankError] = []
    try:
        for event in yaml.parse(text, Loader=YamlLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                errors.append(BankError(display, line, NO_ALIASES.format(name=event.anchor)))
                continue
            if getattr(event, "anchor", None):
                errors.append(BankError(display, line, NO_ANCHORS.format(name=event.anchor)))
            tag = getattr(event, "tag", None)
            if tag is not None and isinstance(event, yaml.NodeEvent):
                errors.append(
                    BankError(
                        display, line, NO_TAGS.format(tag=tag.replace("tag:yaml.org,2002:", "!!"))
                    )
                )
        if errors:
            return None, errors
        node = yaml.compose(text, Loader=YamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "unreadable YAML"
        if exc.context:
            started = exc.context_mark
            where = f" that started on line {started.line + 1}" if started else ""
            problem = f"{problem} ({exc.context}{where})"
        return None, [BankError(display, line, YAML_SYNTAX.format(problem=problem))]
    except yaml.YAMLError as exc:
        return None, [BankError(display, 1, YAML_SYNTAX.format(problem=exc))]
    if node is None:
        return None, [BankError(display, 1, EMPTY_FILE)]
    return node, []
