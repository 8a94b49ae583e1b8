"""YAML read with the line of every value, and with limits that keep a hostile file cheap.

The bank loader and the YAML import need to say `file:line: what is wrong`, which plain
`yaml.safe_load` cannot (it returns bare values). `parse_yaml` composes the document,
then turns it into `Node`s that keep each value's line.

A file is refused, with a problem on the line at fault and never an exception, when it
holds more than `MAX_ALIASES` aliases, nests collections deeper than `MAX_DEPTH`, has an
alias inside the very node it names (`a: &a [*a]`), or has aliases that would expand to
more than `MAX_EXPANDED` values besides those written out (a "billion laughs" bomb of a
few hundred bytes). Reading is thus linear in the file's size: every value is built once,
plus at most `MAX_EXPANDED` copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

MAX_ALIASES = 100
MAX_DEPTH = 50
MAX_EXPANDED = 10_000


@dataclass
class Node:
    """A YAML value and the line it is on: a scalar as YAML reads it (str, int, bool, date…),
    a mapping as dict[key, Node] (each on its key's line), a sequence as list[Node].
    `raw` is a scalar's text as written, so that `weight: 33.33` is read exactly."""

    value: Any
    line: int
    raw: str | None = None


class Problems(list[tuple[str, int, str]]):
    """Each problem as (path, line, the problem as printed)."""

    def add(self, path: Path | str, line: int | None, message: str) -> None:
        self.append(
            (str(path), line or 0, f"{path}:{line}: {message}" if line else f"{path}: {message}")
        )

    def report(self) -> list[str]:
        """The problems file by file, in the order the files were read, each file by line."""
        files: dict[str, int] = {}
        for path, _, _ in self:
            files.setdefault(path, len(files))
        return [text for _, _, text in sorted(self, key=lambda p: (files[p[0]], p[1]))]


class _TooMuch(ComposerError):
    """A document past one of the module's limits: reported, never read on."""


class _LimitingComposer(Composer):
    """Composer of a safe loader that counts aliases and depth as it goes."""

    aliases = 0
    depth = 0

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _TooMuch(None, None, f"more than {MAX_ALIASES} aliases", mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _TooMuch(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

if CParser is not None:
    # libyaml scans and parses (ten times faster than PyYAML's Python scanner); the
    # composer stays ours, in Python, to count aliases and depth.
    class _LimitedLoader(_LimitingComposer, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _LimitedLoader(_LimitingComposer, yaml.SafeLoader):  # type: ignore[no-redef]
        pass


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def read_yaml(path: Path, problems: Problems) -> Node | None:
    """The document of `path` with its lines, or None (and a problem) if it can't be read."""
    if not path.is_file():
        problems.add(path, None, "missing file")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.add(path, None, f"not UTF-8 text ({error.reason})")
        return None
    return parse_yaml(text, path, problems)


def parse_yaml(text: str, path: Path | str, problems: Problems) -> Node | None:
    """The YAML document `text` with its lines, or None (and a problem) if it is not YAML
    or breaks a limit of the module doc."""
    loader = None
    try:
        loader = _LimitedLoader(text)  # its reader refuses control characters at once
        root = loader.get_single_node()
    except _TooMuch as error:
        mark = error.problem_mark
        problems.add(path, mark.line + 1 if mark else None, f"YAML refused: {error.problem}")
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = "; ".join(str(part) for part in (error.context, error.problem) if part)
        problems.add(path, mark.line + 1 if mark else None, f"YAML syntax error: {what}")
        return None
    except yaml.YAMLError as error:
        problems.add(path, None, f"YAML error: {error}")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return Node(None, 1)
    converter = _Converter(path, problems)
    try:
        return converter.convert(root)
    except _Refused as refused:
        problems.add(path, refused.line, refused.message)
        return None


class _Converter:
    """Composed nodes into `Node`s, each alias copied, within the module's limits."""

    def __init__(self, path: Path | str, problems: Problems) -> None:
        self.path = path
        self.problems = problems
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()  # nodes built at least once: another build is a copy
        self.copies = 0
        self.open: set[int] = set()  # collections being built, to catch a node inside itself

    def convert(self, node: yaml.Node) -> Node:
        line = node.start_mark.line + 1
        if id(node) in self.open:
            raise _Refused(line, "YAML refused: an alias inside the collection it names")
        if id(node) in self.seen:
            self.copies += 1
            if self.copies > MAX_EXPANDED:
                raise _Refused(
                    line, f"YAML refused: its aliases copy more than {MAX_EXPANDED:,} values"
                )
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            self.open.add(id(node))
            fields: dict[Any, Node] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node)
                key_line = key_node.start_mark.line + 1
                if key in fields:
                    self.problems.add(
                        self.path, key_line, f"'{key}' given twice (also line {fields[key].line})"
                    )
                value = self.convert(value_node)
                fields[key] = Node(value.value, key_line, value.raw)
            self.open.discard(id(node))
            return Node(fields, line)
        if isinstance(node, yaml.SequenceNode):
            self.open.add(id(node))
            items = [self.convert(item) for item in node.value]
            self.open.discard(id(node))
            return Node(items, line)
        return Node(self.scalar(node), line, node.value)

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problems.add(self.path, node.start_mark.line + 1, "a key must be a plain value")
            return f"<{node.id}>"
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:
            # An impossible date such as 1990-02-30 looks like a timestamp to YAML; keep the
            # text so that the date check can say what is wrong with it.
            return node.value
        except yaml.YAMLError as error:
            self.problems.add(
                self.path, node.start_mark.line + 1, f"unsupported YAML value: {error}"
            )
            return node.value
