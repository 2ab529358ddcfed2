"""Safe YAML reading that remembers where every value came from.

Questionnaire authors need `FILE:LINE:COLUMN` in every message, so instead of
`yaml.safe_load` we compose the node graph (which carries marks) and convert it
ourselves. Converting ourselves also lets us refuse aliases outright: an alias
is the only way a YAML file can make its parsed size explode ("billion laughs").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C composer is about ten times faster and keeps marks too
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in the PyYAML wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class YamlSourceError(Exception):
    """The file cannot be read as data at all; carries where and why."""

    def __init__(self, location: Location, message: str):
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


@dataclass(frozen=True)
class Source:
    """Plain data read from a file plus the location of every value in it."""

    file: str
    data: Any
    locations: dict[Path_, Location]

    def where(self, path: Path_) -> Location:
        """Location of the value at `path`, or of its nearest located parent."""
        while path not in self.locations and path:
            path = path[:-1]
        return self.locations.get(path, Location(self.file, 1, 1))


def read_source(path: str | Path, display_name: str | None = None) -> Source:
    name = display_name or str(path)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlSourceError(
                Location(name, 1, 1),
                f"file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlSourceError(Location(name, 1, 1), f"cannot read file: {exc.strerror}") from exc
    return parse_source(raw, name)


def parse_source(raw: bytes | str, name: str) -> Source:
    if len(raw) > MAX_FILE_BYTES:
        raise YamlSourceError(Location(name, 1, 1), f"file exceeds {MAX_FILE_BYTES} bytes")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlSourceError(Location(name, 1, 1), "file is not valid UTF-8") from exc
    loader = _Loader(raw)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark:
            # e.g. an unclosed quote is found at the end; say where it began
            problem += f" ({exc.context} started at line {exc.context_mark.line + 1})"
        raise YamlSourceError(Location(name, line, col), f"YAML syntax error: {problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlSourceError(Location(name, 1, 1), f"YAML error: {exc}") from exc
    finally:
        loader.dispose()
    if node is None:
        raise YamlSourceError(Location(name, 1, 1), "file is empty")
    locations: dict[Path_, Location] = {}
    data = _convert(node, (), name, locations, set(), 0)
    return Source(name, data, locations)


def _loc(node: yaml.Node, name: str) -> Location:
    return Location(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node, path: Path_, name: str, locations: dict, seen: set[int], depth: int) -> Any:
    if id(node) in seen:
        # The composer hands back the anchored node itself for every alias.
        raise YamlSourceError(_loc(node, name), "YAML anchors and aliases are not allowed")
    if depth > MAX_DEPTH:
        raise YamlSourceError(_loc(node, name), f"nesting deeper than {MAX_DEPTH} levels")
    seen.add(id(node))
    locations[path] = _loc(node, name)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, name)
    if node.tag not in _COLLECTION_TAGS:  # e.g. !!python/object: never constructed
        raise YamlSourceError(_loc(node, name), f"unsupported YAML tag {node.tag}")
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, index), name, locations, seen, depth + 1)
            for index, item in enumerate(node.value)
        ]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if id(key_node) in seen or not isinstance(key_node, yaml.ScalarNode):
            raise YamlSourceError(_loc(key_node, name), "mapping keys must be plain scalars")
        key = _scalar(key_node, name)
        if key == "<<":
            raise YamlSourceError(_loc(key_node, name), "YAML merge keys are not allowed")
        key = str(key)
        if key in result:
            raise YamlSourceError(_loc(key_node, name), f"duplicate key '{key}'")
        result[key] = _convert(value_node, (*path, key), name, locations, seen, depth + 1)
        # A message about a key's value points at the key: that is where authors look.
        locations[(*path, key)] = _loc(key_node, name)
    return result


_constructor = yaml.SafeLoader("")
_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def _scalar(node: yaml.ScalarNode, name: str) -> Any:
    if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in {"true", "false"}:
        return node.value  # YAML 1.2 reading: yes/no/on/off stay words (answers are "yes"/"no")
    construct = _constructor.yaml_constructors.get(node.tag)
    if construct is None:
        raise YamlSourceError(_loc(node, name), f"unsupported YAML tag {node.tag}")
    try:
        return construct(_constructor, node)
    except (yaml.YAMLError, ValueError) as exc:
        raise YamlSourceError(_loc(node, name), f"invalid value: {exc}") from exc
