"""The fast way to load a plain manifest: data straight from the parser's events, in one pass.

Composing a node graph first (what `yamlfile` does to report problems with their lines) costs
more time and memory than the data it yields, and its depth limit needs a text scan before the
composer may run. Most manifests are plain: mappings, lists and scalars, no anchors, aliases,
merge keys or explicit tags. `plain_data` builds those from the event stream with an explicit
stack, so the nesting limit is exact and checked as the events arrive, and gives up (returns
None) at the first thing it does not handle or that is wrong. It never decides what a document
means when it gives up: `yamlfile` then parses the same text its careful way, which refuses or
accepts it and words every problem. So for any document this returns data for, that data equals
what `yamlfile`'s builder makes of it (tests hold the two to that).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + name for name in ("str", "null", "bool", "int", "float"))
_SCALARS = SafeConstructor()
# What a frame of the key stack holds while no key is pending: a mapping before its next key,
# a list always (its items need none).
_AWAITING_KEY, _LIST_ITEM = object(), object()


class _NotPlain(Exception):
    """Something this reader leaves to the careful parse (see the module docstring)."""


def plain_data(text: str, loader_class: Any, max_depth: int) -> dict[str, Any] | None:
    """The mapping ``text`` holds, or None if it is not plain, not a mapping, or not valid YAML.

    ``loader_class`` supplies the parser and the implicit-type rules of `yamlfile`; more than
    ``max_depth`` open collections count as "not plain", so the reading stops right there.
    """
    loader = None
    try:
        loader = loader_class(text)
        return _read(loader, max_depth)
    except (_NotPlain, yaml.YAMLError):
        return None
    finally:
        if loader is not None:
            loader.dispose()


def _read(loader: Any, max_depth: int) -> dict[str, Any]:
    get = loader.get_event
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        raise _NotPlain
    start = get()
    if type(start) is not MappingStartEvent or start.anchor is not None or start.tag is not None:
        raise _NotPlain
    root: dict[str, Any] = {}
    # Parallel stacks: the open collections, and for each mapping the key whose value comes next.
    frames: list[Any] = [root]
    keys: list[Any] = [_AWAITING_KEY]
    resolve = _Resolver(loader)
    while frames:
        event = get()
        kind = type(event)
        top = frames[-1]
        pending = keys[-1]
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            frames.pop()
            keys.pop()
            continue
        if kind is not ScalarEvent and kind is not MappingStartEvent and kind is not SequenceStartEvent:
            raise _NotPlain  # an alias
        if event.anchor is not None or event.tag is not None:
            raise _NotPlain  # anchors and tags: only the careful parse handles them
        if kind is ScalarEvent:
            if pending is _AWAITING_KEY:
                key = event.value
                if key in top or (key == "<<" and event.implicit[0]):
                    raise _NotPlain  # a repeated key (an error) or a merge key
                keys[-1] = key
                continue
            value: Any = resolve(event)
        elif pending is _AWAITING_KEY:
            raise _NotPlain  # a collection as a key
        else:
            value = {} if kind is MappingStartEvent else []
        if pending is _LIST_ITEM:
            top.append(value)
        else:
            top[pending] = value
            keys[-1] = _AWAITING_KEY
        if kind is not ScalarEvent:
            frames.append(value)
            keys.append(_AWAITING_KEY if kind is MappingStartEvent else _LIST_ITEM)
            if len(frames) > max_depth:
                raise _NotPlain
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise _NotPlain  # a second document: the careful parse words that error
    return root


class _Resolver:
    """A scalar event's value with `yamlfile`'s implicit types (``yamlfile._Builder._scalar``)."""

    def __init__(self, loader: Any) -> None:
        self._resolve = loader.resolve
        self._first_chars = frozenset(loader.yaml_implicit_resolvers)
        if None in self._first_chars:
            self._first_chars = frozenset()  # a catch-all resolver: ask it about every value

    def __call__(self, event: ScalarEvent) -> object:
        value = event.value
        if not event.implicit[0]:
            return value  # quoted or block scalars without a tag are strings
        if self._first_chars and (value[:1] if value else "") not in self._first_chars:
            return value  # no implicit type starts with this character
        tag = self._resolve(ScalarNode, value, event.implicit)
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _SCALARS.construct_yaml_bool(ScalarNode(tag, value))
        if tag == _INT:
            return _SCALARS.construct_yaml_int(ScalarNode(tag, value))
        if tag == _FLOAT:
            return _SCALARS.construct_yaml_float(ScalarNode(tag, value))
        raise _NotPlain  # merge or value tags as values: the careful parse refuses them
