"""Build hook: a wheel of Katko carries the files that ``katko init`` copies into new sites.

Those files (templates, interface texts, workflows; listed in
plugins/katko/newsite/shipped.txt) stay where the example site uses them, at
the top of the repository, so the build copies them into katko/project_files/.
An editable install (pip install -e .) copies nothing: katko.scaffold reads
them from the checkout. Everything else about the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        patterns = (ROOT / "plugins" / "katko" / "newsite" / "shipped.txt").read_text(encoding="utf-8").split()
        target = Path(self.build_lib) / "katko" / "project_files"
        for pattern in patterns:
            for path in sorted(ROOT.glob(pattern)):
                if path.is_file():
                    destination = target / path.relative_to(ROOT)
                    self.mkpath(str(destination.parent))
                    self.copy_file(str(path), str(destination))


setup(cmdclass={"build_py": BuildPy})
