"""Package discovery for the vrgym distribution.

`tasks/`, `verifiers/` and `envs/` sit at the top of the repository (one room per layer) but must
install as `vrgym.tasks`, `vrgym.verifiers` and `vrgym.envs`, never as generic top-level modules
(`verifiers` is also a PyPI package). pyproject.toml cannot express "find the subpackages of this
folder and put them under that prefix", so this file does it; everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = {"vrgym": "vrgym", "vrgym.tasks": "tasks", "vrgym.verifiers": "verifiers", "vrgym.envs": "envs"}

packages: list[str] = []
package_dir: dict[str, str] = {}
for package, folder in FOLDERS.items():
    package_dir[package] = folder
    packages.append(package)
    packages.extend(f"{package}.{sub}" for sub in find_packages(folder))

setup(packages=packages, package_dir=package_dir)
