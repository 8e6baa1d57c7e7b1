"""The README's configuration table names every setting config.py reads, and no other."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_read() -> set[str]:
    source = (ROOT / "chalicelib" / "config.py").read_text()
    return set(re.findall(r'(?:env\.get\(|_int\(env, )"([A-Z][A-Z0-9_]+)"', source))


def settings_documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", section, re.MULTILINE)) | set(
        re.findall(r"^\| `[A-Z_]+` / `([A-Z][A-Z0-9_]+)`", section, re.MULTILINE)
    )


def test_every_setting_is_in_the_readme():
    assert settings_read() - settings_documented() == set()


def test_the_readme_documents_no_setting_that_does_not_exist():
    assert settings_documented() - settings_read() == set()


def test_nothing_but_config_reads_the_environment():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "chalicelib").rglob("*.py")
        if path.name != "config.py" and re.search(r"os\.environ|os\.getenv", path.read_text())
    ]
    assert offenders == []
