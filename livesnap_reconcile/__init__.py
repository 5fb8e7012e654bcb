"""livesnap: a declarative reconciler for live-stream snapshot jobs (Alibaba ICE, Tencent Live).

Kept import-free on purpose so `livesnap --version` starts fast.
"""

__version__ = "0.1.0"
