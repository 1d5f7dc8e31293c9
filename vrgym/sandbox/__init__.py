"""vrgym.sandbox: run untrusted code behind one `Executor` interface.

    from vrgym.sandbox import Job, Limits, get_executor
    with get_executor("local") as sandbox:
        result = sandbox.run(Job(argv=("python", "main.py"), files={"main.py": "print(6 * 7)"}))
    result.status, result.stdout   # (ExecStatus.OK, '42\\n')

Backends: "local" (`LocalExecutor`, fork-servers on this host, the embedded default) and
"docker" (`DockerExecutor`, warm locked-down containers). Both run the same stdlib-only
fork-server (`server.py`) speaking length-prefixed JSON frames (`protocol.py`). Only inputs go
into a sandbox; whoever checks results compares them outside. Importing this package is cheap:
the backends load on first use.
"""

from __future__ import annotations

from typing import Any

from vrgym.sandbox.executor import (
    Executor,
    SandboxUnavailable,
    default_executor,
    get_executor,
)
from vrgym.sandbox.types import ExecResult, ExecStatus, Job, Limits

__all__ = [
    "ExecResult",
    "ExecStatus",
    "Executor",
    "Job",
    "Limits",
    "LocalExecutor",
    "SandboxUnavailable",
    "default_executor",
    "get_executor",
]


def __getattr__(name: str) -> Any:
    if name == "LocalExecutor":  # lazy: keeps `import vrgym.sandbox` free of subprocess machinery
        from vrgym.sandbox.local import LocalExecutor

        return LocalExecutor
    raise AttributeError(f"module 'vrgym.sandbox' has no attribute {name!r}")
