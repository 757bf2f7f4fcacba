"""Label Studio export checked by label-studio-sdk's LabelInterface; offsets are code points."""

from __future__ import annotations

import json

import pytest

from tests.exchange.helpers4 import expected_spans, export

pytest.importorskip("label_studio_sdk")
from label_studio_sdk.converter.utils import create_tokens_and_tags  # noqa: E402
from label_studio_sdk.label_interface import LabelInterface  # noqa: E402


def _read(folder):
    config = (folder / "config.xml").read_text(encoding="utf-8")
    tasks = json.loads((folder / "tasks.json").read_text(encoding="utf-8"))
    return config, tasks


def test_labelstudio_config_and_results_validate(hostile_project, tmp_path):
    config, tasks = _read(export(hostile_project, "labelstudio", tmp_path / "ls"))
    li = LabelInterface(config)
    li.validate()  # raises on a bad config
    assert len(tasks) == 4
    n_results = 0
    for t in tasks:
        for obj in li.objects:  # what validate_task checks: every $variable is in data
            if obj.value_is_variable:
                assert t["data"].get(obj.value_name) is not None, obj.value_name
        for ann in t["annotations"]:
            errors = li.validate_prediction(ann, return_errors=True)
            assert errors == [], errors
            assert li.validate_annotation(ann)
            n_results += len(ann["result"])
    assert n_results > 30


def test_labelstudio_region_text_is_code_point_slice(hostile_project, tmp_path):
    _, tasks = _read(export(hostile_project, "labelstudio", tmp_path / "ls"))
    got = set()
    for t in tasks:
        text = t["data"]["text"]
        for ann in t["annotations"]:
            for r in ann["result"]:
                if r.get("type") == "labels":
                    v = r["value"]
                    assert text[v["start"]:v["end"]] == v["text"]
                    kind = "claim" if v["labels"] == ["Claim"] else "mention"
                    got.add((t["data"]["uid"], ann["stancemark"]["annotator"], kind,
                             v["start"], v["end"], v["text"]))
    assert got == expected_spans(hostile_project)


def test_labelstudio_sdk_converter_reads_offsets_as_code_points(hostile_project, tmp_path):
    # The SDK's CoNLL converter tokenises data.text in Python and tags tokens by the
    # region offsets: right tags after an emoji prove the unit is the code point.
    _, tasks = _read(export(hostile_project, "labelstudio", tmp_path / "ls"))
    emoji = next(t for t in tasks if "😀" in t["data"]["text"])
    alice = next(a for a in emoji["annotations"] if a["stancemark"]["annotator"] == "alice")
    spans = [r["value"] for r in alice["result"]
             if r.get("type") == "labels" and r["value"]["labels"] == ["Person"]]
    tokens, tags = create_tokens_and_tags(emoji["data"]["text"], spans)
    tagged = [(tok, tag) for tok, tag in zip(tokens, tags, strict=True) if tag != "O"]
    assert tagged == [("Ana", "B-Person"), ("Petrović", "I-Person"), ("Petrović", "B-Person")]


def test_labelstudio_relations_choices_and_sentiment(hostile_project, tmp_path):
    _, tasks = _read(export(hostile_project, "labelstudio", tmp_path / "ls"))
    cyr = next(t for t in tasks if "Вучић" in t["data"]["text"])
    [ann] = cyr["annotations"]
    by_id = {}
    for r in ann["result"]:
        if r.get("type") != "relation":
            by_id.setdefault(r["id"], {})[r["from_name"]] = r["value"]
    claim_id = next(i for i, r in by_id.items()
                    if r["label"]["text"] == "Вучић “lives in the past”")
    claim = by_id[claim_id]
    assert claim["stance"]["choices"] == ["-1 negative"]
    assert claim["category"]["choices"] == ["Security › Policing"]
    assert claim["claimant"]["text"] == ["Albin Kurti"]
    assert claim["target"]["text"] == ["Aleksandar Vučić"]
    rels = {(r["labels"][0], by_id[r["from_id"]]["label"]["text"],
             by_id[r["to_id"]]["label"]["text"])
            for r in ann["result"] if r.get("type") == "relation"}
    assert ("claimant", "Albin Kurti", "Вучић “lives in the past”") in rels
    assert ("target", "Вучић “lives in the past”", "Вучић") in rels
    vucic = next(r for r in by_id.values() if r["label"]["text"] == "Вучић")
    assert vucic["actor_sentiment"]["choices"] == ["-1 negative"]

    emoji = next(t for t in tasks if "😀" in t["data"]["text"])
    sentiments = {a["stancemark"]["annotator"]: r["value"]["choices"]
                  for a in emoji["annotations"] for r in a["result"]
                  if r.get("from_name") == "sentiment"}
    assert sentiments == {"alice": ["+0 neutral"], "bob": ["-1 negative"]}


