"""The fork-server: one stdlib-only process that runs sandbox jobs, one at a time, each in a fork.

Both backends run this very file: the local executor starts it with `sys.executable -I -S` on
the host, the Docker executor inside each warm container. It must import nothing from vrgym (it
loads `protocol.py` from its own directory by path, never through sys.path, so a job cannot
shadow or see vrgym's modules) and nothing outside the standard library.

Once per server (when namespaces are allowed): new network + PID namespaces (+ a user namespace
when not root), the server continuing as init of its PID namespace (`_become_namespace_init`).
Trade-off, stated: the network namespace is created once and shared by the server's jobs, one
after another, instead of one per job (creating and tearing down a netns costs ~0.5 ms of CPU per
job here plus the kernel's asynchronous cleanup). It holds only a loopback that is down, which a
job cannot bring up (no CAP_NET_ADMIN), and every process of a job is dead before the next starts,
so nothing a job binds or opens in it (abstract unix sockets included) outlives the job. As root,
the server also moves into a pids cgroup of its own (`_own_pids_cgroup`); its pids.max, set per
job, bounds that job's processes whatever their uid. Elsewhere RLIMIT_NPROC does, which counts
the uid's processes host-wide (a fork bomb can then starve a concurrent job of another server);
the Docker executor turns it off (config "nproc": false) and relies on each container's pids limit.

Per job (why each step is there), all in the server but the job itself:
  server  -- makes a private work dir (0700, inside a 0711 base dir so other jobs cannot list it),
             writes the job's files, unshares a fresh PID namespace for its next child, forks the
             job and returns its own future children to its namespace (setns); feeds stdin,
             captures stdout/stderr up to the cap, enforces the wall clock, then SIGKILLs the job
             (its PID namespace dies with it; without namespaces the server, a child subreaper,
             kills its process group and every orphan re-parented to it), reaps everything and
             removes the work dir. No supervisor process per job: a fork + exit and two hand-offs
             between processes less (see `Supervisor`).
  job child -- own session, fds 0/1/2 on pipes and every other fd closed (closerange: one
             close_range syscall), rlimits (AS, CPU, FSIZE, NOFILE, no core files, NPROC when no
             pids cgroup), environment set afresh (the server cleared its own once), uid/gid drop
             to nobody when the server runs as root (capabilities dropped in a user namespace
             otherwise), no_new_privs, parent-death signal. `python` jobs then run in this
             already-warm interpreter through runpy with a fresh `__main__` (no new interpreter
             start: that is why the sandbox beats a bare `python -c` subprocess; the server's heap
             is gc-frozen so the job's collections do not copy it page by page); anything else
             is exec'd.

What it cannot prevent as a non-root user without user namespaces: the job runs as the server's
own user (it can read and write whatever that user can, and signal that user's processes).
As root (or with user namespaces) see `LocalExecutor`'s docstring for the guarantees.

Usage: python -I -S server.py ['{"namespaces": true, "drop_user": true, "nproc": true, "pids_cgroup": true}']
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import gc
import json
import os
import pkgutil  # noqa: F401 (runpy.run_path imports it lazily: once here, not in every job's fork)
import pwd
import resource
import runpy
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
import types
from typing import Any


def _load_protocol() -> types.ModuleType:
    """Import protocol.py: as a package sibling when imported, by file path when run standalone."""
    try:
        from . import protocol  # type: ignore[import-not-found]

        return protocol
    except ImportError:
        import importlib.util

        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "protocol.py")
        spec = importlib.util.spec_from_file_location("_vrgym_sandbox_protocol", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load the sandbox protocol from {path}") from None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


protocol = _load_protocol()

CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_NEWNS = 0x00020000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38

KILL_PATIENCE = 3.0
"""Seconds the server spends killing and reaping a job's processes before giving up."""
DEFAULT_LIMITS: dict[str, Any] = {
    "wall_seconds": 10.0,
    "cpu_seconds": 10,
    "memory_mb": 512,
    "processes": 32,
    "file_size_mb": 16,
    "open_files": 64,
    "output_bytes": 4_000_000,
}
PIPE_BYTES = 1 << 20
"""Capacity asked for the job's stdin/stdout/stderr pipes (F_SETPIPE_SZ; the kernel default is 64 KiB)."""
OUTPUT_POLL = {False: 0.02, True: 0.002}
"""Seconds between drains of the output pipes while the job runs: while output flows, and while it does not."""
MEMORY_MARKERS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory", "Out of memory")
STDERR_SCAN_BYTES = 4096
JOB_PATH = "/usr/local/bin:/usr/bin:/bin"

_libc = ctypes.CDLL(None, use_errno=True)
_THIS_FILE = os.path.abspath(__file__)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _prctl(option: int, value: int) -> bool:
    return _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0


def _unshare(flags: int) -> None:
    if _libc.unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")


