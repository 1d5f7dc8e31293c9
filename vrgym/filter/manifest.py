"""The run manifest: what produced a filter run's numbers, and the guard against mixing runs.

``manifest.json`` records everything that changes pass rates (research §5.4): the model's
`describe()` (backend, model, revision — never a secret), the sampling parameters, k, the run seed
and how per-sample seeds derive from it, the early-stopping rule, the template (verifier) versions,
a digest of the problem ids, and the vrgym version; `select` adds its rule, statistics options
and counts. It is rewritten atomically (temporary file, fsync, rename).

The *identity* part must match when a run is resumed: samples drawn at temperature 0.6 must never
be counted together with samples drawn at 1.0. `check_identity` raises `ManifestMismatchError`
naming every field that differs, with both values and the two ways out (a new run directory, or
``--force`` to discard the old samples).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from vrgym.errors import DataFileError, VrgymError
from vrgym.problem import Problem
from vrgym.seeding import canonical_json, digest

FORMAT = "vrgym-filter-run/1"
MODEL_IDENTITY_KEYS = ("backend", "model", "revision", "endpoint")
"""Model fields that define the samples; URLs, concurrency and timeouts may change on resume."""
IDENTITY_KEYS = ("model", "sampling", "k", "run_seed", "early_stop", "problems", "templates")


class ManifestMismatchError(VrgymError):
    """Resuming a run with settings that differ from the ones its samples were drawn with."""


def problems_digest(problems: Iterable[Problem]) -> dict[str, Any]:
    """Count and a digest of the problem ids, in order: identifies the problem set of a run."""
    ids = [p.id for p in problems]
    return {"count": len(ids), "ids_blake2b": digest("\n".join(ids), 16).hex()}


def model_identity(description: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a model's `describe()` that defines its samples."""
    return {key: description[key] for key in MODEL_IDENTITY_KEYS if key in description}


def now() -> str:
    """UTC time as ISO 8601 text (seconds)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def identity(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The identity fields of a manifest (model reduced to its identity keys)."""
    out = {key: manifest.get(key) for key in IDENTITY_KEYS}
    out["model"] = model_identity(manifest.get("model") or {})
    return out


def check_identity(existing: Mapping[str, Any], wanted: Mapping[str, Any], root: Path) -> None:
    """ManifestMismatchError listing every identity field of `wanted` that differs from `existing`."""
    old, new = identity(existing), identity(wanted)
    differences = []
    for key in IDENTITY_KEYS:
        a, b = old.get(key), new.get(key)
        if canonical_json(a) == canonical_json(b):
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            for sub in sorted(set(a) | set(b)):
                if canonical_json(a.get(sub)) != canonical_json(b.get(sub)):
                    differences.append(f"{key}.{sub} (run: {_short(a.get(sub))}, now: {_short(b.get(sub))})")
        else:
            differences.append(f"{key} (run: {_short(a)}, now: {_short(b)})")
    if differences:
        raise ManifestMismatchError(
            f"{root} was sampled with other settings: {'; '.join(differences)}. Resume with the run's own settings, "
            "write to a new --out directory, or pass --force to discard its samples and start over"
        )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "…"


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at `path` (DataFileError if it is unreadable or not a filter-run manifest)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(
            f"{path.parent}: not a filter run (no manifest.json); start one with `vrgym filter sample` or `vrgym filter run`"
        ) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot be read as JSON ({exc}); restore it or start a new run directory") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataFileError(f"{path}: not a vrgym filter-run manifest (expected format {FORMAT!r})")
    return data


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    """Write `manifest` atomically: a reader sees the old or the new file, never half of one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
