"""`livesnap` exactly as the console script runs it, plus one log handler on the providers' logger.

The handler prints each retried attempt ("... attempt N failed (Throttled); retrying ...") on
stderr, so `bench.apply_rate` can count the throttled answers that retries absorbed without the
user seeing them. Nothing else differs from `livesnap`.
"""

from __future__ import annotations

import logging
import sys

from livesnap_reconcile.cli.main import main

if __name__ == "__main__":
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("bench-retry %(message)s"))
    logger = logging.getLogger("livesnap.providers")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    main()
