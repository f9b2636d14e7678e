"""How paths are shown in messages: relative to where the user stands, so editors can open them."""

from __future__ import annotations

import os
from pathlib import Path


def display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative
