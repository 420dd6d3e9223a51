"""Which optional readers are installed — looked up without importing them (importing the OCR engine takes a second,
and ``readers`` asks at start-up)."""
from __future__ import annotations

import importlib.util
from functools import lru_cache

OCR_INSTALL = "pip install 'gpalint[ocr]'"
_OCR_MODULES = ("rapidocr", "onnxruntime", "cv2", "numpy", "PIL", "pypdfium2")


@lru_cache(maxsize=1)
def ocr_available() -> bool:
    """Is the OCR extra (gpalint[ocr]) installed?"""
    return all(importlib.util.find_spec(m) is not None for m in _OCR_MODULES)
