"""Reading the staff-edited YAML files in content/ (facts, safety net, job flags).

Imports only the standard library and PyYAML: the action server (Python 3.10) uses it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import DataFileError


def read_yaml(path: Path, error: type[DataFileError]) -> Any:
    """Parse ``path``; raise ``error`` naming the file when it cannot be read or parsed."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read it: {exc}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from None
