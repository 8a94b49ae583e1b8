"""The YAML reader: values with their lines, and hostile documents refused cheaply."""

import time

from quizapp.domain.yaml_reader import MAX_ALIASES, MAX_DEPTH, Problems, parse_yaml

# The classic "billion laughs": nine levels of nine aliases each, a few hundred bytes.
ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{','.join(['*' + chr(ord('a') + i - 1)] * 9)}]"
        for i in range(1, 9)
    ]
)


def parse(text: str) -> tuple[object, list[str]]:
    problems = Problems()
    node = parse_yaml(text, "bank.yaml", problems)
    return node, problems.report()


def test_values_keep_their_lines():
    node, problems = parse("questions:\n  - id: a\n    prompt: Why?\n")
    assert problems == []
    question = node.value["questions"].value[0].value
    assert (question["id"].value, question["prompt"].line) == ("a", 3)


def test_an_alias_bomb_is_refused_in_a_moment():
    started = time.process_time()
    node, problems = parse(ALIAS_BOMB)
    assert time.process_time() - started < 1
    assert node is None
    assert len(problems) == 1
    assert problems[0].startswith("bank.yaml:")
    assert "YAML refused: its aliases copy more than 10,000 values" in problems[0]


def test_more_than_a_hundred_aliases_are_refused_on_the_line_of_the_one_too_many():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    node, problems = parse(text)
    assert node is None
    assert problems == [f"bank.yaml:2: YAML refused: more than {MAX_ALIASES} aliases"]


def test_an_alias_inside_the_collection_it_names_is_refused():
    node, problems = parse("a: &a [*a]\n")
    assert node is None
    assert problems == ["bank.yaml:1: YAML refused: an alias inside the collection it names"]


def test_a_list_nested_500_deep_is_refused_not_a_recursion_error():
    node, problems = parse("a: " + "[" * 500 + "]" * 500 + "\n")
    assert node is None
    assert problems == [f"bank.yaml:1: YAML refused: nested deeper than {MAX_DEPTH} levels"]


def test_nesting_of_fifty_is_still_read():
    node, problems = parse("[" * 49 + "]" * 49)
    assert problems == []


def test_a_few_aliases_are_read_as_copies():
    node, problems = parse("a: &a {x: 1}\nb: *a\n")
    assert problems == []
    assert node.value["b"].value["x"].value == 1
