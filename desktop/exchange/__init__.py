"""Submission files: export (county), verify (hostile input), import and consolidate (city).

See docs/exchange.md. Public API:

- ``export_submission(ws, year, out=None, *, nature=None) -> Path``
- ``verify_submission(path) -> VerifyResult``
- ``import_submissions(ws, paths_or_dirs, *, progress=None, cancel=None) -> ImportReport``
- ``consolidate(ws, year) -> Consolidation`` and ``write_consolidation(ws, result)``
- ``diff_files(a, b)`` / ``diff_versions(ws, region, year, old, new) -> SubmissionDiff``
- ``register_regions(ws, [(code, name, valid_from, valid_to), …])`` for the 未报送 list
"""
from __future__ import annotations

from .combine import ConsolidatedValues, RegionValue, RegionValues, combine
from .consolidate import Consolidation, IndicatorConsolidation, consolidate, write_consolidation
from .diff import SubmissionDiff, diff_files, diff_versions
from .export import default_name, export_submission
from .importer import ImportItem, ImportReport, import_submissions, register_regions
from .manifest import Manifest
from .verify import VerifyResult, verify_submission

__all__ = [
    "ConsolidatedValues", "Consolidation", "ImportItem", "ImportReport", "IndicatorConsolidation", "Manifest",
    "RegionValue", "RegionValues", "SubmissionDiff", "VerifyResult", "combine", "consolidate", "default_name",
    "diff_files", "diff_versions", "export_submission", "import_submissions", "register_regions",
    "verify_submission", "write_consolidation",
]
