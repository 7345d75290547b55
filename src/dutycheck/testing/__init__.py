"""Tools for testing duties and plugins: build a bundle, run an assessment, and check
behaviour cases written in YAML (evidence in, ratings out).

    from dutycheck.testing import write_bundle, assess, load_test_cases, run_test_case
    from dutycheck.testing import assert_plugin_valid

This module is public and stable; the built-in plugins use it exactly as a partner does.
"""

from __future__ import annotations

from .assessment import Assessment, assess
from .bundles import write_bundle
from .cases import TestCase, load_test_cases, run_test_case
from .validity import assert_plugin_valid

__all__ = ["Assessment", "TestCase", "assert_plugin_valid", "assess", "load_test_cases",
           "run_test_case", "write_bundle"]
