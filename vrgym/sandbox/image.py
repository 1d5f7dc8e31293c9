"""The Docker sandbox image: built from the host's own Python, without any registry.

Why this way: the machines vrgym runs on often have a Docker engine but no registry (``docker pull``
fails), and a sandbox needs nothing but a Python interpreter and our fork-server. So the image is a
minimal root filesystem assembled in memory from the host:

- the interpreter (``sys._base_executable``, resolved), installed as ``/usr/local/bin/python3``;
- every shared library ``ldd`` reports for it and for the stdlib's ``lib-dynload/*.so`` (tkinter and
  the test modules excluded), at the same paths as on the host (``/lib`` → ``usr/lib`` symlinks
  replicated); a library that lived in the interpreter's private prefix (pyenv's ``libpython``) goes
  into the C library's directory, which the dynamic loader searches without an ``ld.so.cache``;
- the standard library without ``test``, ``idlelib``, ``tkinter``, ``turtledemo``, ``ensurepip``,
  ``site-packages``, the static ``config-*`` directory and optimised ``.opt-N.pyc`` files, placed
  under ``/usr/local/lib/pythonX.Y`` where the relocated interpreter finds it from its own path;
- a minimal ``/etc/passwd`` and ``/etc/group`` with ``nobody`` (uid/gid 65534), an empty ``/tmp``;
- vrgym's stdlib-only ``server.py`` and ``protocol.py`` in ``/opt/vrgym``.

The tar is ``docker import``-ed through the API (``import_image_from_data``: ``images.load`` wants an
image archive, not a plain rootfs) with a CMD, ``USER 65534:65534`` and labels. The tag is
``vrgym-sandbox:<key>`` where the key hashes the server/protocol sources, the interpreter and this
module's format version, so a stale image (older server) is never used: `ensure_image` rebuilds.
Measured here: ~35 MB tar, a few seconds to build and import.

``--from-dockerfile`` (`build_from_dockerfile`) builds ``vrgym/sandbox/Dockerfile`` instead, for
machines where a registry is reachable (it pulls ``python:3.X-slim``); it gets the same tag and labels.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IMAGE_REPOSITORY = "vrgym-sandbox"
LABEL_KIND = "vrgym.sandbox.image"
LABEL_KEY = "vrgym.sandbox.key"
LABEL_VERSION = "vrgym.version"
LABEL_PYTHON = "vrgym.sandbox.python"
#: bump when the rootfs layout changes: every existing image becomes stale.
FORMAT_VERSION = "1"
#: where the fork-server lives inside the image.
SERVER_DIR = "/opt/vrgym"
PYTHON_IN_IMAGE = "/usr/local/bin/python3"

_SANDBOX_DIR = Path(__file__).resolve().parent
_SERVER_FILES = ("server.py", "protocol.py")
_EXCLUDED_STDLIB_DIRS = frozenset(
    {"test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "site-packages", "dist-packages", "lib2to3"}
)
_EXCLUDED_DYNLOAD = re.compile(r"^(_tkinter|_test|_xxtest|xx).*\.so$")
_OPT_PYC = re.compile(r"\.opt-\d\.pyc$")
_LDD_LINE = re.compile(r"(?:=>\s*)?(/\S+)\s+\(0x[0-9a-f]+\)")

PASSWD = "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
GROUP = "root:x:0:\nnogroup:x:65534:\n"


@dataclass
class RootfsTar:
    """An in-memory rootfs tarball and what went into it (for `vrgym sandbox build-image` to report)."""

    data: bytes
    python: str
    python_version: str
    files: int
    libraries: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ keys


def host_python() -> Path:
    """The real interpreter binary behind this process (a venv's python resolves to its base)."""
    exe = getattr(sys, "_base_executable", None) or sys.executable
    return Path(os.path.realpath(exe))


def image_key(python: Path | None = None) -> str:
    """Hash naming an image: server + protocol sources, the interpreter's path and version, the format.

    Why: a running pool must use exactly the fork-server of this vrgym checkout; any change to it (or
    to the image layout) gives a new key, so `ensure_image` builds a fresh image instead of reusing a
    stale one.
    """
    digest = hashlib.sha256(f"format={FORMAT_VERSION}\n".encode())
    for name in _SERVER_FILES:
        path = _SANDBOX_DIR / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"<missing>") + b"\0")
    python = python or host_python()
    digest.update(f"{python}\n{sys.version_info[:3] if python == host_python() else ''}".encode())
    return digest.hexdigest()[:16]


def image_tag(python: Path | None = None) -> str:
    """The tag of the image for this checkout: ``vrgym-sandbox:<key>``."""
    return f"{IMAGE_REPOSITORY}:{image_key(python)}"


# ------------------------------------------------------------------------------------------ rootfs


def _ldd(paths: Iterable[Path]) -> list[str]:
    """Absolute paths of the shared libraries (and the loader) the given ELF files need, via ``ldd``."""
    paths = [str(p) for p in paths]
    if not paths:
        return []
    try:
        out = subprocess.run(["ldd", *paths], capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"cannot run ldd to list the interpreter's libraries ({exc}); install libc-bin") from exc
    found = []
    for line in out.splitlines():
        match = _LDD_LINE.search(line)
        if match and not match.group(1).startswith(tuple(paths)):
            found.append(match.group(1))
    return sorted(set(found))


