from pathlib import Path
from typing import BinaryIO

import pytest

from bot.storage.files import write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary_behind(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "state.json"
    write_atomically(target, lambda fh: fh.write(b"old"))

    def broken(fh: BinaryIO) -> None:
        fh.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]
