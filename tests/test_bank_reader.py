"""The one-pass strict reader builds the tree and the errors the old two passes did.

The reference below is the reader as it was before it was made one pass: ``yaml.parse`` to
refuse anchors, aliases and tags, then ``yaml.compose``. Every case must give the same node
tree (tags, values, styles, positions) or the same ``path:line: message`` errors. Also: the
collector pause around it, and the order of the rules' key errors.
"""

import gc

import pytest
import yaml

from benchmarks.loader import question_yaml
from quizzes.authoring.banks.reader import (
    NO_ALIASES,
    NO_ANCHORS,
    NO_TAGS,
    BankError,
    YamlLoader,
    compose_strictly,
    syntax_error,
)
from quizzes.authoring.banks.schema import read_bank_file
from tests.banks import GOOD_EXAMS, GOOD_TOPIC

PATH = "bank.yaml"


def two_pass_reference(text: str, loader=YamlLoader) -> tuple[yaml.Node | None, list[BankError]]:
    errors: list[BankError] = []
    try:
        for event in yaml.parse(text, Loader=loader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                errors.append(BankError(PATH, line, NO_ALIASES.format(name=event.anchor)))
                continue
            if getattr(event, "anchor", None):
                errors.append(BankError(PATH, line, NO_ANCHORS.format(name=event.anchor)))
            tag = getattr(event, "tag", None)
            if tag is not None and isinstance(event, yaml.NodeEvent):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                errors.append(BankError(PATH, line, NO_TAGS.format(tag=shown)))
        if errors:
            return None, errors
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_error(exc, PATH)]
    if node is None:
        return None, [BankError(PATH, 1, "the file is empty")]
    return node, []


def shape(node: yaml.Node | None):
    """Everything the schema can see of a node, recursively, as plain data."""
    if node is None:
        return None
    where = (
        node.start_mark.line,
        node.start_mark.column,
        node.end_mark.line,
        node.end_mark.column,
    )
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, where)
    if isinstance(node, yaml.SequenceNode):
        return ("list", node.tag, node.flow_style, where, [shape(n) for n in node.value])
    pairs = [(shape(k), shape(v)) for k, v in node.value]
    return ("mapping", node.tag, node.flow_style, where, pairs)


CASES = {
    "good topic": GOOD_TOPIC,
    "good exams": GOOD_EXAMS,
    "generated questions": "questions:\n" + question_yaml("t", 1) + question_yaml("t", 2),
    "implicit types": (
        "a: ~\nb: null\nc: yes\nd: 12\ne: 0x1f\nf: 1_000\ng: 1.5\nh: 2024-01-01\n"
        "i: '12'\nj: \"yes\"\nk:\nl: ''\nm: .inf\n<<: merged\n"
    ),
    "markup characters in text": "a: Q&A, **bold**, wow!\nb: '*not an alias*'\nc: \"&\"\n",
    "flow collections": "a: [1, {b: c}, [d]]\ne: {f: [g, h]}\n",
    "complex key": "? [a, b]\n: c\n",
    "block scalars": "a: |\n  one\n  two\nb: >-\n  three\n  four\n",
    "explicit document": "---\na: 1\n...\n",
    "anchor and alias": "a: &first one\nb: *first\n",
    "anchored collections": "a: &m {x: 1}\nb: &s [1]\nc: *m\n",
    "anchor with tag": "a: &x !!str one\n",
    "undefined alias": "a: *nowhere\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "python tag": "a: !!python/object:os.system x\n",
    "local tag": "a: !local x\nb: !!map {c: d}\nc: !!seq [1]\n",
    "non-specific tag": "a: ! x\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "three documents": "---\na: 1\n---\nb: 2\n---\nc: 3\n",
    "anchor in the second document": "a: 1\n---\nb: &x 2\n",
    "syntax error in the second document": "a: 1\n---\nb: [2\n",
    "syntax error after an anchor": "a: &x 1\nb: [2\n",
    "flow sequence not closed": "a: [b\nc: d\n",
    "mapping in a plain scalar": "a: b: c\n",
    "tab indentation": "a:\n\tb: c\n",
    "unterminated quote": "a: 'b\n",
    "empty": "",
    "only a comment": "# nothing here\n",
    "empty document": "---\n",
    "document end only": "...\n",
    "a bare scalar": "just text\n",
}


@pytest.fixture(params=["libyaml", "pure Python"])
def loader(request, monkeypatch):
    """Both parsers: libyaml's when the wheel has it, PyYAML's own otherwise."""
    if request.param == "pure Python":
        monkeypatch.setattr("quizzes.authoring.banks.reader.YamlLoader", yaml.SafeLoader)
        return yaml.SafeLoader
    return YamlLoader


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_one_pass_matches_the_two_pass_reader(text, loader):
    expected_node, expected_errors = two_pass_reference(text, loader)

    node, errors = compose_strictly(text, PATH)

    assert errors == expected_errors
    assert shape(node) == shape(expected_node)


def test_every_refused_property_is_named_with_its_line():
    text = "a: &one x\nb: *one\nc: !!str y\nd: &two !!int 1\n"

    _, errors = compose_strictly(text, PATH)

    assert [str(e) for e in errors] == [
        "bank.yaml:1: anchors (&one) are not allowed: write each value out in full",
        "bank.yaml:2: aliases (*one) are not allowed: write the value out in full",
        "bank.yaml:3: explicit tags (!!str) are not allowed: remove the tag",
        "bank.yaml:4: anchors (&two) are not allowed: write each value out in full",
        "bank.yaml:4: explicit tags (!!int) are not allowed: remove the tag",
    ]


def test_the_garbage_collector_is_back_on_after_reading():
    assert gc.isenabled()

    compose_strictly(GOOD_TOPIC, PATH)
    compose_strictly("a: [b\n", PATH)

    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off():
    gc.disable()
    try:
        compose_strictly(GOOD_TOPIC, PATH)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_frozen_elsewhere_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        compose_strictly(GOOD_TOPIC, PATH)
        # An unfreeze would empty the permanent generation; a frozen object freed meanwhile
        # (another test's garbage) may lower the count a little, so not an equality.
        assert gc.get_freeze_count() > frozen // 2 > 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_the_rules_name_each_repeated_and_unknown_key_once_in_file_order():
    text = "topic:\n  title: T\n  slug: s\n  colour: red\n  title: U\n  slug: t\n  slug: u\n"
    root, _ = compose_strictly(text + "questions: []\n", PATH)

    _, errors = read_bank_file(root, PATH)

    assert [str(e) for e in errors] == [
        "bank.yaml:4: unknown key 'colour' in topic; allowed keys: notes, slug, source, title",
        "bank.yaml:5: duplicate key 'title' in topic: defined at bank.yaml:2 and bank.yaml:5",
        "bank.yaml:7: duplicate key 'slug' in topic: defined at bank.yaml:3 and bank.yaml:6 and "
        "bank.yaml:7",
    ]
