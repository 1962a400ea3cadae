"""Builds the `winnow` Python package with the project's CMake.

`pip install --no-build-isolation .` (Debian's python3-pip and python3-setuptools, offline)
configures the build tree WINNOW_BUILD_DIR (default: build/, the one `make` uses, so an
existing build is reused), builds the extension target, and installs python/winnow/ with
the extension built there. The Debian packages the build needs come from scripts/setup.
"""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = Path(os.environ.get("WINNOW_BUILD_DIR", ROOT / "build"))
        if not (build / "CMakeCache.txt").exists():
            generator = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), *generator,
                            "-DCMAKE_BUILD_TYPE=Release", "-DWINNOW_BUILD_PYTHON=ON"], check=True)
        jobs = str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build), "-j", jobs, "--target", "winnow_python"],
                       check=True)
        built = next((build / "python" / "winnow").glob("_winnow*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    packages=["winnow"],
    package_dir={"": "python"},
    package_data={"winnow": ["*.pyi", "py.typed"]},
    ext_modules=[CMakeExtension("winnow._winnow")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
    # setuptools' scratch under CMake's build tree, not beside it.
    options={"build": {"build_base": "build/setuptools"}},
)
