"""Packaging: the wheel holds vrgym.tasks/.verifiers/.envs and every data file; import stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"vrgym": "vrgym", "tasks": "vrgym/tasks", "verifiers": "vrgym/verifiers", "envs": "vrgym/envs"}
DATA_SUFFIXES = (".txt", ".json", ".jsonl")
HEAVY = ("sympy", "datasets", "docker", "torch", "ray", "pyarrow", "pandas", "math_verify")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = out.glob("vrgym-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _source_files(suffixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(source path, path inside the wheel) for every file of the packaged folders with a suffix."""
    pairs = []
    for folder, target in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in suffixes and "__pycache__" not in path.parts:
                relative = path.relative_to(ROOT / folder).as_posix()
                pairs.append((f"{folder}/{relative}", f"{target}/{relative}"))
    return pairs


def test_wheel_maps_folders_into_the_vrgym_namespace(wheel_names: set[str]) -> None:
    missing = [src for src, inside in _source_files((".py",)) if inside not in wheel_names]
    assert not missing, f"modules missing from the wheel: {missing}"
    top_levels = {name.split("/")[0] for name in wheel_names if not name.startswith("vrgym-")}
    assert top_levels == {"vrgym"}, f"the wheel must install nothing but vrgym, found {top_levels}"


def test_wheel_contains_every_data_file(wheel_names: set[str]) -> None:
    missing = [src for src, inside in _source_files(DATA_SUFFIXES) if inside not in wheel_names]
    assert not missing, f"data files missing from the wheel: {missing}"


def test_wheel_declares_cli_and_pytest_plugin(wheel_names: set[str], tmp_path: Path) -> None:
    (entry_points,) = [n for n in wheel_names if n.endswith(".dist-info/entry_points.txt")]
    assert entry_points


def test_import_is_light_and_registers_gym_ids() -> None:
    code = (
        "import sys, vrgym, gymnasium\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "ids = [vrgym.get_template_class(n).gym_id() for n in vrgym.template_names()]\n"
        "assert all(i in gymnasium.registry for i in ids), ids\n"
        "print(len(ids))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