class _TarBuilder:
    """Adds entries to an in-memory tar once each, replicating host symlinks on the way."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buffer, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115 - closed by close()
        self.seen: set[str] = set()
        self.files = 0

    def _info(self, name: str, kind: bytes, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name.lstrip("/"))
        info.type, info.mode, info.mtime, info.uid, info.gid = kind, mode, 0, 0, 0
        return info

    def directory(self, path: str, mode: int = 0o755) -> None:
        """Add a directory and its parents (root-owned, world-readable)."""
        path = path.rstrip("/")
        if not path or path in self.seen:
            return
        self.directory(os.path.dirname(path))
        self.seen.add(path)
        self.tar.addfile(self._info(path, tarfile.DIRTYPE, mode))

    def content(self, path: str, data: bytes, mode: int = 0o644) -> None:
        """Add a regular file with the given bytes."""
        if path in self.seen:
            return
        self.directory(os.path.dirname(path))
        self.seen.add(path)
        info = self._info(path, tarfile.REGTYPE, mode)
        info.size = len(data)
        self.tar.addfile(info, io.BytesIO(data))
        self.files += 1

    def symlink(self, path: str, target: str) -> None:
        """Add a symlink ``path -> target``."""
        if path in self.seen:
            return
        self.directory(os.path.dirname(path))
        self.seen.add(path)
        info = self._info(path, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self.tar.addfile(info)

    def host_file(self, src: Path, dest: str) -> None:
        """Copy a host file's bytes to ``dest`` (executable bit kept, everything else normalised)."""
        mode = 0o755 if os.access(src, os.X_OK) else 0o644
        self.content(dest, src.read_bytes(), mode)

    def host_path(self, path: str) -> None:
        """Add a host path at the same place, replicating every symlink met along the way.

        Why: on merged-/usr systems ``/lib`` and ``/lib64`` are symlinks and the ELF interpreter is
        ``/lib64/ld-linux-x86-64.so.2``; the image must resolve the same names the binaries carry.
        """
        parts = Path(path).parts
        current = "/"
        for index, part in enumerate(parts[1:], start=1):
            candidate = os.path.join(current, part)
            if os.path.islink(candidate):
                target = os.readlink(candidate)
                self.symlink(candidate, target)
                resolved = os.path.normpath(os.path.join(current, target))
                if index == len(parts) - 1:
                    self.host_path(resolved)
                    return
                current = resolved
            else:
                current = candidate
        if os.path.isdir(current):
            self.directory(current)
        else:
            self.host_file(Path(current), current)

    def close(self) -> bytes:
        self.tar.close()
        return self.buffer.getvalue()


def build_rootfs(python: Path | None = None) -> RootfsTar:
    """Assemble the sandbox rootfs tar in memory from the host interpreter (see the module docstring)."""
    python = python or host_python()
    if python != host_python():
        raise ValueError(
            f"only the running interpreter can be packaged ({host_python()}); run vrgym with {python} instead"
        )
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    stdlib = Path(sysconfig.get_path("stdlib"))
    dynload = next((Path(p) for p in sys.path if p.endswith("lib-dynload") and os.path.isdir(p)), stdlib / "lib-dynload")
    if not (stdlib / "os.py").exists():
        raise RuntimeError(f"the standard library of {python} was not found at {stdlib}; cannot build the image")

    builder = _TarBuilder()
    extensions = sorted(p for p in dynload.glob("*.so") if not _EXCLUDED_DYNLOAD.match(p.name))
    libraries = _ldd([python, *extensions])
    libc = next((lib for lib in libraries if re.search(r"/libc\.so\.\d", lib)), None)
    if libc is None:
        raise RuntimeError(f"ldd found no C library for {python}; is it a static or foreign binary?")
    libc_dir = os.path.dirname(os.path.realpath(libc))
    prefix = str(Path(sys.base_prefix).resolve())
    for lib in libraries:
        if os.path.realpath(lib).startswith(prefix + os.sep) and prefix != "/usr":
            # The interpreter's private libpython: its RUNPATH points into the host prefix, which the
            # image does not have; the loader's default directory does the job instead.
            builder.host_file(Path(os.path.realpath(lib)), f"{libc_dir}/{os.path.basename(lib)}")
        else:
            builder.host_path(lib)

    site = f"/usr/local/lib/python{version}"
    builder.host_file(python, f"/usr/local/bin/python{version}")
    builder.symlink("/usr/local/bin/python3", f"python{version}")
    builder.symlink("/usr/local/bin/python", f"python{version}")
    builder.symlink("/usr/bin/python3", f"/usr/local/bin/python{version}")
    for ext in extensions:
        builder.host_file(ext, f"{site}/lib-dynload/{ext.name}")
    for root, dirs, files in os.walk(stdlib):
        rel = os.path.relpath(root, stdlib)
        dirs[:] = sorted(
            d for d in dirs
            if d not in _EXCLUDED_STDLIB_DIRS and not d.startswith("config-") and (rel != "." or d != "lib-dynload")
        )  # fmt: skip
        for name in sorted(files):
            if name.endswith((".py", ".pyc")) and not _OPT_PYC.search(name):
                dest = os.path.normpath(f"{site}/{rel}/{name}")
                builder.host_file(Path(root, name), dest)

    for name in _SERVER_FILES:
        src = _SANDBOX_DIR / name
        if not src.exists():
            raise RuntimeError(f"{src} is missing: the sandbox fork-server is not installed with vrgym")
        builder.host_file(src, f"{SERVER_DIR}/{name}")
    builder.content("/etc/passwd", PASSWD.encode())
    builder.content("/etc/group", GROUP.encode())
    builder.directory("/tmp", 0o1777)
    builder.directory("/work", 0o1777)
    return RootfsTar(builder.close(), str(python), sys.version.split()[0], builder.files, libraries)


