"""The ffmpeg layer build, from fake wheels in tmp_path: nothing is downloaded."""

from __future__ import annotations

import stat
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from layers.ffmpeg import build

AARCH64 = 0xB7
X86_64 = 0x3E
BINARY_NAME = "imageio_ffmpeg/binaries/ffmpeg-linux-aarch64-v7.0.2"


def elf_header(machine: int) -> bytes:
    """A real ELF64 little-endian executable header (64 bytes) for the given machine."""
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)  # 64-bit, little-endian, version 1
    header = struct.pack(
        "<16sHHIQQQIHHHHHH",
        ident,
        2,  # e_type: ET_EXEC
        machine,
        1,  # e_version
        0x400000,  # e_entry
        64,  # e_phoff
        0,  # e_shoff
        0,  # e_flags
        64,  # e_ehsize
        56,  # e_phentsize
        0,  # e_phnum
        64,  # e_shentsize
        0,  # e_shnum
        0,  # e_shstrndx
    )
    assert len(header) == 64
    return header


MakeWheel = Callable[..., Path]


@pytest.fixture
def make_wheel(tmp_path: Path) -> MakeWheel:
    def make(*, machine: int = AARCH64, binary_name: str | None = BINARY_NAME) -> Path:
        wheel = tmp_path / "imageio_ffmpeg-0.7.0-py3-none-manylinux2014_aarch64.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("imageio_ffmpeg/__init__.py", "")
            archive.writestr("imageio_ffmpeg/binaries/README.md", "binaries")
            if binary_name is not None:
                archive.writestr(binary_name, elf_header(machine) + b"ffmpeg body " * 1000)
        return wheel

    return make


def build_layer(wheel: Path, out: Path, arch: str = "arm64") -> Path:
    argv = ["--arch", arch, "--wheel", str(wheel), "--out", str(out), "--no-measure"]
    assert build.main(argv) == 0
    return out / f"ffmpeg-{arch}.zip"


def test_layer_holds_only_the_executable_binary(make_wheel: MakeWheel, tmp_path: Path) -> None:
    wheel = make_wheel()
    layer = build_layer(wheel, tmp_path / "dist")

    with zipfile.ZipFile(layer) as archive:
        assert archive.namelist() == ["bin/ffmpeg"]
        info = archive.getinfo("bin/ffmpeg")
        mode = info.external_attr >> 16
        assert stat.S_ISREG(mode)
        assert stat.S_IMODE(mode) == 0o755
        layer_bytes = archive.read("bin/ffmpeg")
    with zipfile.ZipFile(wheel) as archive:
        assert layer_bytes == archive.read(BINARY_NAME)


def test_rebuilding_gives_identical_bytes(make_wheel: MakeWheel, tmp_path: Path) -> None:
    wheel = make_wheel()
    first = build_layer(wheel, tmp_path / "one").read_bytes()
    second = build_layer(wheel, tmp_path / "two").read_bytes()
    assert first == second


@pytest.mark.parametrize(
    ("machine", "binary_name", "message"),
    [
        pytest.param(X86_64, BINARY_NAME, "not arm64", id="x86_64-binary-for-arm64"),
        pytest.param(AARCH64, None, "expected one ffmpeg binary", id="wheel-without-binary"),
    ],
)
def test_build_refuses_a_wheel_without_a_matching_binary(
    make_wheel: MakeWheel, tmp_path: Path, machine: int, binary_name: str | None, message: str
) -> None:
    wheel = make_wheel(machine=machine, binary_name=binary_name)
    with pytest.raises(build.LayerError, match=message):
        build.build("arm64", wheel=wheel, out=tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_cli_reports_a_refused_binary(
    make_wheel: MakeWheel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wheel = make_wheel(machine=X86_64)
    argv = ["--arch", "arm64", "--wheel", str(wheel), "--out", str(tmp_path), "--no-measure"]
    assert build.main(argv) == 1
    assert "not arm64" in capsys.readouterr().err


def test_layer_uses_the_static_imageio_ffmpeg_pin() -> None:
    # 0.8.x binaries need glibc 2.28; Lambda's python3.11 runtime has 2.26.
    assert build.pinned_version() == "0.7.0"
