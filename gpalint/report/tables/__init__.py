"""The template's tables, recovered from any layout: the model (model.py), the tokens a table region is cut into
(tokens.py), the solver for digits glued together (glued.py), and the recovery itself (recovery.py)."""
from __future__ import annotations

from .model import Issue, Table, Value
from .recovery import recover_tables

__all__ = ["Issue", "Table", "Value", "recover_tables"]
