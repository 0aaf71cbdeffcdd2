"""Tier 3: the exercise player on the simulated clock with the real synthesiser and recogniser.

A scripted person (espeak-ng, another voice) speaks commands on a tape that runs along the narration;
every check is on session time, which is exact stream time, so nothing here depends on machine speed.
"""

import statistics
from collections.abc import Iterator

import pytest

from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.exercises.timeline import expand
from voicecare.narration.player import PlayEnd
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.narration.wording import load_player_wording
from voicecare.recognition.engines import load_recognizer
from voicecare.screening.safety import load_safety
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak
from voicecare.simulation.player_session import (
    ARMS_ATTEND,
    ARMS_TENSE,
    CLOSING,
    FACE_ATTEND,
    FACE_TENSE,
    RELEASE_S,
    STEPS,
    Played,
    PlayerSession,
    has_sound,
)
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer
from voicecare.understanding.answers import CommandName
from voicecare.understanding.turn_understanding import TurnUnderstanding

WORDING = load_player_wording()
CHUNK_S = 0.1


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlayerSession]:
    require_espeak()
    recognizer, _ = load_recognizer("pocketsphinx")
    understanding = SignAwareUnderstanding(
        TurnUnderstanding(extra_commands=frozenset({CommandName.SKIP, CommandName.TIME_LEFT})),
        load_warning_signs(),
    )
    with Pyttsx3Synthesizer() as synthesizer:
        yield PlayerSession(
            CachedSynthesizer(synthesizer),
            recognizer,
            understanding,
            EspeakSpeech(tmp_path_factory.mktemp("person")),
            tmp_path_factory.mktemp("played"),
        )


@pytest.fixture(scope="module")
def reference(session: PlayerSession) -> Played:
    """The steps played with nobody speaking."""
    return session.play(STEPS)


def sample(pcm: bytes, from_s: float, to_s: float) -> bytes:
    def at(t: float) -> int:
        return int(t * SAMPLE_RATE) * SAMPLE_WIDTH

    return pcm[at(from_s) : at(to_s)]


def test_cue_events_carry_the_session_time_their_cue_word_starts(
    session: PlayerSession, reference: Played
) -> None:
    assert reference.end is PlayEnd.COMPLETED
    timeline = expand(STEPS, session.synthesizer.estimator(SpeechSettings()))
    expected = [(c.t, c.cue.cue, c.cue.group) for c in timeline.cues]
    got = reference.events.cues()
    assert [(cue, group) for _, cue, group in got] == [(cue, group) for _, cue, group in expected]
    assert all(abs(t - want) <= CHUNK_S / 2 for (t, _, _), (want, _, _) in zip(got, expected, strict=True))
    for (t, _, _), cue in zip(got, timeline.cues, strict=True):
        word = session.synthesizer.pcm(cue.cue.text, SpeechSettings())
        found = sample(reference.output, t - 0.01, t + 0.01 + len(word) / (SAMPLE_RATE * SAMPLE_WIDTH))
        assert has_sound(word) and word in found


def test_stop_said_mid_sentence_silences_the_output_within_300_ms(
    session: PlayerSession, reference: Played
) -> None:
    latencies = []
    for sentence, into_s in (
        (ARMS_ATTEND, 1.0),
        (ARMS_TENSE, 2.5),
        (FACE_ATTEND, 1.5),
        (FACE_TENSE, 0.8),
        (CLOSING, 2.0),
    ):
        at = reference.events.time_of(sentence) + into_s
        played = session.play(STEPS, [("stop", at)])
        assert played.end is PlayEnd.STOPPED, (sentence, played.events.said())
        stopped_at = played.player.stopped_at_s
        assert stopped_at is not None
        latency = stopped_at - played.word_ends[0]
        latencies.append(latency)
        assert at < stopped_at and latency <= 0.3, (sentence, latency)
        assert has_sound(sample(played.output, stopped_at - 0.3, stopped_at))
        assert played.events.time_of(WORDING["stopped"]) == pytest.approx(stopped_at)
    print(f"stop latency (s): median {statistics.median(latencies):.3f}, all {latencies}")


