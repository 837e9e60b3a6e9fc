"""@mentions: who is mentioned, who is told (row + push + mail), once per comment and user."""

import pytest

from notifications.models import Kind, Notification
from notifications.services.mentions import excerpt, mentioned_names

from .conftest import mention_mails


def _mentions(user):
    return list(Notification.objects.filter(user=user, kind=Kind.MENTION))


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("hi @Bob, and @mia!", {"bob", "mia"}),
        ("(@bob) @mia. @mia? @mia;", {"bob", "mia"}),
        ("mail bob@example.com or @ann.lee", {"ann.lee"}),
        ("@first.last@corp.io: see", {"first.last@corp.io"}),
        ("no mentions @ all", set()),
    ],
)
def test_mentions_are_read_like_usernames_less_trailing_punctuation(body, names):
    assert mentioned_names(body) == names


def test_a_mentioned_member_gets_a_row_a_push_and_a_mail(team, pushes, committed):
    with committed():
        comment = team.comment(team.olive, "@BOB can you check   the\nredirect?")

    assert comment.mentions == ["bob"]
    [note] = _mentions(team.bob)
    assert note.title == 'Olive Owner mentioned you on "Fix login"'
    assert note.data == {
        "board": team.board.pk,
        "task": team.task.pk,
        "task_name": "Fix login",
        "comment": comment.pk,
        "actor": {"id": team.olive.pk, "username": "olive"},
        "excerpt": "@BOB can you check the redirect?",
    }
    assert (team.bob.pk, {"type": "notification", "id": note.pk, "kind": "mention",
                          "title": note.title, "data": note.data}) in pushes  # fmt: skip
    [message] = mention_mails("bob@example.com")
    assert message.subject == note.title
    assert f"/boards/{team.board.pk}/?task={team.task.pk}" in message.body
    assert "can you check the redirect?" in message.alternatives[0][0]


def test_a_non_member_is_neither_mentioned_nor_told(team, pushes, committed):
    with committed():
        comment = team.comment(team.bob, "@otto @nobody have a look")

    assert comment.mentions == []
    assert not Notification.objects.filter(kind=Kind.MENTION).exists()
    assert not [p for p in pushes if p[1].get("kind") == "mention"] and not mention_mails()


def test_a_viewer_is_a_member_and_can_be_mentioned(team, committed):
    with committed():
        team.comment(team.bob, "@vic for your information")
    assert len(_mentions(team.vic)) == 1


def test_mentioning_yourself_lists_you_but_tells_nobody(team, pushes, committed):
    with committed():
        comment = team.comment(team.bob, "note to self @bob")

    assert comment.mentions == ["bob"]
    assert not _mentions(team.bob) and not mention_mails()


def test_an_edit_that_adds_a_mention_tells_them_once_whatever_follows(team, pushes, committed):
    with committed():
        comment = team.comment(team.bob, "first draft")
    assert not _mentions(team.mia)

    with committed():
        team.edit(team.bob, comment, "first draft, @mia?")
    assert len(_mentions(team.mia)) == 1 and len(mention_mails("mia@example.com")) == 1

    for body in ("still @mia", "no one now", "back to @Mia", "@mia @olive"):
        with committed():
            comment = team.edit(team.bob, comment, body)
    assert comment.mentions == ["mia", "olive"]
    assert len(_mentions(team.mia)) == 1 and len(mention_mails("mia@example.com")) == 1
    assert len(_mentions(team.olive)) == 1  # newly mentioned by the last edit


def test_the_same_user_in_another_comment_is_told_again(team, committed):
    with committed():
        team.comment(team.bob, "@mia one")
        team.comment(team.bob, "@mia @mia two")
    assert len(_mentions(team.mia)) == 2


def test_mention_mail_off_keeps_the_row_and_the_push_but_sends_no_mail(team, pushes, committed):
    team.mia.mention_mail = False
    team.mia.save()
    with committed():
        team.comment(team.bob, "@mia @olive")

    [note] = _mentions(team.mia)
    assert (team.mia.pk, note.pk) in [(uid, frame["id"]) for uid, frame in pushes]
    assert not mention_mails("mia@example.com") and len(mention_mails("olive@example.com")) == 1


def test_a_member_without_an_address_gets_the_row_and_no_mail(team, committed):
    type(team.mia).objects.filter(pk=team.mia.pk).update(email="")
    with committed():
        team.comment(team.bob, "@mia")
    assert len(_mentions(team.mia)) == 1 and not mention_mails()


def test_nothing_is_pushed_or_mailed_before_commit(
    team, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        team.comment(team.bob, "@mia")
    assert len(_mentions(team.mia)) == 1  # the row is written with the comment
    assert pushes == [] and not mention_mails()
    for callback in callbacks:
        callback()
    assert [uid for uid, frame in pushes if frame["kind"] == "mention"] == [team.mia.pk]
    assert len(mention_mails("mia@example.com")) == 1


def test_the_excerpt_is_one_line_of_at_most_140_characters():
    text = excerpt("word " * 100)
    assert len(text) <= 140 and text.endswith("…") and "\n" not in text
    assert excerpt("short\n\nbody") == "short body"


def test_a_long_card_name_keeps_the_title_within_its_column(team, committed):
    team.task.name = "n" * 100
    team.task.save()
    team.olive.full_name = "O" * 150
    team.olive.save()
    with committed():
        team.comment(team.olive, "@bob")
    [note] = _mentions(team.bob)
    assert len(note.title) <= 200 and note.title.startswith("O" * 150)
