"""`DockerExecutor`: the fork-server running inside warm, locked-down Docker containers.

Why containers on top of the fork-server: the local executor shares the host's kernel objects,
filesystem and (where namespaces are not allowed) network with the job; a container adds its own
mount, pid, network and user view, a read-only root, a memory/pids/CPU cgroup and dropped
capabilities. Why warm containers: a fresh ``containers.run`` costs ~200 ms on 2 cores, while a job
sent to a fork-server that already runs in a container costs about as much as on the host.

Each container (see `lockdown`): ``network_mode="none"``, ``read_only=True``, a size-capped tmpfs on
``/tmp`` (the only writable place: the jobs' work dirs), jobs as user ``65534:65534`` without any
capability (the server above them is the container's root holding only SETUID/SETGID/KILL/CHOWN/
FOWNER/DAC_OVERRIDE, so no job can signal it), ``cap_drop=ALL``,
``no-new-privileges``, ``mem_limit == memswap_limit``, ``pids_limit``, ``nano_cpus``, ``init=True``
(tini reaps orphans), and labels ``vrgym.sandbox=1`` + the owner's pid and start time so a reaper can
remove what a crashed owner left behind (`reap_stale`, run at start-up, at exit and by
``vrgym sandbox reap``).

The executor talks to the server over the container's attached stdin/stdout: docker multiplexes
stdout and stderr on that socket without a tty (8-byte headers), so `_Channel` demultiplexes and
reads the protocol's length-prefixed frames from the stdout stream under a deadline (the watchdog:
an attach socket can freeze, a job can starve the server). Every other docker call goes through a
client with an HTTP timeout. One job at a time per container.

Recycling: a container is replaced after ``recycle_after`` jobs or at once after any anomaly — a
job that timed out, processes left behind (pids cgroup count above the idle baseline), a server
that died or broke the protocol. ``mode="per_call"`` runs each job in a fresh container removed
afterwards (multi-file or untrusted-state tasks); a job whose limits exceed the pool's containers
also runs per call, in a container sized for it.

Status rules: a container or engine failure mid-job is ``SANDBOX_ERROR`` (never the model's
failure, never an exception); the server being OOM-killed by the container's memory cgroup while a
job ran is ``MEMORY`` (the job's allocation caused it).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import select
import socket
import threading
import time
import weakref
from typing import Any, Literal

from vrgym.sandbox.executor import Executor, SandboxUnavailable
from vrgym.sandbox.image import SERVER_DIR, image_tag, server_command
from vrgym.sandbox.protocol import (
    HEADER,
    MAX_FRAME_BYTES,
    FrameTimeout,
    ProtocolError,
    decode_payload,
    encode_frame,
)
from vrgym.sandbox.types import ExecResult, ExecStatus, Job, Limits

LABEL = "vrgym.sandbox"
LABEL_OWNER = "vrgym.sandbox.owner"
LABEL_OWNER_START = "vrgym.sandbox.owner_start"
LABEL_HOST = "vrgym.sandbox.host"
LABEL_MODE = "vrgym.sandbox.mode"

API_TIMEOUT = 30.0  # seconds per docker API call: the watchdog of every HTTP request
START_TIMEOUT = 20.0  # container start until the server's hello frame
JOB_MARGIN = 10.0  # seconds beyond a job's wall limit before the server is declared hung
STDERR_KEPT = 8192  # bytes of the server's own stderr kept for diagnostics
SERVER_OVERHEAD_MB = 96  # container memory beyond the job's RLIMIT_AS (tini, the server, tmpfs pages)
SERVER_CAPABILITIES = ("SETUID", "SETGID", "KILL", "CHOWN", "FOWNER", "DAC_OVERRIDE")
# The container is the namespace. No RLIMIT_NPROC for jobs: it counts every process of uid 65534
# on the host, across all containers, so one job's fork bomb would make forks fail in a concurrent
# job elsewhere; each container runs one job at a time and its pids cgroup (`pids_limit`) bounds it.
SERVER_CONFIG = '{"namespaces": false, "drop_user": true, "nproc": false}'
EXTRA_PIDS = 8  # tini + the server + slack beyond the job's RLIMIT_NPROC

Mode = Literal["warm", "per_call"]

REMEDY = (
    "start an engine with `.ci/dockerd.sh` (as root), then build the image with `vrgym sandbox build-image`; "
    "or use the local executor (VRGYM_SANDBOX=local)"
)


# ------------------------------------------------------------------------------------------ engine


def connect(timeout: float = API_TIMEOUT) -> Any:
    """A docker client whose every API call times out; SandboxUnavailable when no engine answers."""
    try:
        import docker
    except ImportError as exc:
        raise SandboxUnavailable(f"the docker SDK is not installed ({exc}): pip install 'docker>=7'; then {REMEDY}") from None
    try:
        client = docker.from_env(timeout=int(timeout))
        client.ping()
    except Exception as exc:  # noqa: BLE001 - the SDK raises many kinds for "no engine"
        raise SandboxUnavailable(f"no Docker engine answers ({type(exc).__name__}: {exc}); {REMEDY}") from None
    return client


def _process_start(pid: int) -> str:
    """The start time of `pid` in clock ticks (field 22 of /proc/PID/stat), '' if unknown.

    Why: a pid alone is reused; pid + start time names one process, so the reaper never mistakes
    a new process for the crashed owner of old containers.
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


