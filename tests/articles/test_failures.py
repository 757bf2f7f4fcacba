"""Every way a file can fail to be an article gives a ReadFailure with a status."""

import os
import time

import pytest

from stancemark.articles import MAX_BYTES, ReadFailure, read_bytes, read_file
from stancemark.core.errors import ArticleReadError


def status_of(path):
    with pytest.raises(ReadFailure) as info:
        read_file(path)
    assert isinstance(info.value, ArticleReadError)
    assert str(info.value)  # the message tells the user something
    return info.value


def test_max_bytes_is_20_mib():
    assert MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \r\n", "\ufeff  \n".encode("utf-8")])
def test_empty_files(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert status_of(path).status == "empty"


def test_only_page_furniture_is_empty(tmp_path):
    path = tmp_path / "chrome.txt"
    path.write_text("Share\nTweet\n0:00\n28:21\nPodcasts\n", encoding="utf-8")
    assert status_of(path).status == "empty"


def test_sparse_1gb_file_is_too_large_and_fast(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(1024**3)
    start = time.perf_counter()
    err = status_of(path)
    assert time.perf_counter() - start < 0.1
    assert err.status == "too_large"
    assert "1024.0 MB" in err.message


def test_max_bytes_argument(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title here\n\n" + "word " * 300, encoding="utf-8")
    with pytest.raises(ReadFailure) as info:
        read_file(path, max_bytes=1000)
    assert info.value.status == "too_large"
    assert read_file(path, max_bytes=2000).title == "Title here"


def test_nul_bytes_are_binary(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert status_of(path).status == "binary"


def test_random_bytes_are_binary(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(os.urandom(4096))
    assert status_of(path).status == "binary"


def test_invalid_utf8_in_no_encoding(tmp_path):
    # Control bytes and bytes that no Windows code page assigns: not UTF-8, not text.
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"Headline \x81\x8d\x8f\x90\x9d\x98 \x01\x02\x03\x04\x05\x06 " * 40)
    assert status_of(path).status == "binary"


def test_text_in_no_known_encoding_is_unreadable(tmp_path):
    # Bytes no Windows code page assigns, among ordinary words: not binary, not decodable.
    path = tmp_path / "odd.txt"
    path.write_bytes(b"Headline \x81\x8d\x8f\x90\x9d\x98 more words here " * 40)
    err = status_of(path)
    assert err.status == "unreadable"
    assert "UTF-8" in str(err)


def test_bad_utf16_after_bom_is_unreadable():
    with pytest.raises(ReadFailure) as info:
        read_bytes(b"\xff\xfe" + "Title of the piece".encode("utf-16-le") + b"\x00\xd8", name="a")
    assert info.value.status == "unreadable"


def test_directory_is_unreadable(tmp_path):
    err = status_of(tmp_path)
    assert err.status == "unreadable"
    assert "folder" in err.message


def test_missing_file_is_unreadable(tmp_path):
    err = status_of(tmp_path / "nope.txt")
    assert err.status == "unreadable"
    assert "nope.txt" in err.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_permission_denied_is_unreadable(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody text here.", encoding="utf-8")
    path.chmod(0)
    try:
        assert status_of(path).status == "unreadable"
    finally:
        path.chmod(0o600)


def test_bad_fmt_argument():
    with pytest.raises(ValueError):
        read_bytes(b"Title\n\nBody.", fmt="pdf")
