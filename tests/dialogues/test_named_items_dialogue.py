"""A whole typed screening in which the person names an item of a merged question instead of saying yes
(docs/clinical.md, 'Question route, version 2'; hazard R-01)."""

from tests.support.screening_people import screen_typed
from voicecare.screening.answers import Reply
from voicecare.screening.findings import Tier, load_screening

SKIN_READBACK = load_screening().question("saddle_numbness.skin").readback


def test_naming_the_tingling_is_read_back_with_the_whole_scope_and_counted() -> None:
    typed = screen_typed(["no", "forty", "yes", "the tingling", "yes"])
    assert typed.ask_ids[3:5] == ["saddle_numbness.skin", "saddle_numbness.skin.readback"]
    readback = typed.asks[4].text
    assert SKIN_READBACK in readback
    assert typed.result.answers["saddle_numbness.skin"] is Reply.YES
    assert typed.outcome.disposition is Tier.EMERGENCY
    assert typed.outcome.reasons == ["saddle_numbness"]


def test_naming_pads_counts_as_yes_and_no_pads_is_asked_again() -> None:
    named = screen_typed(["no", "forty", "yes", "no", "no", "no", "pads", "yes"])
    assert named.ask_ids[6:8] == ["bladder_change.leaking", "bladder_change.leaking.readback"]
    assert named.outcome.disposition is Tier.EMERGENCY and named.outcome.reasons == ["bladder_change"]
    negated = screen_typed(["no", "forty", "yes", "no", "no", "no", "no pads"])
    assert negated.ask_ids[6:8] == ["bladder_change.leaking", "bladder_change.leaking"]
    assert negated.result.answers.get("bladder_change.leaking") is not Reply.YES