def _drop_capabilities() -> None:
    """Clear every capability of this process (used inside a user namespace, where we keep our uid)."""
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    if _libc.capset(ctypes.byref(header), data) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"capset: {os.strerror(err)}")


def _write_id_maps(uid: int, gid: int) -> None:
    """Map our own uid/gid into a fresh user namespace (identity map, so we stay non-root inside)."""
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    args = [x.encode() if x is not None else None for x in (source, target, fstype)]
    if _libc.mount(args[0], args[1], args[2], ctypes.c_ulong(flags), data.encode() if data else None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _closed_ancestor(path: str, uid: int) -> str | None:
    """The first directory on `path` that `uid` may not traverse (no x bit for others), if any."""
    current = "/"
    for part in [p for p in path.split("/") if p]:
        current = os.path.join(current, part)
        try:
            st = os.stat(current)
        except OSError:
            return None
        if st.st_uid != uid and not st.st_mode & 0o001:
            return current
    return None


def expose_interpreter(uid: int) -> list[str]:
    """Make this interpreter's files reachable for `uid` when they sit under a closed home (/root).

    Why: as root we run jobs as `nobody`, but a pyenv/venv Python under /root (0700) would then
    fail to import its own standard library. In a private mount namespace of this server only,
    the closed directory is covered by an empty tmpfs and just the interpreter's prefix is
    bind-mounted back, read-only. Returns the paths re-exposed (empty when nothing was needed).
    """
    wanted = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable)))}
    wanted = {p for p in wanted if not any(p != q and p.startswith(q + "/") for q in wanted)}
    blocked: dict[str, list[str]] = {}
    for path in sorted(wanted):
        ancestor = _closed_ancestor(path, uid)
        if ancestor and ancestor != "/":
            blocked.setdefault(ancestor, []).append(path)
    if not blocked:
        return []
    _unshare(CLONE_NEWNS)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount may propagate to the host
    handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for paths in blocked.values() for path in paths}
    try:
        for ancestor, paths in blocked.items():
            _mount("tmpfs", ancestor, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=1m")
            for path in paths:
                os.makedirs(path, 0o755, exist_ok=True)
                _mount(f"/proc/self/fd/{handles[path]}", path, None, MS_BIND | MS_REC)
                _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
    finally:
        for fd in handles.values():
            os.close(fd)
    return sorted(handles)


def _probe_as(uid: int, gid: int) -> bool:
    """Can `uid` import from this interpreter's standard library? (checked in a throwaway child)"""
    stdlib = os.path.dirname(os.__file__)
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
            with open(os.path.join(stdlib, "encodings", "__init__.py"), "rb"):
                pass
            os._exit(0)
        except BaseException:  # noqa: BLE001 (a sandbox must survive anything the job does)
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return status == 0


def children_of(pid: int) -> list[int]:
    """Pids whose parent is `pid` (used to find re-parented orphans of a job).

    Reads the kernel's own child list (/proc/PID/task/PID/children: one small file) and only falls
    back to scanning every /proc/N/stat (~1 ms with a few hundred processes) where that file is
    missing. Our processes are single-threaded, so the main thread's list is the process's.
    """
    try:
        with open(f"/proc/{pid}/task/{pid}/children", "rb") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return [child for child, parent in protocol.parent_pids().items() if parent == pid]


def kill_and_reap_children(patience: float, known: dict[int, int] | None = None, *, scan: bool = True) -> bool:
    """SIGKILL and reap every child of this process (orphans land here: we are a subreaper).

    Loops until waitpid says there are no children left, so grandchildren that get orphaned
    while we kill their parents are caught on the next pass. Exit statuses of pids listed in
    `known` are stored there. Returns False if something survived `patience` seconds.
    With `scan` False (the server is init of its own PID namespace, each job in a nested one)
    nothing is looked up: kill(-1) from a namespace's init reaches every process in it but itself.
    """
    deadline = time.monotonic() + patience
    me = os.getpid()
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if pid:
            if known is not None and pid in known:
                known[pid] = status
            continue
        if not scan:
            with contextlib.suppress(OSError):
                os.kill(-1, signal.SIGKILL)
        for child in children_of(me) if scan else ():
            for kill in (os.killpg, os.kill):
                try:
                    kill(child, signal.SIGKILL)
                except OSError:
                    pass
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)


def _become_namespace_init(flags: int, as_root: bool) -> None:
    """Enter new namespaces (`flags`: network + PID, + user when not root) as init of the PID one.

    unshare(CLONE_NEWPID) only moves our future children, so we fork once: the child carries on as
    the server, pid 1 of its own PID namespace; this process stays behind, holding nothing of the
    protocol channel, and passes the server's exit status on. Why: per job the server unshares a
    nested PID namespace for the job's child and must then return its own future children to its
    namespace with setns(), which the kernel allows only with CAP_SYS_ADMIN over the namespace we
    return to; owning it (init, in our own user namespace when not root) is what makes that work
    without root. Side effects: the server's death kills every job (a PID namespace dies with its
    init), and the network namespace is shared by the server's jobs (see ForkServer).
    """
    uid, gid = os.getuid(), os.getgid()
    _unshare(flags)
    if flags & CLONE_NEWUSER:
        _write_id_maps(uid, gid)
    pid = os.fork()
    if pid == 0:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the executor kills the process it started: follow it
        return
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