def _owner_alive(labels: dict[str, str]) -> bool:
    """Whether the process that created a container (per its labels) still runs on this host."""
    if labels.get(LABEL_HOST) != socket.gethostname():
        return True  # another machine's container: not ours to judge
    try:
        pid = int(labels.get(LABEL_OWNER, ""))
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    started = labels.get(LABEL_OWNER_START, "")
    return not started or _process_start(pid) == started


def reap_stale(client: Any, *, everything: bool = False) -> list[str]:
    """Remove sandbox containers whose owner process is dead (all of them with `everything`).

    Why: a killed Python process cannot run its at-exit cleanup, and docker keeps its containers
    running forever; the next executor (or ``vrgym sandbox reap``) removes them. Returns the short
    ids removed. Never raises for a container that vanished meanwhile.
    """
    removed = []
    try:
        containers = client.containers.list(all=True, filters={"label": f"{LABEL}=1"})
    except Exception:  # noqa: BLE001 - best effort; the engine may be going away
        return removed
    for container in containers:
        if everything or not _owner_alive(container.labels):
            with contextlib.suppress(Exception):  # already gone, or the engine refused: nothing to do
                container.remove(force=True)
                removed.append(container.short_id)
    return removed


# ------------------------------------------------------------------------------------------ lockdown


def lockdown(limits: Limits, tmpfs_mb: int, cpus: float) -> dict[str, Any]:
    """The `containers.create` keyword arguments that lock a sandbox container down.

    Memory: the job's RLIMIT_AS plus the server's overhead, with swap equal to memory (no swap);
    pids: the job's process limit plus tini and the server. The tmpfs is the only writable place
    and counts against the memory limit; its size caps what a job can write in total.
    """
    memory = f"{limits.memory_mb + SERVER_OVERHEAD_MB + tmpfs_mb}m"
    return {
        "network_mode": "none",
        "read_only": True,
        "tmpfs": {"/tmp": f"size={tmpfs_mb}m,mode=1777,nosuid,nodev"},
        # The fork-server is the container's root with only the capabilities a supervisor needs
        # (switch each job to nobody, kill and clean up after it); every job runs as 65534:65534
        # with no capabilities. A server running as the jobs' own uid could be killed by any job
        # (`kill(-1)`), turning a wrong answer into a sandbox_error that trainers skip.
        "user": "0:0",
        "cap_drop": ["ALL"],
        "cap_add": list(SERVER_CAPABILITIES),
        "security_opt": ["no-new-privileges"],
        "mem_limit": memory,
        "memswap_limit": memory,
        "pids_limit": limits.processes + EXTRA_PIDS,
        "nano_cpus": int(cpus * 1e9),
        "init": True,
        "ipc_mode": "private",
        "working_dir": "/tmp",
        "environment": {"TMPDIR": "/tmp", "HOME": "/tmp", "PYTHONDONTWRITEBYTECODE": "1"},
        "ulimits": _ulimits(limits),
    }