def test_pause_holds_the_clock_until_resume(session: PlayerSession, reference: Played) -> None:
    arms_tense_t = reference.events.cues()[0][0]
    played = session.play(STEPS, [("pause", arms_tense_t + 1.5), ("resume", arms_tense_t + 9.0)])
    assert played.end is PlayEnd.COMPLETED
    paused_at = played.events.time_of(WORDING["paused"])
    resumed_at = played.events.time_of(WORDING["resumed"])
    assert played.word_ends[0] < paused_at < played.word_ends[1] < resumed_at
    held = resumed_at + played.player.channel.seconds(WORDING["resumed"], SpeechSettings()) - paused_at
    pairs = zip(played.events.cues(), reference.events.cues(), strict=True)
    shifts = [t - ref for (t, _, _), (ref, _, _) in pairs]
    assert shifts[0] == 0.0
    assert all(abs(shift - held) <= CHUNK_S for shift in shifts[1:]), (shifts, held)


def test_repeat_says_the_sentence_again(session: PlayerSession, reference: Played) -> None:
    played = session.play(STEPS, [("repeat", reference.events.time_of(ARMS_TENSE) + 2.0)])
    assert played.end is PlayEnd.COMPLETED
    assert [text for _, text in played.events.said()].count(ARMS_TENSE) == 2


@pytest.mark.parametrize(("command", "slower"), [("slower", True), ("faster", False)])
def test_slower_and_faster_change_the_rate_and_the_silences(
    session: PlayerSession, reference: Played, command: str, slower: bool
) -> None:
    played = session.play(STEPS, [(command, reference.events.time_of(ARMS_TENSE) + 1.0)])
    assert played.end is PlayEnd.COMPLETED
    assert WORDING[command] in [text for _, text in played.events.said()]
    rate = played.player.conversation.speech.rate_wpm
    assert rate < 160 if slower else rate > 160
    pace = 1.25 if slower else 0.8
    assert played.player.pace == pytest.approx(pace)
    released = played.events.cues()[1][0]
    relax_s = played.player.channel.seconds("Relax.", played.player.conversation.speech)
    gap = played.events.time_of(FACE_ATTEND) - released - relax_s
    assert gap == pytest.approx(RELEASE_S * pace, abs=CHUNK_S)


def test_skip_moves_on_to_the_next_part(session: PlayerSession, reference: Played) -> None:
    played = session.play(STEPS, [("skip", reference.events.time_of(ARMS_TENSE) + 1.0)])
    assert played.end is PlayEnd.COMPLETED
    said = [text for _, text in played.events.said()]
    assert said[said.index(WORDING["skipped"]) + 1] == FACE_ATTEND
    assert [group for _, _, group in played.events.cues()] == ["face", "face"]


def test_how_long_is_left_is_answered_and_the_exercise_goes_on(
    session: PlayerSession, reference: Played
) -> None:
    released = reference.events.cues()[1][0]
    played = session.play(STEPS, [("how long is left", released + 3.0)])
    assert played.end is PlayEnd.COMPLETED
    said = [text for _, text in played.events.said()]
    assert any(text.endswith("left.") and "minute" in text for text in said)
    assert said[-1] == CLOSING


def test_stop_while_paused_ends_the_exercise(session: PlayerSession, reference: Played) -> None:
    release_t = reference.events.cues()[1][0]
    played = session.play(STEPS, [("pause", release_t + 2.0), ("stop", release_t + 8.0)])
    assert played.end is PlayEnd.STOPPED
    assert WORDING["paused"] in [text for _, text in played.events.said()]
    assert played.player.stopped_at_s is not None and played.player.stopped_at_s > release_t + 8.0


def test_a_warning_sign_said_during_the_narration_stops_the_exercise(
    session: PlayerSession, reference: Played
) -> None:
    played = session.play(STEPS, [("numb legs", reference.events.cues()[1][0] + 3.0)])
    assert played.end is PlayEnd.WARNING_SIGN
    assert played.player.sign is not None and played.player.sign.id == "numbness"
    assert played.events.said()[-1][1] == session.understanding.signs.stopped


@pytest.mark.parametrize("words", ["i want to die", "kill myself", "no point going on"])
def test_words_of_self_harm_said_during_the_narration_bring_the_check(
    session: PlayerSession, reference: Played, words: str
) -> None:
    """Nobody answers the check here, and an unanswered check ends in the crisis message."""
    played = session.play(STEPS, [(words, reference.events.cues()[1][0] + 3.0)])
    said = [text for _, text in played.events.said()]
    assert any(text.startswith(load_safety().question) for text in said)
    assert played.end is PlayEnd.SAFETY_STOP


def test_the_narrators_own_voice_heard_back_triggers_no_command(
    session: PlayerSession, reference: Played
) -> None:
    played = session.play(STEPS, echo=reference.heard_back)
    assert played.end is PlayEnd.COMPLETED
    assert played.events.said() == reference.events.said()
    assert played.events.cues() == reference.events.cues()
