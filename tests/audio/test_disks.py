"""The failing-disk helpers themselves: a fault test is only as sure as the fault it makes."""

import os

from disks import fill, small_disk


def test_fill_fills_a_disk_whose_free_space_is_not_a_whole_number_of_its_writes():
    with small_disk(512) as disk:
        (disk / "index.sqlite").write_bytes(b"x" * 4096)  # what the app may have written first
        filler = fill(disk)
        assert filler.exists()
        assert os.statvfs(disk).f_bavail == 0
