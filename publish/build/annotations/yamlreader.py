"""YAML that remembers line numbers, so every curator error can say ``file:line``.

PyYAML's ``safe_load`` forgets where a value came from; composing the node tree and converting it
ourselves keeps the line of each mapping and of each key, and catches keys given twice (which
``safe_load`` silently resolves to the last one).
"""

from __future__ import annotations

from typing import Any

import yaml

from publish.errors import AnnotationError


class Lined(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


_constructor = yaml.constructor.SafeConstructor()


def _convert(node: yaml.Node, path: str, errors: list[AnnotationError]) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = Lined()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = str(_constructor.construct_object(key_node, deep=True))
            line = key_node.start_mark.line + 1
            if key in out:
                errors.append(AnnotationError(path, line, key, "key given twice"))
            out[key] = _convert(value_node, path, errors)
            out.key_lines[key] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path, errors) for item in node.value]
    return _constructor.construct_object(node, deep=True)


def parse_yaml(text: str, path: str) -> tuple[Any, list[AnnotationError]]:
    errors: list[AnnotationError] = []
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return None, [AnnotationError(path, line, None, f"not valid YAML: {exc}")]
    if node is None:
        return Lined(), errors
    return _convert(node, path, errors), errors
