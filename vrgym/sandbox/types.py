"""The sandbox's value types: `Limits`, `Job`, `ExecStatus`, `ExecResult`.

Every backend (local fork-server, Docker) speaks these types, so a verifier written against them
runs unchanged on either. They are frozen pydantic models because they cross process boundaries
(JSON frames to the fork-server, Ray workers, logs) and must mean the same thing on both sides.
"""

from __future__ import annotations

from enum import Enum
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_FILES_BYTES = 64 * 1024 * 1024
"""Upper bound on the total size of a job's files + stdin: a job is a program, not a data set."""


class Limits(BaseModel):
    """Per-job resource limits; every backend enforces all of them (how is backend-specific)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wall_seconds: float = Field(default=10.0, gt=0, le=3600, description="Wall clock; on expiry the job's processes are SIGKILLed -> TIMEOUT.")
    cpu_seconds: int = Field(default=10, ge=1, le=3600, description="RLIMIT_CPU of each process (SIGXCPU -> TIMEOUT).")
    memory_mb: int = Field(default=512, ge=16, le=1 << 20, description="RLIMIT_AS (address space) in MiB -> MEMORY.")
    processes: int = Field(default=32, ge=1, le=1 << 16, description="RLIMIT_NPROC (docker: also the pids limit).")
    file_size_mb: int = Field(default=16, ge=0, le=1 << 20, description="RLIMIT_FSIZE: the largest file a job may write.")
    open_files: int = Field(default=64, ge=8, le=1 << 20, description="RLIMIT_NOFILE.")
    output_bytes: int = Field(default=4_000_000, ge=1, le=1 << 30, description="Cap on stdout and on stderr; beyond it the job is killed -> OUTPUT_LIMIT.")


class Job(BaseModel):
    """One program run: argv, the files of its work dir, its stdin and its limits.

    `argv[0] == "python"` means the sandbox's own isolated interpreter (on the host: the
    fork-server's `sys.executable -I -S`, running the script in a forked child without starting a
    new interpreter; in a container: the image's python3). The job runs in a fresh private work
    dir holding `files`; nothing survives from one job to the next.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    argv: tuple[str, ...] = Field(min_length=1)
    files: dict[str, str] = Field(default_factory=dict, description="Relative path -> text content, written into the work dir first.")
    stdin: str = ""
    limits: Limits = Field(default_factory=Limits)

    @field_validator("argv")
    @classmethod
    def _argv_ok(cls, argv: tuple[str, ...]) -> tuple[str, ...]:
        if not argv[0]:
            raise ValueError("argv[0] is empty: give a program, e.g. ('python', 'main.py')")
        if any("\x00" in a for a in argv):
            raise ValueError("argv contains a NUL byte, which no program can receive; remove it")
        return argv

    @field_validator("files")
    @classmethod
    def _files_ok(cls, files: dict[str, str]) -> dict[str, str]:
        for name in files:
            check_relative_path(name)
        total = sum(len(text) for text in files.values())
        if total > MAX_FILES_BYTES:
            raise ValueError(f"job files hold {total} characters, more than {MAX_FILES_BYTES}; pass smaller inputs")
        return files


def check_relative_path(name: str) -> str:
    """Validate a job file name: relative, inside the work dir, no NUL; returns it unchanged.

    Why here and again in the server: the model never names files, but a dataset row might, and
    a path like '../../etc/x' must not let a job's setup write outside its work dir.
    """
    path = PurePosixPath(name)
    if not name or "\x00" in name or path.is_absolute() or ".." in path.parts or name.endswith("/"):
        raise ValueError(f"job file name {name!r} must be a relative path inside the work dir (no '..', no leading '/')")
    return name


class ExecStatus(str, Enum):
    """How a job ended. Only SANDBOX_ERROR is the sandbox's fault; every other status is the job's."""

    OK = "ok"
    RUNTIME_ERROR = "runtime_error"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    OUTPUT_LIMIT = "output_limit"
    SANDBOX_ERROR = "sandbox_error"


class ExecResult(BaseModel):
    """What came back from one job: status, exit code or signal, captured output and timing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ExecStatus
    exit_code: int | None = None
    signal: int | None = None
    stdout: str = ""
    stderr: str = ""
    truncated: bool = False
    wall_seconds: float = 0.0
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when the job ran to completion with exit code 0."""
        return self.status is ExecStatus.OK

    @classmethod
    def sandbox_error(cls, detail: str, wall_seconds: float = 0.0) -> ExecResult:
        """A result saying the sandbox itself failed (never the model's fault); `detail` says why."""
        return cls(status=ExecStatus.SANDBOX_ERROR, detail=detail[:2000], wall_seconds=wall_seconds)

    def summary(self) -> dict[str, Any]:
        """A short JSON-able view (status, codes, sizes) for logs, without the full output."""
        return {
            "status": self.status.value,
            "exit_code": self.exit_code,
            "signal": self.signal,
            "stdout_chars": len(self.stdout),
            "stderr_chars": len(self.stderr),
            "truncated": self.truncated,
            "wall_seconds": round(self.wall_seconds, 4),
            "detail": self.detail,
        }