# ------------------------------------------------------------------------------------------ docker


def _labels(key: str, python_version: str, kind: str) -> dict[str, str]:
    from vrgym import __version__

    return {LABEL_KIND: kind, LABEL_KEY: key, LABEL_VERSION: __version__, LABEL_PYTHON: python_version}


def server_command() -> list[str]:
    """The container command: the fork-server in the image's interpreter (isolated mode, no site)."""
    return [PYTHON_IN_IMAGE, "-I", "-S", f"{SERVER_DIR}/server.py"]


def find_image(client: Any, tag: str | None = None) -> Any | None:
    """The image with this checkout's tag, or None when it was never built (or is stale)."""
    import docker.errors

    try:
        return client.images.get(tag or image_tag())
    except docker.errors.ImageNotFound:
        return None


def build_image(client: Any, *, force: bool = False) -> tuple[str, dict[str, Any]]:
    """Build (or reuse) the host-python image; returns (tag, report) — report says what was done.

    Why an import and not a build: no registry is needed and nothing is downloaded; the rootfs comes
    from this machine's interpreter, so the sandbox runs the same Python version as the host.
    """
    tag = image_tag()
    if not force and find_image(client, tag) is not None:
        return tag, {"tag": tag, "built": False, "how": "reused"}
    started = time.perf_counter()
    rootfs = build_rootfs()
    labels = _labels(image_key(), rootfs.python_version, "host-python")
    changes = [
        "CMD " + _json_list(server_command()),
        "USER 65534:65534",
        "WORKDIR /tmp",
        "ENV PATH=/usr/local/bin:/usr/bin:/bin TMPDIR=/tmp HOME=/tmp LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1",
        *(f"LABEL {k}={v}" for k, v in labels.items()),
    ]
    repository, _, version = tag.partition(":")
    client.api.import_image_from_data(rootfs.data, repository=repository, tag=version, changes=changes)
    if find_image(client, tag) is None:
        raise RuntimeError(f"docker import reported success but {tag} is not listed; see the engine's log")
    report = {
        "tag": tag,
        "built": True,
        "how": "host-python rootfs via docker import",
        "python": rootfs.python,
        "python_version": rootfs.python_version,
        "files": rootfs.files,
        "libraries": len(rootfs.libraries),
        "tar_mb": round(len(rootfs.data) / 1e6, 1),
        "seconds": round(time.perf_counter() - started, 2),
    }
    return tag, report


def build_from_dockerfile(client: Any) -> tuple[str, dict[str, Any]]:
    """Build ``vrgym/sandbox/Dockerfile`` (needs a registry for its ``python:X.Y-slim`` base image).

    The build context is just the sandbox folder; the result gets this checkout's tag and labels, so
    `DockerExecutor` uses it exactly like the imported image.
    """
    tag = image_tag()
    started = time.perf_counter()
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    labels = _labels(image_key(), version, "dockerfile")
    client.images.build(
        path=str(_SANDBOX_DIR), dockerfile="Dockerfile", tag=tag, labels=labels,
        buildargs={"PYTHON_VERSION": version}, rm=True, forcerm=True,
    )  # fmt: skip
    return tag, {"tag": tag, "built": True, "how": "Dockerfile", "seconds": round(time.perf_counter() - started, 2)}


def list_images(client: Any) -> list[Any]:
    """Every vrgym sandbox image on the engine (current and stale)."""
    return client.images.list(filters={"label": LABEL_KEY})


def remove_stale_images(client: Any) -> list[str]:
    """Remove sandbox images whose key is not this checkout's; returns their tags (best effort)."""
    import docker.errors

    current = image_key()
    removed = []
    for image in list_images(client):
        if image.labels.get(LABEL_KEY) == current:
            continue
        try:
            client.images.remove(image.id, force=True)
            removed.append(", ".join(image.tags) or image.short_id)
        except docker.errors.APIError:
            pass  # still used by a container: the reaper or the next run will get it
    return removed


def _json_list(items: list[str]) -> str:
    import json

    return json.dumps(items)
