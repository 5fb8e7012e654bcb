"""The sandbox: a local emulator of Alibaba ICE and Tencent Live snapshot APIs (DESIGN.md §8).

Owns the vendor fakes (`ice`, `tencent`, `tencent_templates`), independent signature checks
(`signing`), fault injection (`faults`), the business clock (`clock`), the store (`store`) and the
loopback server (`server`). Imports only the stdlib and httpx: nothing from the rest of livesnap,
so it can judge livesnap's requests without sharing its mistakes.
"""

from livesnap_reconcile.emulator.clock import Clock
from livesnap_reconcile.emulator.core import SANDBOX_KEYS, Emulator
from livesnap_reconcile.emulator.faults import FaultRule, Faults
from livesnap_reconcile.emulator.server import SandboxServer, serve
from livesnap_reconcile.emulator.store import StoreError

__all__ = ["SANDBOX_KEYS", "Clock", "Emulator", "FaultRule", "Faults", "SandboxServer", "StoreError", "serve"]