def _ulimits(limits: Limits) -> list[Any]:
    from docker.types import Ulimit

    # Hard caps for the whole container; the server sets each job's tighter soft/hard limits itself.
    # No nproc ulimit: it would count uid 65534's processes in every container (see SERVER_CONFIG);
    # `pids_limit` is the container's own process bound.
    return [Ulimit(name="nofile", soft=max(limits.open_files, 256), hard=max(limits.open_files, 256))]


def _fits(job: Limits, pool: Limits) -> bool:
    """Whether a job's limits fit inside a pool container sized for `pool` (else run it per call)."""
    return job.memory_mb <= pool.memory_mb and job.processes <= pool.processes and job.open_files <= max(pool.open_files, 256)


# ------------------------------------------------------------------------------------------ channel


class _Channel:
    """The attached stdin/stdout of one container: writes frames, reads demultiplexed frames.

    Docker's attach stream without a tty carries 8-byte headers (stream id, 3 zero bytes, length)
    before each chunk of stdout (1) or stderr (2). Stdout bytes feed the protocol's frames; the
    server's stderr is kept (capped) for diagnostics when something goes wrong.
    """

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.sock: socket.socket = getattr(raw, "_sock", raw)
        self.sock.setblocking(True)
        self.pending = bytearray()  # undecoded bytes from the socket (docker headers + payload)
        self.stdout = bytearray()  # demultiplexed stdout not yet consumed as frames
        self.stderr = bytearray()

    def send(self, message: Any) -> None:
        data = encode_frame(message)
        try:
            self.sock.settimeout(API_TIMEOUT)
            self.sock.sendall(data)
        except OSError as exc:
            raise ProtocolError(f"cannot write to the container: {exc}") from None

    def _fill(self, deadline: float) -> None:
        """Read more bytes from the socket into the demultiplexer; ProtocolError on EOF."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise FrameTimeout("no complete frame before the deadline")
        try:
            ready, _, _ = select.select([self.sock], [], [], left)
        except (OSError, ValueError) as exc:
            raise ProtocolError(f"the container's stream broke: {exc}") from None
        if not ready:
            raise FrameTimeout("no complete frame before the deadline")
        try:
            chunk = self.sock.recv(1 << 20)
        except OSError as exc:
            raise ProtocolError(f"cannot read from the container: {exc}") from None
        if not chunk:
            raise ProtocolError("the container's server closed its output")
        self.pending += chunk
        while len(self.pending) >= 8:
            stream, size = self.pending[0], int.from_bytes(self.pending[4:8], "big")
            if stream not in (0, 1, 2) or any(self.pending[1:4]):
                raise ProtocolError("malformed docker stream header (was the container started with a tty?)")
            if len(self.pending) < 8 + size:
                break
            body = bytes(self.pending[8 : 8 + size])
            del self.pending[: 8 + size]
            if stream == 2:
                self.stderr += body[: max(0, STDERR_KEPT - len(self.stderr))]
            else:
                self.stdout += body

    def read(self, deadline: float) -> Any:
        """The next frame's message; FrameTimeout past `deadline`, ProtocolError on EOF or garbage."""
        while len(self.stdout) < HEADER.size:
            self._fill(deadline)
        (length,) = HEADER.unpack(self.stdout[: HEADER.size])
        if length > MAX_FRAME_BYTES:
            raise ProtocolError(f"announced frame of {length} bytes exceeds the {MAX_FRAME_BYTES}-byte limit")
        while len(self.stdout) < HEADER.size + length:
            self._fill(deadline)
        payload = bytes(self.stdout[HEADER.size : HEADER.size + length])
        del self.stdout[: HEADER.size + length]
        return decode_payload(payload)

    def close(self) -> None:
        for closer in (getattr(self.raw, "close", None), self.sock.close):
            try:
                if closer:
                    closer()
            except OSError:
                pass


# ------------------------------------------------------------------------------------------ container


