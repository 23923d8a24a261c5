from pathlib import Path

import pytest

from bot.core.errors import ContentError
from bot.storage.corpus_files import load_corpus


def test_a_folder_of_bare_text_files_loads_with_metadata_from_file_names(tmp_path: Path) -> None:
    (tmp_path / "diplomatic-bluebook-2012_ch3.txt").write_text(
        "Middle East\n\nJapan attaches importance to the region.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    doc = corpus.documents["diplomatic-bluebook-2012-ch3"]
    assert doc.meta.edition == 2012
    assert doc.meta.title == "diplomatic bluebook 2012 ch3"
    assert [p.kind for p in doc.passages] == ["heading", "paragraph"]


def test_manifest_errors_name_file_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some text here.\n")
    (tmp_path / "corpus.yaml").write_text(
        "documents:\n"
        "  - id: a\n"
        "    file: a.txt\n"
        "    title: A\n"
        "    edition: nineteen\n"
        "    colour: red\n"
        "  - id: b\n"
        "    file: missing.txt\n"
        "    title: B\n")
    with pytest.raises(ContentError) as info:
        load_corpus(tmp_path)
    text = str(info.value)
    assert "corpus.yaml:5: documents[0].edition" in text
    assert "corpus.yaml:6: documents[0].colour: unknown key" in text
    with pytest.raises(ContentError):
        load_corpus(tmp_path / "nowhere")


def test_missing_file_and_bad_yaml_are_reported_with_lines(tmp_path: Path) -> None:
    (tmp_path / "corpus.yaml").write_text("documents:\n  - id: b\n    file: missing.txt\n"
                                          "    title: B\n")
    with pytest.raises(ContentError, match=r"corpus.yaml:3: documents\[0\].file: no such file"):
        load_corpus(tmp_path)
    (tmp_path / "corpus.yaml").write_text("documents: [\n  - id: : :\n")
    with pytest.raises(ContentError, match=r"corpus.yaml:\d+: invalid YAML"):
        load_corpus(tmp_path)


def test_non_utf8_text_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 au lait\n")
    with pytest.raises(ContentError, match=r"bad\.txt: not UTF-8"):
        load_corpus(tmp_path)
