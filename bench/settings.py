"""Settings of the benchmarked app: the app's own (config.settings.base, read from the
environment like any deployment), served with the bench URLconf, which adds the floor
views beside every page of the app."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, CACHES

ROOT_URLCONF = "bench.urls"
DEBUG = False
# The in-process measurements use Django's test client.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Each run caches under a prefix of its own: nothing cached from an earlier data set is read.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")