class _Container:
    """One sandbox container running the fork-server, and the channel to it."""

    def __init__(self, client: Any, image: str, limits: Limits, tmpfs_mb: int, cpus: float, mode: str,
                 runtime: str | None) -> None:  # fmt: skip
        self.client = client
        self.jobs = 0
        self.baseline_pids: int | None = None
        self.container: Any = None
        self.channel: _Channel | None = None
        labels = {
            LABEL: "1",
            LABEL_OWNER: str(os.getpid()),
            LABEL_OWNER_START: _process_start(os.getpid()),
            LABEL_HOST: socket.gethostname(),
            LABEL_MODE: mode,
        }
        options = lockdown(limits, tmpfs_mb, cpus)
        if runtime:
            options["runtime"] = runtime
        self.container = client.containers.create(
            image, command=[*server_command(), SERVER_CONFIG], labels=labels, stdin_open=True, tty=False,
            detach=True, auto_remove=False, **options,
        )  # fmt: skip
        try:
            raw = client.api.attach_socket(
                self.container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            self.channel = _Channel(raw)
            self.container.start()
            hello = self.channel.read(time.monotonic() + START_TIMEOUT)
            if not isinstance(hello, dict) or "hello" not in hello:
                raise ProtocolError(f"expected the server's hello frame, got {str(hello)[:200]}")
            self.hello = hello["hello"]
            self.cgroup_pids = self._cgroup_pids_file()
            self.baseline_pids = self.pids()
        except BaseException:
            self.destroy()
            raise

    def _cgroup_pids_file(self) -> str | None:
        """The host path of this container's pids.current (cgroup v1 or v2), if readable."""
        full = self.container.id
        for path in (
            f"/sys/fs/cgroup/pids/docker/{full}/pids.current",
            f"/sys/fs/cgroup/system.slice/docker-{full}.scope/pids.current",
            f"/sys/fs/cgroup/docker/{full}/pids.current",
        ):
            if os.access(path, os.R_OK):
                return path
        return None

    def pids(self) -> int | None:
        """Tasks alive in the container now (tini + server when idle); None when not measurable.

        Why: a job may leave a daemonised grandchild that escapes its process group; counting the
        container's pids cgroup (a file read on the host, microseconds) reveals it, and the
        container is then recycled, which kills it.
        """
        if self.cgroup_pids is None:
            return None
        try:
            with open(self.cgroup_pids) as handle:
                return int(handle.read())
        except (OSError, ValueError):
            return None

    def run(self, job: Job) -> ExecResult:
        """Send one job and wait for its result (deadline: its wall limit + a margin)."""
        assert self.channel is not None
        self.jobs += 1
        self.channel.send({"op": "run", "job": job.model_dump(mode="json")})
        reply = self.channel.read(time.monotonic() + job.limits.wall_seconds + JOB_MARGIN)
        if not isinstance(reply, dict) or not isinstance(reply.get("result"), dict):
            raise ProtocolError(f"expected a result frame, got {str(reply)[:200]}")
        return ExecResult.model_validate(reply["result"])

    def leftovers(self) -> bool:
        """True when more tasks run than when the container was idle (a job left processes)."""
        if self.baseline_pids is None:
            return False
        now = self.pids()
        if now is not None and now > self.baseline_pids:
            # Give the server's own reaping a moment before calling it an anomaly.
            time.sleep(0.005)
            now = self.pids()
        return now is not None and now > self.baseline_pids

    def oom_killed(self) -> bool:
        """Whether the container's memory cgroup killed a process (checked after a failure)."""
        try:
            self.container.reload()
            return bool(self.container.attrs.get("State", {}).get("OOMKilled"))
        except Exception:  # noqa: BLE001 - the container may be gone
            return False

    def stderr_tail(self) -> str:
        return bytes(self.channel.stderr).decode("utf-8", "replace")[-500:] if self.channel else ""

    def destroy(self) -> None:
        """Kill and remove the container (idempotent, never raises)."""
        if self.channel is not None:
            self.channel.close()
        if self.container is not None:
            with contextlib.suppress(Exception):  # already gone; the reaper covers the rest
                self.container.remove(force=True)
            self.container = None


# ------------------------------------------------------------------------------------------ executor

_LIVE: weakref.WeakSet[DockerExecutor] = weakref.WeakSet()


def _close_all_at_exit() -> None:
    for executor in list(_LIVE):
        executor.close()


atexit.register(_close_all_at_exit)


class DockerExecutor(Executor):
    """Runs jobs in locked-down containers: a warm pool of fork-servers, or one container per job.

    `pool_size` containers are started lazily (the first job pays ~0.3 s each) and reused for up
    to `recycle_after` jobs. `limits` are the defaults for jobs without their own and size the
    pool's containers; `image` defaults to this checkout's tag (build it with
    ``vrgym sandbox build-image`` or `vrgym.sandbox.image.build_image`; a missing image is built on
    first use when `build=True`). `runtime` picks another OCI runtime (e.g. ``runsc`` for gVisor).
    Thread-safe; `run` never raises for anything the job does.
    """

    name = "docker"

    def __init__(
        self,
        pool_size: int = 2,
        mode: Mode = "warm",
        limits: Limits | None = None,
        image: str | None = None,
        recycle_after: int = 200,
        runtime: str | None = None,
        *,
        tmpfs_mb: int = 64,
        cpus: float = 1.0,
        build: bool = True,
        client: Any = None,
    ) -> None:
        if mode not in ("warm", "per_call"):
            raise ValueError(f"mode must be 'warm' or 'per_call', got {mode!r}")
        if pool_size < 1 or recycle_after < 1:
            raise ValueError("pool_size and recycle_after must be at least 1")
        self.client = client or connect()
        self.mode: Mode = mode
        self.pool_size = pool_size
        self.limits = limits or Limits()
        self.recycle_after = recycle_after
        self.runtime = runtime
        self.tmpfs_mb = tmpfs_mb
        self.cpus = cpus
        self.image = image or self._ensure_image(build)
        self._idle: queue.LifoQueue[_Container] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._lock = threading.Lock()
        self._live: set[_Container] = set()
        self._closed = False
        self._pid = os.getpid()
        self._removals: list[threading.Thread] = []
        self.stats = {"jobs": 0, "recycled": 0, "started": 0, "sandbox_errors": 0}
        reap_stale(self.client)
        _LIVE.add(self)

    def _ensure_image(self, build: bool) -> str:
        from vrgym.sandbox.image import build_image, find_image

        tag = image_tag()
        if find_image(self.client, tag) is not None:
            return tag
        if not build:
            raise SandboxUnavailable(f"the sandbox image {tag} is not built; run `vrgym sandbox build-image`")
        try:
            return build_image(self.client)[0]
        except Exception as exc:  # noqa: BLE001 - any build failure means: no docker sandbox here
            raise SandboxUnavailable(f"cannot build the sandbox image {tag} ({exc}); run `vrgym sandbox build-image` to see why") from None

    # -------------------------------------------------------------------------------- pool

    def _start(self, limits: Limits, mode: str) -> _Container:
        container = _Container(self.client, self.image, limits, self.tmpfs_mb, self.cpus, mode, self.runtime)
        with self._lock:
            self.stats["started"] += 1
            if self._closed:
                container.destroy()
                raise ProtocolError("the executor was closed")
            self._live.add(container)
        return container

    def _discard(self, container: _Container, recycled: bool = True) -> None:
        with self._lock:
            self._live.discard(container)
            if recycled:
                self.stats["recycled"] += 1
        container.destroy()

    def _acquire(self) -> _Container:
        self._slots.acquire()
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        try:
            return self._start(self.limits, "warm")
        except BaseException:
            self._slots.release()
            raise

    def _release(self, container: _Container, healthy: bool) -> None:
        if healthy and not self._closed and container.jobs < self.recycle_after:
            self._idle.put(container)
        else:
            self._discard_later(container)
        self._slots.release()

    def _discard_later(self, container: _Container, recycled: bool = True) -> None:
        """Remove a container in the background (~0.2 s of docker time the caller need not wait for)."""
        thread = threading.Thread(target=self._discard, args=(container, recycled), daemon=True)
        with self._lock:
            self._removals = [t for t in self._removals if t.is_alive()] + [thread]
        thread.start()

    # -------------------------------------------------------------------------------- running

    def run(self, job: Job) -> ExecResult:
        """Run one job in a container; see the module docstring for statuses and recycling."""
        started = time.monotonic()
        if self._closed:
            return ExecResult.sandbox_error("the docker executor is closed")
        per_call = self.mode == "per_call" or not _fits(job.limits, self.limits)
        try:
            container = self._start(job.limits, "per_call") if per_call else self._acquire()
        except Exception as exc:  # noqa: BLE001 - any start failure is the sandbox's, not the job's
            self.stats["sandbox_errors"] += 1
            return ExecResult.sandbox_error(f"could not start a sandbox container: {type(exc).__name__}: {exc}", time.monotonic() - started)
        healthy = False
        try:
            result = container.run(job)
            healthy = result.status not in (ExecStatus.TIMEOUT, ExecStatus.SANDBOX_ERROR) and not container.leftovers()
        except Exception as exc:  # noqa: BLE001 - the container or the channel failed mid-job
            elapsed = time.monotonic() - started
            if container.oom_killed():
                result = ExecResult(status=ExecStatus.MEMORY, signal=9, wall_seconds=elapsed,
                                    detail="the container's memory cgroup killed the job (OOM)")  # fmt: skip
            else:
                self.stats["sandbox_errors"] += 1
                tail = container.stderr_tail()
                result = ExecResult.sandbox_error(
                    f"the sandbox container failed mid-job ({type(exc).__name__}: {exc})" + (f"; server stderr: {tail}" if tail else ""),
                    elapsed,
                )  # fmt: skip
        finally:
            self.stats["jobs"] += 1
            if per_call:
                self._discard_later(container, recycled=False)
            else:
                self._release(container, healthy)
        return result

    def default_concurrency(self) -> int:
        """`run_many` runs one job per pool container at once (per-call mode: as many containers)."""
        return self.pool_size

    def warm_up(self) -> None:
        """Start the pool's containers now instead of on the first jobs (a benchmark's fair start)."""
        if self.mode != "warm":
            return
        taken = []
        try:
            for _ in range(self.pool_size):
                taken.append(self._acquire())
        finally:
            for container in taken:
                self._release(container, True)

    def describe(self) -> dict[str, Any]:
        """Backend, image, mode, pool, default limits and the lockdown applied to every container."""
        options = lockdown(self.limits, self.tmpfs_mb, self.cpus)
        options.pop("ulimits")
        return {
            "backend": "docker",
            "image": self.image,
            "mode": self.mode,
            "pool_size": self.pool_size,
            "recycle_after": self.recycle_after,
            "runtime": self.runtime or "default (runc)",
            "limits": self.limits.model_dump(),
            "lockdown": options,
            "isolation": self.isolation(),
            "server": f"{SERVER_DIR}/server.py",
            "stats": dict(self.stats),
        }

    def isolation(self) -> dict[str, Any]:
        """The isolation every job gets, in the same keys as the local executor's `describe()`.

        The container supplies the namespaces (its own network with only loopback, its own pids),
        the unprivileged user and the read-only root; the fork-server inside adds its per-job
        rlimits, process groups and subreaping (its own hello features, when a container runs).
        """
        with self._lock:
            server = next((dict(c.hello) for c in self._live if getattr(c, "hello", None)), {})
        return {
            **{k: v for k, v in server.items() if k not in ("pid", "base_dir")},
            "network_namespace": True,
            "network_namespace_scope": "container",
            "pid_namespace": True,
            "process_limit": "container pids_limit",
            "mount_namespace": True,
            "uid": 65534,
            "read_only_root": True,
            "capabilities": [],
            "server_capabilities": list(SERVER_CAPABILITIES),
            "no_new_privileges": True,
            "cgroup_limits": ["memory", "pids", "cpu"],
            "runtime": self.runtime or "runc",
        }

    def close(self) -> None:
        """Kill and remove every container this executor started (idempotent).

        In a forked child the containers belong to the parent: they are forgotten, not killed.
        """
        if os.getpid() != self._pid:
            self.abandon()
            return
        with self._lock:
            self._closed = True
            live = list(self._live)
            self._live.clear()
        for container in live:
            container.destroy()
        for thread in list(self._removals):
            thread.join(timeout=API_TIMEOUT)
        _LIVE.discard(self)

    def abandon(self) -> None:
        """Forget every container without touching it (a forked child's view of its parent's pool)."""
        self._closed = True
        self._live = set()
        self._idle = queue.LifoQueue()
        _LIVE.discard(self)
