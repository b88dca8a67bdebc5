"""Build hook: a wheel of Katko carries the files that ``katko init`` copies into new sites.

Those files (templates, interface texts, workflows; listed in
plugins/katko/authoring/newsite/shipped.txt) stay where the example site uses them, at
the top of the repository, so the build copies them into katko/project_files/.
So does the record guide (docs/records*.md), which every site's internal staff
site shows. An editable install (pip install -e .) copies nothing:
katko.authoring.scaffold reads them from the checkout.

The release workflow (.github/workflows/release.yml) sets KATKO_RELEASE_REPOSITORY
and KATKO_RELEASE_TAG: the wheel then records in katko/release.json where it is
released, so that the sites `katko init` makes install Katko from there.
Everything else about the package is in pyproject.toml.
"""

import json
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: The record guide in every language (katko.site.guide).
GUIDE = "docs/records*.md"


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        patterns = (ROOT / "plugins" / "katko" / "authoring" / "newsite" / "shipped.txt").read_text(encoding="utf-8").split()
        patterns.append(GUIDE)
        target = Path(self.build_lib) / "katko" / "project_files"
        for pattern in patterns:
            for path in sorted(ROOT.glob(pattern)):
                if path.is_file():
                    destination = target / path.relative_to(ROOT)
                    self.mkpath(str(destination.parent))
                    self.copy_file(str(path), str(destination))
        repository, tag = os.environ.get("KATKO_RELEASE_REPOSITORY"), os.environ.get("KATKO_RELEASE_TAG")
        if repository and tag:
            release = Path(self.build_lib) / "katko" / "release.json"
            release.write_text(json.dumps({"repository": repository, "tag": tag}) + "\n", encoding="utf-8")


setup(cmdclass={"build_py": BuildPy})
