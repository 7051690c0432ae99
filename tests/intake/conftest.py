"""Qt tests here run headless like the rest (QT_QPA_PLATFORM=offscreen from tests/conftest.py)."""
