"""Build the ffmpeg Lambda layer for the media function from the imageio-ffmpeg wheel.

The layer holds one file, `bin/ffmpeg`; Lambda unpacks layers under /opt, so the function runs
/opt/bin/ffmpeg (FFMPEG_BINARY). The version is the one pinned in requirements-dev.txt, so AWS
runs the same ffmpeg as local mode and the tests. It is pinned to 0.7.0 because its
manylinux2014 binaries are statically linked: they carry their own libc and run on Lambda's
python3.11 runtime (Amazon Linux 2, glibc 2.26). The 0.8.x binaries need glibc 2.28.

    python -m layers.ffmpeg.build --arch arm64|x86_64 [--wheel PATH] [--out DIR] [--no-measure]

It also checks that the function's package plus the layer fits Lambda's 250 MB unzipped limit
(MB here is 2**20 bytes, as in Lambda's quota of 262,144,000 bytes).
"""

from __future__ import annotations

import argparse
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "layers" / "dist"
BINARY_PATTERN = re.compile(r"imageio_ffmpeg/binaries/ffmpeg-linux-[^/]+")
LAYER_ENTRY = "bin/ffmpeg"
# A fixed timestamp (the earliest a zip can hold) so a rebuild gives identical bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
LIMIT_BYTES = 250 * 2**20
MB = 2**20


@dataclass(frozen=True)
class Target:
    platform: str  # the wheel platform tag pip asks for
    e_machine: int  # the ELF header's machine field for this architecture


TARGETS = {
    "x86_64": Target("manylinux2014_x86_64", 0x3E),
    "arm64": Target("manylinux2014_aarch64", 0xB7),
}


class LayerError(Exception):
    """The layer cannot be built as asked (wrong binary, missing wheel, pip failed)."""


def pinned_version(requirements: Path = ROOT / "requirements-dev.txt") -> str:
    """The imageio-ffmpeg version pinned in the requirements file."""
    found = re.search(
        r"^imageio[-_]ffmpeg==(\S+)", requirements.read_text(), re.MULTILINE | re.IGNORECASE
    )
    if found is None:
        raise LayerError(f"imageio-ffmpeg is not pinned in {requirements}")
    return found.group(1)


def _pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args], check=False)
    if result.returncode != 0:
        raise LayerError(f"pip {args[0]} failed (exit {result.returncode})")


def download_wheel(target: Target, version: str, dest: Path) -> Path:
    """Fetch the imageio-ffmpeg wheel for the target platform into dest."""
    _pip(
        "download", "--no-deps", "--only-binary=:all:", "--platform", target.platform,
        "--python-version", "3.11", f"imageio-ffmpeg=={version}", "-d", str(dest),
    )  # fmt: skip
    wheels = sorted(dest.glob("imageio_ffmpeg-*.whl"))
    if len(wheels) != 1:
        raise LayerError(f"expected one imageio-ffmpeg wheel in {dest}, found {len(wheels)}")
    return wheels[0]


def read_binary(wheel: Path) -> bytes:
    """The one ffmpeg binary inside the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = [name for name in archive.namelist() if BINARY_PATTERN.fullmatch(name)]
        if len(names) != 1:
            raise LayerError(f"expected one ffmpeg binary in {wheel.name}, found {names}")
        return archive.read(names[0])


def check_machine(binary: bytes, arch: str) -> None:
    """Refuse a binary that is not an ELF executable for the arch's processor."""
    if binary[:4] != b"\x7fELF" or len(binary) < 20:
        raise LayerError("the ffmpeg binary is not an ELF file")
    # e_machine sits at offset 18; both targets are little-endian.
    (machine,) = struct.unpack_from("<H", binary, 18)
    if machine != TARGETS[arch].e_machine:
        raise LayerError(f"the ffmpeg binary is for ELF machine {machine:#x}, not {arch}")


def write_layer(binary: bytes, path: Path) -> None:
    """Write a layer zip whose only entry is an executable bin/ffmpeg."""
    info = zipfile.ZipInfo(LAYER_ENTRY, date_time=ZIP_EPOCH)
    info.create_system = 3  # Unix, so unzip (and Lambda) read the mode below
    info.external_attr = 0o100755 << 16  # a regular file, rwxr-xr-x
    info.compress_type = zipfile.ZIP_DEFLATED
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as layer:
        layer.writestr(info, binary)


def build(arch: str, *, wheel: Path | None = None, out: Path = DEFAULT_OUT) -> Path:
    """Build `<out>/ffmpeg-<arch>.zip` from the given wheel, or the pinned one from PyPI."""
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            wheel = download_wheel(TARGETS[arch], pinned_version(), Path(tmp))
        binary = read_binary(wheel)
    check_machine(binary, arch)
    path = out / f"ffmpeg-{arch}.zip"
    write_layer(binary, path)
    return path


def unzipped_size(zip_path: Path) -> int:
    with zipfile.ZipFile(zip_path) as archive:
        return sum(info.file_size for info in archive.infolist())


def _tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def function_size(arch: str) -> int:
    """Unzipped bytes of the function's package: requirements.txt for the platform plus what
    Chalice adds from the project (app.py and chalicelib/)."""
    with tempfile.TemporaryDirectory() as tmp:
        # --no-compile: Chalice unpacks wheels and ships no .pyc files for them.
        _pip(
            "install", "--quiet", "--no-compile", "--only-binary=:all:",
            "--platform", TARGETS[arch].platform, "--python-version", "3.11",
            "--implementation", "cp", "--target", tmp, "-r", str(ROOT / "requirements.txt"),
        )  # fmt: skip
        deps = _tree_size(Path(tmp))
    return deps + _tree_size(ROOT / "app.py") + _tree_size(ROOT / "chalicelib")


def size_table(function_bytes: int, layer_bytes: int) -> str:
    total = function_bytes + layer_bytes
    rows = [
        ("function package", f"{function_bytes / MB:.1f} MB"),
        ("ffmpeg layer", f"{layer_bytes / MB:.1f} MB"),
        ("total", f"{total / MB:.1f} MB"),
        ("limit", f"{LIMIT_BYTES / MB:.0f} MB"),
        ("headroom", f"{(LIMIT_BYTES - total) / MB:.1f} MB"),
        ("fits", "yes" if total <= LIMIT_BYTES else "no"),
    ]
    return "\n".join(f"{name:<18}{value:>10}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m layers.ffmpeg.build",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--arch", choices=sorted(TARGETS), required=True)
    parser.add_argument("--wheel", type=Path, help="a local imageio-ffmpeg wheel (default: pip)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-measure", action="store_true", help="skip the function's size")
    args = parser.parse_args(argv)
    try:
        path = build(args.arch, wheel=args.wheel, out=args.out)
        layer_bytes = unzipped_size(path)
        sys.stdout.write(
            f"{path}: {path.stat().st_size / MB:.1f} MB zipped, "
            f"{layer_bytes / MB:.1f} MB unzipped\n"
        )
        if args.no_measure:
            return 0
        function_bytes = function_size(args.arch)
    except LayerError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    sys.stdout.write(size_table(function_bytes, layer_bytes) + "\n")
    return 0 if function_bytes + layer_bytes <= LIMIT_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
