"""Ship the top-level ``resources/`` folder inside the wheel as ``stancemark._resources``.

Everything else about the package is in ``pyproject.toml``.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("desktop"), "stancemark._resources"],
    package_dir={"": "desktop", "stancemark._resources": "resources"},
    package_data={"stancemark._resources": ["**/*"]},
    include_package_data=True,
)