def _fs_type(path: str) -> str:
    """The type of the filesystem holding `path` (longest matching mount point), '' if unknown."""
    best, kind = "", ""
    try:
        with open("/proc/self/mounts") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) > 2:
                    point = fields[1].replace("\\040", " ")
                    inside = path == point or path.startswith(point.rstrip("/") + "/")
                    if inside and len(point) >= len(best):
                        best, kind = point, fields[2]
    except OSError:
        pass
    return kind


def _work_root() -> str:
    """Where the jobs' work dirs go: the temp dir if it is a tmpfs, else /dev/shm if usable, else the temp dir.

    Why: a work dir is made and removed per job, and on a disk filesystem rmdir alone took 3.7 ms
    here (ext4 freeing the directory's block; mounted with discard) against microseconds on a
    tmpfs. /dev/shm is writable by every user anyway, so a job gains nothing it did not have.
    """
    temp = tempfile.gettempdir()
    if _fs_type(os.path.realpath(temp)) == "tmpfs":
        return temp
    if _fs_type("/dev/shm") == "tmpfs" and os.access("/dev/shm", os.W_OK | os.X_OK):
        return "/dev/shm"
    return temp


def _write_text(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _own_pids_cgroup() -> str | None:
    """Move this server into a new pids cgroup below its current one; its path, or None if we may not.

    Why: jobs inherit it (no per-job migration, which costs an RCU grace period), and as each server
    runs one job at a time, its pids.max bounds that job alone, whatever its uid: unlike
    RLIMIT_NPROC, which counts the uid's processes host-wide. cgroup v1's pids hierarchy, or v2
    where the pids controller is delegated to our cgroup's children.
    """
    try:
        with open("/proc/self/cgroup") as fh:
            lines = [line.rstrip("\n").split(":", 2) for line in fh]
    except OSError:
        return None
    candidates = [("/sys/fs/cgroup/pids" + path.rstrip("/"), False) for _, names, path in lines if "pids" in names.split(",")]
    candidates += [("/sys/fs/cgroup" + path.rstrip("/"), True) for hid, names, path in lines if hid == "0" and names == ""]
    for parent, unified in candidates:
        try:
            if unified:
                with open(os.path.join(parent, "cgroup.subtree_control")) as fh:
                    if "pids" not in fh.read().split():
                        continue
            path = os.path.join(parent, f"vrgym-sandbox-{_host_pid()}")
            os.mkdir(path, 0o755)
        except OSError:
            continue
        try:
            _write_text(os.path.join(path, "cgroup.procs"), "0")
            return path
        except OSError:
            with contextlib.suppress(OSError):
                os.rmdir(path)
    return None


def _host_pid() -> int:
    """Our pid as /proc (and so the executor) numbers it, also when we are pid 1 of our own namespace."""
    try:
        return int(os.readlink("/proc/self"))
    except (OSError, ValueError):
        return os.getpid()


def _probe_namespaces(flags: int, as_root: bool) -> bool:
    """Try the namespaces in a throwaway child: some kernels/containers forbid them."""
    uid, gid = os.getuid(), os.getgid()  # before unshare: in a fresh user namespace we are unmapped
    pid = os.fork()
    if pid == 0:
        try:
            _unshare(flags)
            if not as_root:
                _write_id_maps(uid, gid)
            grandchild = os.fork()
            if grandchild == 0:
                os._exit(0)
            _, status = os.waitpid(grandchild, 0)
            os._exit(0 if status == 0 else 1)
        except BaseException:  # noqa: BLE001 (a sandbox must survive anything the job does)
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return status == 0


class ForkServer:
    """Runs jobs, one fork each, supervised in this process; results as plain dicts (the protocol's `result`)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.is_root = os.geteuid() == 0
        try:
            nobody = pwd.getpwnam("nobody")
            self.nobody = (nobody.pw_uid, nobody.pw_gid)
        except KeyError:
            self.nobody = (65534, 65534)
        self.drop_user = bool(config.get("drop_user", True)) and self.is_root
        self.exposed: list[str] = []
        self.drop_problem = ""
        if self.drop_user:
            try:
                self.exposed = expose_interpreter(self.nobody[0])
            except OSError as exc:
                self.drop_problem = f"cannot expose the interpreter to nobody: {exc}"
            if not self.drop_problem and not _probe_as(*self.nobody):
                self.drop_problem = "nobody cannot read this interpreter's standard library"
            if self.drop_problem:  # running jobs as nobody would break every import: say so, keep root
                self.drop_user = False
                print(f"vrgym sandbox server: jobs keep root's uid: {self.drop_problem}", file=sys.stderr)
        self.ns_flags = 0  # unshared before each job's fork
        self.net_namespace = self.user_namespace = False  # entered once, by this server
        self.pid_ns_fd = -1  # our own pid namespace, re-entered after each job's fork
        if config.get("namespaces", True):
            flags = CLONE_NEWNET | CLONE_NEWPID | (0 if self.is_root else CLONE_NEWUSER)
            if _probe_namespaces(flags, self.is_root):
                _become_namespace_init(flags, self.is_root)  # the probe just did the same: failing now is a real fault
                self.net_namespace, self.user_namespace = True, not self.is_root
                self.pid_ns_fd = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
                self.ns_flags = CLONE_NEWPID
        self.subreaper = _prctl(PR_SET_CHILD_SUBREAPER, 1)  # not inherited: set in the final process
        # Bound each job's processes by a pids cgroup of this server's own when we may make one,
        # else by RLIMIT_NPROC, which counts every process of the job's uid on the host: one job's
        # fork bomb would then make forks fail in a concurrent job of another server or container.
        self.pids_cgroup = _own_pids_cgroup() if self.is_root and config.get("pids_cgroup", True) else None
        self.limit_nproc = bool(config.get("nproc", True)) and self.pids_cgroup is None
        self.base_dir = tempfile.mkdtemp(prefix="vrgym-sandbox-", dir=config.get("work_root") or _work_root())
        os.chmod(self.base_dir, 0o711)
        # The job's environment is ours, set before each fork (see Supervisor.run): the child then
        # touches nothing to get it (each page it writes is a copy-on-write fault, ~5 us here).
        os.environ.clear()
        os.environ.update({"PATH": JOB_PATH, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"})
        # A python job's sys.stdin/stdout/stderr, made once: in the child fds 0-2 are the job's
        # pipes, and these wrappers (never used by the server) read and write whatever is there.
        self.job_streams = (
            open(0, "r", encoding="utf-8", errors="surrogateescape", closefd=False),  # noqa: SIM115
            open(1, "w", encoding="utf-8", errors="surrogateescape", buffering=8192, closefd=False),  # noqa: SIM115
            open(2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False),  # noqa: SIM115
        )

    def features(self) -> dict[str, Any]:
        """The isolation actually in force (reported in the hello frame and `describe()`)."""
        return {
            "pid": _host_pid(),
            "python": sys.version.split()[0],
            "protocol": protocol.PROTOCOL_VERSION,
            "base_dir": self.base_dir,
            "work_root_fs": _fs_type(self.base_dir),
            "root": self.is_root,
            "uid_drop": self.nobody[0] if self.drop_user else None,
            "uid_drop_problem": self.drop_problem,
            "mount_namespace": bool(self.exposed),
            "exposed_paths": self.exposed,
            "network_namespace": self.net_namespace,
            "network_namespace_scope": "server" if self.net_namespace else None,
            "pid_namespace": bool(self.ns_flags & CLONE_NEWPID),
            "user_namespace": self.user_namespace,
            "subreaper": self.subreaper,
            "rlimits": ["AS", "CPU", *(["NPROC"] if self.limit_nproc else []), "FSIZE", "NOFILE", "CORE"],
            "pids_cgroup": self.pids_cgroup,
            "process_limit": "pids cgroup" if self.pids_cgroup else "RLIMIT_NPROC" if self.limit_nproc else "none (set outside)",
            "in_process_python": True,
        }

    def close(self) -> None:
        """Remove the base dir (jobs' work dirs are removed after each job) and our pids cgroup."""
        _remove_tree(self.base_dir)
        if self.pids_cgroup:
            with contextlib.suppress(OSError):  # the executor removes it after our exit otherwise
                _write_text(os.path.join(os.path.dirname(self.pids_cgroup), "cgroup.procs"), "0")
                os.rmdir(self.pids_cgroup)

    def run_job(self, job: dict[str, Any]) -> dict[str, Any]:
        """Run one job and return its result dict; infrastructure failures become sandbox_error."""
        start = time.monotonic()
        limits = {**DEFAULT_LIMITS, **(job.get("limits") or {})}
        try:
            workdir = tempfile.mkdtemp(prefix="job-", dir=self.base_dir)
        except OSError as exc:
            return _sandbox_error(f"cannot create the job's work dir: {exc}", start)
        try:
            try:
                self._write_files(workdir, job.get("files") or {})
            except ValueError as exc:
                return _sandbox_error(f"bad job file: {exc}", start)
            except OSError as exc:
                return _sandbox_error(f"cannot write the job's files: {exc}", start)
            return Supervisor(self, job, limits, workdir).run()
        finally:
            _remove_tree(workdir)

    def _write_files(self, workdir: str, files: dict[str, str]) -> None:
        owner = self.nobody if self.drop_user else None
        if owner:
            os.chown(workdir, *owner)
        for name, text in files.items():
            parts = name.split("/")
            if not name or name.startswith("/") or ".." in parts or "\x00" in name or not parts[-1]:
                raise ValueError(f"{name!r} is not a relative path inside the work dir")
            directory = workdir
            for part in parts[:-1]:
                if part in ("", "."):
                    continue
                directory = os.path.join(directory, part)
                if not os.path.isdir(directory):
                    os.mkdir(directory, 0o755)
                    if owner:
                        os.chown(directory, *owner)
            path = os.path.join(workdir, name)
            with open(path, "wb") as fh:
                fh.write(str(text).encode("utf-8", "surrogatepass"))
            if owner:
                os.chown(path, *owner)


class Supervisor:
    """One job, supervised by the server itself: fork the job child, feed/capture, kill, reap, report.

    Why no supervisor process of its own: a fork plus an exit costs ~0.5-1 ms of CPU here and two
    more hand-offs between processes (each a wait for a CPU when the machine is busy). The server
    runs one job at a time anyway, so it can watch the job itself; the per-job PID namespace (or,
    without one, the server as child subreaper) still catches every process the job makes.
    """

    def __init__(self, server: ForkServer, job: dict[str, Any], limits: dict[str, Any], workdir: str) -> None:
        self.server = server
        self.job = job
        self.limits = limits
        self.workdir = workdir
        self.server_pid = os.getpid()

    def run(self) -> dict[str, Any]:
        """Start the job child (in a fresh PID namespace when available), run it to its end, report."""
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        setup_r, setup_w = os.pipe()
        for fd in (in_w, out_w, err_w):
            with contextlib.suppress(OSError):  # an unprivileged user's pipe quota may refuse: 64 KiB then
                fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        flags = self.server.ns_flags
        os.environ["HOME"] = os.environ["TMPDIR"] = self.workdir  # inherited by the job (see ForkServer)
        start = time.monotonic()
        try:
            if self.server.pids_cgroup:  # the server itself + the job's processes
                _write_text(os.path.join(self.server.pids_cgroup, "pids.max"), str(1 + int(self.limits["processes"])))
            if flags:
                _unshare(flags)  # only our next child enters the new namespace, as its init
            child = os.fork()
        except OSError as exc:
            for fd in (in_r, in_w, out_r, out_w, err_r, err_w, setup_r, setup_w):
                os.close(fd)
            self._restore_pid_namespace()
            return _sandbox_error(f"cannot start the job: {exc}", start)
        if child == 0:
            _job_child(self, in_r, out_w, err_w, setup_w)  # never returns
        self._restore_pid_namespace()
        for fd in (in_r, out_w, err_w, setup_w):
            os.close(fd)
        try:
            return self._watch(child, start, in_w, out_r, err_r, setup_r)
        except BaseException:  # a fault of ours: no job process may outlive it
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
            kill_and_reap_children(KILL_PATIENCE, scan=not flags)
            raise

    def _restore_pid_namespace(self) -> None:
        """Point our future children back at our own PID namespace (so the next unshare may run)."""
        if self.server.ns_flags and _libc.setns(self.server.pid_ns_fd, CLONE_NEWPID) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns back to the server's pid namespace: {os.strerror(err)}")

    def _watch(self, child: int, start: float, in_w: int, out_r: int, err_r: int, setup_r: int) -> dict[str, Any]:
        cap = int(self.limits["output_bytes"])
        deadline = start + float(self.limits["wall_seconds"])
        stdin = str(self.job.get("stdin") or "").encode("utf-8", "surrogatepass")
        written = 0
        buffers = {out_r: bytearray(), err_r: bytearray(), setup_r: bytearray()}
        for fd in (in_w, out_r, err_r, setup_r):
            os.set_blocking(fd, False)
        open_fds = {out_r, err_r, setup_r}
        writer: int | None = in_w
        if not stdin:
            os.close(in_w)
            writer = None
        try:
            pidfd: int | None = os.pidfd_open(child)
        except (AttributeError, OSError):
            pidfd = None
        status: int | None = None
        rusage = None
        end = start
        timed_out = overflow = flowing = False
        while True:
            pid, st, ru = os.wait4(child, os.WNOHANG)
            if pid:
                status, rusage, end = st, ru, time.monotonic()
                break
            now = time.monotonic()
            if now >= deadline:
                timed_out, end = True, now
                break
            # With a pidfd we wake for the job's exit, for stdin space and every OUTPUT_POLL s, not
            # for each write of the job: a wake-up per print cost ~3 ms of hand-offs per job on a
            # busy 2-core machine. The pipes are enlarged, so a chatty job rarely waits for us.
            if pidfd is not None:
                waits, timeout = [pidfd], min(deadline - now, OUTPUT_POLL[flowing])
            else:
                waits, timeout = sorted(open_fds), min(deadline - now, 0.002)
            try:
                ready_r, ready_w, _ = select.select(waits, [writer] if writer is not None else [], [], timeout)
            except InterruptedError:
                continue
            flowing = False
            for fd in sorted(open_fds) if pidfd is not None else ready_r:
                size = len(buffers[fd])
                if not _pump(fd, buffers, cap + 1):
                    open_fds.discard(fd)
                    os.close(fd)
                flowing = flowing or len(buffers[fd]) > size
            if len(buffers.get(out_r, b"")) > cap or len(buffers.get(err_r, b"")) > cap:
                overflow, end = True, time.monotonic()
                break
            if ready_w and writer is not None:
                try:
                    written += os.write(writer, stdin[written : written + PIPE_BYTES])
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:  # the job closed its stdin: that is its right
                    written = len(stdin)
                if written >= len(stdin):
                    os.close(writer)
                    writer = None
        if writer is not None:
            os.close(writer)
        known = {child: -1}
        try:
            os.killpg(child, signal.SIGKILL)
        except OSError:
            pass
        if status is None:
            try:
                os.kill(child, signal.SIGKILL)
            except OSError:
                pass
        clean = kill_and_reap_children(KILL_PATIENCE, known, scan=not self.server.ns_flags)
        if status is None and known[child] != -1:
            status = known[child]
        for fd in open_fds:  # every writer is dead now: drain what is left in the pipes
            _drain(fd, buffers, cap + 1)
            os.close(fd)
        if pidfd is not None:
            os.close(pidfd)
        return self._result(status, rusage, end - start, timed_out, overflow, clean, buffers, out_r, err_r, setup_r)

    def _result(
        self,
        status: int | None,
        rusage: Any,
        wall: float,
        timed_out: bool,
        overflow: bool,
        clean: bool,
        buffers: dict[int, bytearray],
        out_r: int,
        err_r: int,
        setup_r: int,
    ) -> dict[str, Any]:
        cap = int(self.limits["output_bytes"])
        out, err = buffers.get(out_r, bytearray()), buffers.get(err_r, bytearray())
        setup_error = bytes(buffers.get(setup_r, b"")).decode("utf-8", "replace")
        truncated = len(out) > cap or len(err) > cap
        exit_code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None
        sig = os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None
        tail = bytes(err[-STDERR_SCAN_BYTES:]).decode("utf-8", "replace")
        details = []
        if setup_error:
            state, details = "sandbox_error", [f"job setup failed: {setup_error}"]
        elif overflow:
            state = "output_limit"
            details.append(f"{'stdout' if len(out) > cap else 'stderr'} exceeded {cap} bytes; job killed")
        elif timed_out:
            state = "timeout"
            details.append(f"wall-clock limit of {self.limits['wall_seconds']} s; job killed")
        elif sig == signal.SIGXCPU or (sig == signal.SIGKILL and rusage is not None and rusage.ru_utime + rusage.ru_stime >= self.limits["cpu_seconds"]):
            state = "timeout"
            details.append(f"CPU limit of {self.limits['cpu_seconds']} s")
        elif exit_code == 0:
            state = "ok"
        elif any(marker in tail for marker in MEMORY_MARKERS):
            state = "memory"
            details.append(f"memory limit of {self.limits['memory_mb']} MiB")
        else:
            state = "runtime_error"
            if sig is not None:
                details.append(f"killed by signal {_signal_name(sig)}")
            else:
                details.append(f"exit code {exit_code}")
            if sig == signal.SIGXFSZ or "File too large" in tail:
                details.append(f"file size limit of {self.limits['file_size_mb']} MiB")
        if not clean:
            details.append("some job processes survived SIGKILL")
        return {
            "status": state,
            "exit_code": exit_code,
            "signal": sig,
            "stdout": bytes(out[:cap]).decode("utf-8", "replace"),
            "stderr": bytes(err[:cap]).decode("utf-8", "replace"),
            "truncated": truncated,
            "wall_seconds": round(wall, 6),
            "detail": "; ".join(details),
        }


def _pump(fd: int, buffers: dict[int, bytearray], keep: int) -> bool:
    """Read what is available from `fd` into its buffer (keeping at most `keep` bytes); False at EOF."""
    try:
        chunk = os.read(fd, 1 << 16)
    except (BlockingIOError, InterruptedError):
        return True
    except OSError:
        return False
    if not chunk:
        return False
    buf = buffers[fd]
    if len(buf) < keep:
        buf += chunk[: keep - len(buf)]
    return True


def _drain(fd: int, buffers: dict[int, bytearray], keep: int) -> None:
    """Read `fd` to EOF, stopping early if it would block (a writer we failed to kill)."""
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except InterruptedError:
            continue
        except OSError:
            return
        if not chunk:
            return
        buf = buffers[fd]
        if len(buf) < keep:
            buf += chunk[: keep - len(buf)]


def _job_child(sup: Supervisor, in_r: int, out_w: int, err_w: int, setup_w: int) -> None:
    """Become the job: isolate this process, then run the job's argv. Never returns."""
    try:
        limits = sup.limits
        os.setsid()  # own session and process group: killpg reaches all of it, no terminal to share
        os.dup2(in_r, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        if setup_w != 3:
            os.dup2(setup_w, 3)
        os.closerange(4, 1 << 20)
        os.chdir(sup.workdir)
        mib = 1024 * 1024
        cpu = int(limits["cpu_seconds"])
        rlimits: list[tuple[int, Any]] = [
            (resource.RLIMIT_AS, int(limits["memory_mb"]) * mib),
            (resource.RLIMIT_CPU, (cpu, cpu + 1)),
            (resource.RLIMIT_FSIZE, int(limits["file_size_mb"]) * mib),
            (resource.RLIMIT_NOFILE, int(limits["open_files"])),
            (resource.RLIMIT_CORE, 0),
        ]
        if sup.server.limit_nproc:
            rlimits.append((resource.RLIMIT_NPROC, int(limits["processes"])))
        for which, value in rlimits:
            soft, hard = value if isinstance(value, tuple) else (value, value)
            _, old_hard = resource.getrlimit(which)
            if old_hard != resource.RLIM_INFINITY:  # unprivileged: we can only lower
                soft, hard = min(soft, old_hard), min(hard, old_hard)
            resource.setrlimit(which, (soft, hard))
        if sup.server.drop_user:
            uid, gid = sup.server.nobody
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
        elif sup.server.user_namespace:
            _drop_capabilities()
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # set after the uid change, which clears it
        if not sup.server.ns_flags and os.getppid() != sup.server_pid:
            raise RuntimeError("the server died while the job started")  # (in a PID namespace its death kills us)
        # As a fresh CPython has them: the server changes only SIGINT (ignored); every other
        # disposition is still the interpreter's own (SIGPIPE and SIGXFSZ ignored, the rest default).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        argv = [str(a) for a in sup.job.get("argv") or ()]
        if not argv:
            raise ValueError("empty argv")
    except BaseException as exc:  # noqa: BLE001 (a sandbox must survive anything the job does)
        try:
            os.write(3, f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")[:2000])
        finally:
            os._exit(255)
    os.close(3)
    if argv[0] == "python" and _in_process_form(argv):
        _run_python(argv[1:], sup.server.job_streams)
    program = [sys.executable, "-E", "-s", "-S", *argv[1:]] if argv[0] == "python" else argv
    for signum in (signal.SIGPIPE, signal.SIGXFSZ):  # ignored dispositions survive exec: give them back
        signal.signal(signum, signal.SIG_DFL)
    try:
        os.execvp(program[0], program)
    except OSError as exc:
        os.write(2, f"cannot execute {argv[0]!r}: {exc.strerror}\n".encode("utf-8", "replace"))
    os._exit(127)


def _in_process_form(argv: list[str]) -> bool:
    """True for `python script.py ...`, `python -c code ...` and `python -m module ...`."""
    if len(argv) >= 3 and argv[1] in ("-c", "-m"):
        return True
    return len(argv) >= 2 and not argv[1].startswith("-")


def _run_python(args: list[str], streams: tuple[Any, Any, Any]) -> None:
    """Run a python program in this (forked, isolated) interpreter as CPython would; never returns."""
    code = 0
    sys.stdin = sys.__stdin__ = streams[0]
    sys.stdout = sys.__stdout__ = streams[1]
    sys.stderr = sys.__stderr__ = streams[2]
    sys.modules.pop("_vrgym_sandbox_protocol", None)
    workdir = os.getcwd()
    try:
        if args[0] == "-c":
            sys.argv = ["-c", *args[2:]]
            sys.path.insert(0, "")
            _exec_as_main(args[1], "<string>")
        elif args[0] == "-m":
            sys.argv = [args[1], *args[2:]]
            sys.path.insert(0, workdir)
            runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(args)
            sys.path.insert(0, os.path.dirname(os.path.join(workdir, args[0])))
            source = _plain_script(args[0])
            if source is None:  # a directory or zip with __main__.py, or unreadable: runpy's way
                runpy.run_path(args[0], run_name="__main__")
            else:
                _exec_as_main(source, args[0], file=args[0])
    except SystemExit as exc:
        code = _exit_status(exc)
    except BaseException:  # noqa: BLE001 (a sandbox must survive anything the job does)
        kind, value, tb = sys.exc_info()
        while tb is not None and tb.tb_frame.f_code.co_filename in (_THIS_FILE, runpy.__file__, "<frozen runpy>"):
            tb = tb.tb_next  # show the job's frames only, like a fresh interpreter would
        if value is not None:
            value.__traceback__ = tb
        try:
            sys.excepthook(kind, value, tb)
        except BaseException:  # noqa: BLE001 (a sandbox must survive anything the job does)
            traceback.print_exception(kind, value, tb)
        code = 1
    code = _shutdown(code)
    os._exit(code)


def _exec_as_main(source: str | bytes, filename: str, file: str | None = None) -> None:
    """Run `source` as a fresh `__main__` module, the way `python -c` / `python script.py` do.

    Why not runpy for a plain script: in a just-forked child every module and function it touches
    for the first time costs copy-on-write faults; runpy.run_path's machinery (importer lookup, a
    temporary module, argv swapping) added ~1 ms per job. Bytes are compiled as a file would be
    (PEP 263 coding declarations honoured).
    """
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = __builtins__
    if file is not None:
        main.__dict__["__file__"] = file
        main.__dict__["__cached__"] = None
    sys.modules["__main__"] = main
    exec(compile(source, filename, "exec"), main.__dict__)  # noqa: S102


def _plain_script(path: str) -> bytes | None:
    """The source of `path` if it is a regular, non-zip file (else None: runpy handles those)."""
    try:
        with open(path, "rb") as fh:
            source = fh.read()
    except OSError:
        return None
    if b"PK\x05\x06" in source[-65557:]:  # a zip's end-of-directory record: `python app.zip` runs its __main__.py
        return None
    return source


def _exit_status(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    try:
        print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001, S110 (a sandbox must survive anything the job does)
        pass
    return 1


def _shutdown(code: int) -> int:
    """Finish like CPython: join non-daemon threads, run atexit handlers, flush the std streams."""
    threading = sys.modules.get("threading")
    try:
        if threading is not None:
            threading._shutdown()  # type: ignore[attr-defined]
        atexit._run_exitfuncs()
    except SystemExit as exc:
        code = _exit_status(exc)
    except BaseException:  # noqa: BLE001, S110 (a sandbox must survive anything the job does)
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 (a sandbox must survive anything the job does)
            code = code or 120
    return code


def _signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


def _sandbox_error(detail: str, start: float) -> dict[str, Any]:
    return {
        "status": "sandbox_error",
        "exit_code": None,
        "signal": None,
        "stdout": "",
        "stderr": "",
        "truncated": False,
        "wall_seconds": round(max(0.0, time.monotonic() - start), 6),
        "detail": detail,
    }


def _remove_tree(path: str) -> None:
    """Remove a work dir even if the job made parts of it unreadable (chmod 000) to us."""
    if not os.path.lexists(path):
        return

    def fix(func: Any, failed: str, _exc: Any) -> None:
        try:
            os.chmod(os.path.dirname(failed), 0o700)
            os.chmod(failed, 0o700)
            func(failed)
        except OSError:
            pass

    shutil.rmtree(path, onerror=fix)
    if os.path.lexists(path):
        for root, dirs, _files in os.walk(path):
            for name in dirs:
                try:
                    os.chmod(os.path.join(root, name), 0o700)
                except OSError:
                    pass
        shutil.rmtree(path, ignore_errors=True)


def serve(config: dict[str, Any]) -> int:
    """The server loop: hello frame, then one result frame per request until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the executor stops us by closing stdin or SIGKILL
    server = ForkServer(config)
    # Not dumpable: a job running under our own uid (non-root servers) cannot read our memory
    # through /proc/<pid>/mem or ptrace, and our heap holds earlier jobs' files and stdin.
    _prctl(PR_SET_DUMPABLE, 0)
    # Every object alive now is inherited by each fork: frozen, a collection in a
    # job never walks (and so never copy-on-write faults) the server's whole heap.
    gc.collect()
    gc.freeze()
    try:
        protocol.write_frame(1, {"hello": server.features()})
        while True:
            try:
                message = protocol.read_frame(0, allow_eof=True)
            except protocol.ProtocolError as exc:
                print(f"vrgym sandbox server: {exc}", file=sys.stderr)
                return 2
            if message is None:
                return 0
            op = message.get("op") if isinstance(message, dict) else None
            if op == "ping":
                reply: dict[str, Any] = {"pong": True}
            elif op == "run" and isinstance(message.get("job"), dict):
                try:
                    reply = {"result": server.run_job(message["job"])}
                except Exception as exc:  # a bug of ours must not kill the server or blame the job  # noqa: BLE001 (a sandbox must survive anything the job does)
                    reply = {"result": _sandbox_error(f"server error: {type(exc).__name__}: {exc}", time.monotonic())}
            else:
                reply = {"error": f"unknown request {str(message)[:200]!r}: expected op 'run' with a job, or 'ping'"}
            protocol.write_frame(1, reply)
    except protocol.ProtocolError as exc:
        print(f"vrgym sandbox server: {exc}", file=sys.stderr)
        return 2
    finally:
        server.close()


def main(argv: list[str]) -> int:
    """Entry point: optional JSON config as the only argument."""
    try:
        config = json.loads(argv[1]) if len(argv) > 1 else {}
        if not isinstance(config, dict):
            raise ValueError("config must be a JSON object")  # noqa: TRY004
    except ValueError as exc:
        print(f"vrgym sandbox server: bad config {argv[1]!r}: {exc}", file=sys.stderr)
        return 2
    return serve(config)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