def test_labelstudio_untyped_actor_still_validates(tmp_path):
    from stancemark.core.models import ArticleDraft
    from stancemark.store import memory_project

    s = memory_project()
    text = "Zed 👾 argued."
    aid = s.articles.add(ArticleDraft(text=text, title=None))
    zed = s.actors.add("Zed", None)
    s.annotations.add_mention(aid, 0, 3, zed, "carol")
    s.annotations.add_claim(aid, 0, len(text) - 1, "carol", claimant_id=zed,
                            category="economy", stance=2)
    config, tasks = _read(export(s, "labelstudio", tmp_path / "ls"))
    li = LabelInterface(config)
    li.validate()
    ann = tasks[0]["annotations"][0]
    assert 'value="Actor"' in config
    assert li.validate_prediction(ann, return_errors=True) == []
    # the validator has teeth: a label the config lacks is refused
    ann["result"][0]["value"]["labels"] = ["Nobody"]
    assert li.validate_prediction(ann, return_errors=True) != []
    s.close()


def test_labelstudio_zip_through_the_export_service(hostile_project, tmp_path):
    import zipfile

    from stancemark.services.exchange import export_project

    export_project(hostile_project, "labelstudio", tmp_path / "ls.zip")
    with zipfile.ZipFile(tmp_path / "ls.zip") as zf:
        config = next(zf.read(n) for n in zf.namelist() if n.endswith("config.xml"))
        tasks = json.loads(next(zf.read(n) for n in zf.namelist() if n.endswith("tasks.json")))
    li = LabelInterface(config.decode("utf-8"))
    li.validate()
    assert all(li.validate_annotation(a) for t in tasks for a in t["annotations"])


def test_labelstudio_annotators_travel_in_task_data(hostile_project, tmp_path):
    """Label Studio keeps ``data`` whole (and an annotation's ``id`` as its import_id)."""
    _, tasks = _read(export(hostile_project, "labelstudio", tmp_path / "ls"))
    names = set()
    for t in tasks:
        data = t["data"]
        assert data["annotators"] == [a["stancemark"]["annotator"] for a in t["annotations"]]
        assert data["annotator_by_id"] == {str(a["id"]): a["stancemark"]["annotator"]
                                           for a in t["annotations"]}
        names.update(data["annotators"])
    assert names == {"alice", "bob"}


def _label_studio_credits(annotation, members_email_to_id, importing_user):
    """Label Studio's rule for who an imported annotation belongs to (tasks serializer,
    ``_insert_valid_completed_by``): no ``completed_by`` -> the importing user; a dict
    with a member's e-mail -> that member; anything else -> the import fails."""
    completed_by = annotation.get("completed_by")
    if completed_by is None:
        return importing_user
    if isinstance(completed_by, dict) and completed_by.get("email") in members_email_to_id:
        return members_email_to_id[completed_by["email"]]
    raise ValueError(f"import refused: completed_by={completed_by}")


def test_labelstudio_users_by_email(tmp_path):
    from stancemark.core.errors import ValidationError
    from stancemark.core.models import ArticleDraft
    from stancemark.services.exchange import export_project
    from stancemark.store import memory_project

    s = memory_project()
    text = "Ana said no."
    aid = s.articles.add(ArticleDraft(text=text, title="t"))
    ana = s.actors.add("Ana", "person")
    for who in ("ana@example.org", "boris@example.org"):
        s.annotations.add_mention(aid, 0, 3, ana, who)
    members = {"ana@example.org": 7, "boris@example.org": 9}
    export_project(s, "labelstudio", tmp_path / "names")
    _, [t] = _read(tmp_path / "names")
    assert {_label_studio_credits(a, members, 1) for a in t["annotations"]} == {1}
    assert t["meta"]["annotators"] == ["ana@example.org", "boris@example.org"]
    export_project(s, "labelstudio", tmp_path / "email", options={"ls_users": "email"})
    _, [t] = _read(tmp_path / "email")
    credited = [_label_studio_credits(a, members, 1) for a in t["annotations"]]
    assert credited == [7, 9]
    s.annotations.add_mention(aid, 0, 3, ana, "cleo")
    with pytest.raises(ValidationError, match="not an e-mail"):
        export_project(s, "labelstudio", tmp_path / "bad", options={"ls_users": "email"})
    assert not (tmp_path / "bad").exists()
