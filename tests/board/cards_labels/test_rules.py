"""The rules of a label (services/labels.py): a trimmed name of 1..30 characters, unique on
its board ignoring case, a #rrggbb colour stored lower case, at most 100 per board."""

import pytest
from django.core.exceptions import ValidationError

from board.models import BoardEvent, Label
from board.services import Actor
from board.services import labels as label_services
from board.services.labels import LABELS_PER_BOARD_MAX, label_create, label_update

from .conftest import last_seq, make_label


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


def test_a_label_is_created_with_its_name_trimmed_and_its_colour_lower_case(team):
    label = make_label(team, name="  Needs review ", color="#1F77B4")
    label.refresh_from_db()
    assert (label.name, label.name_key, label.color) == ("Needs review", "needs review", "#1f77b4")


# "ß" * 30 is 30 characters whose casefolded key ("ss" * 30) would not fit its column.
@pytest.mark.parametrize("name", ["", "   ", "x" * 31, "ß" * 30])
def test_an_empty_or_long_name_is_refused(team, name):
    with pytest.raises(ValidationError) as exc:
        make_label(team, name=name)
    assert list(errors(exc)) == ["name"]
    assert not Label.objects.exists()


def test_thirty_characters_are_enough(team):
    assert make_label(team, name="x" * 30).name == "x" * 30


@pytest.mark.parametrize("color", ["red", "#12345", "#1234567", "#12345g", "1f77b4", "#1f77b4\n"])
def test_a_colour_that_is_not_rrggbb_is_refused(team, color):
    with pytest.raises(ValidationError) as exc:
        make_label(team, color=color)
    assert list(errors(exc)) == ["color"]


@pytest.mark.parametrize("other", ["bug", "BUG", " Bug "])
def test_a_name_the_board_has_in_any_case_is_refused(team, other):
    make_label(team, name="Bug")
    seq = last_seq(team.board)
    with pytest.raises(ValidationError) as exc:
        make_label(team, name=other)
    assert "already has" in errors(exc)["name"][0]
    assert Label.objects.count() == 1 and last_seq(team.board) == seq


def test_the_same_name_on_another_board_is_fine(team):
    make_label(team, name="Bug")
    stranger = Actor(team.stranger)
    label_create(actor=stranger, board_id=team.elsewhere.pk, name="bug", color="#000000")
    assert Label.objects.filter(name_key="bug").count() == 2


def test_a_rename_into_another_labels_name_is_refused_and_a_change_of_case_is_not(team):
    bug, feature = make_label(team, name="Bug"), make_label(team, name="Feature")
    with pytest.raises(ValidationError) as exc:
        label_update(actor=team.actor, label_id=feature.pk, name="BUG")
    assert list(errors(exc)) == ["name"]
    renamed = label_update(actor=team.actor, label_id=bug.pk, name="BUG")
    assert (renamed.name, renamed.name_key) == ("BUG", "bug")


def test_the_unique_constraint_answers_like_the_check(team, monkeypatch):
    """A clash only the database sees (MariaDB's collation equates more than casefold) is the
    same 400, and the transaction around it stays usable."""
    make_label(team, name="Bug")
    monkeypatch.setattr(label_services, "_check_free", lambda *args, **kwargs: None)
    seq = last_seq(team.board)
    with pytest.raises(ValidationError) as exc:
        make_label(team, name="bug")
    assert list(errors(exc)) == ["name"]
    assert Label.objects.count() == 1 and last_seq(team.board) == seq


@pytest.mark.mysql
def test_names_the_collation_equates_clash_on_mariadb(team):
    make_label(team, name="Café")
    with pytest.raises(ValidationError) as exc:
        make_label(team, name="cafe")
    assert list(errors(exc)) == ["name"]


def test_a_board_holds_at_most_100_labels(team):
    Label.objects.bulk_create(
        Label(board=team.board, name=f"L{i}", name_key=f"l{i}", color="#000000")
        for i in range(LABELS_PER_BOARD_MAX)
    )
    with pytest.raises(ValidationError) as exc:
        make_label(team, name="One more")
    assert "at most 100" in str(exc.value)
    Label.objects.filter(name="L0").delete()
    assert make_label(team, name="One more").pk


def test_an_update_that_changes_nothing_emits_nothing(team):
    label = make_label(team, name="Bug", color="#aabbcc")
    seq = last_seq(team.board)
    same = label_update(actor=team.actor, label_id=label.pk, name=" Bug ", color="#AABBCC")
    assert same.pk == label.pk
    label_update(actor=team.actor, label_id=label.pk)
    assert last_seq(team.board) == seq
    assert not BoardEvent.objects.filter(board=team.board, seq__gt=seq).exists()
