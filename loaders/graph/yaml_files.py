"""Reading the YAML that users hand to the loaders (graph configs, spreadsheet mappings): one reader, bounded.

YAML aliases (`*name`) are refused: neither file needs them, and a few hundred bytes of nested aliases (a "billion
laughs") expand to gigabytes. Errors are one line with the file, line and column.
"""

from __future__ import annotations

from typing import Any

import yaml

from kg.core.errors import ConfigError


class _NoAliases(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed here: they can multiply a small file into gigabytes",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def parse_yaml(text: str, where: str) -> Any:
    """The YAML document in `text`; ConfigError naming `where` (a file), the line and column if it is not valid."""
    try:
        return yaml.load(text, Loader=_NoAliases)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else where
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{at}: not valid YAML: {problem}") from None
    except RecursionError:
        raise ConfigError(f"{where}: not valid YAML: nested too deeply") from None
