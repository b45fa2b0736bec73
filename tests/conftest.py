"""Shared pytest configuration.

Under CI (CI=true) hypothesis runs derandomized, so a run is reproducible.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
