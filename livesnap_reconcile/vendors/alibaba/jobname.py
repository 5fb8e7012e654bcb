"""Where livesnap's ICE JobNames start: ``ls/<namespace>/``, the prefix discovery lists by.

Apart from `names` (which digests a job's fields) so that validating a manifest, which checks
how long a JobName would be, need not import json and hashlib.
"""

from __future__ import annotations

JOB_NAME_ROOT = "ls"


def job_name_prefix(namespace: str) -> str:
    """The prefix every JobName livesnap creates in ``namespace`` starts with (for discovery)."""
    return f"{JOB_NAME_ROOT}/{namespace}/"
