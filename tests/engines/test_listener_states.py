"""Tier 3: the listener's states (``ListenerState``), one test per transition, on the real pocketsphinx
recogniser with real recordings and espeak-ng speech.

Each test pushes chunks and checks the state after them. Where a transition needs speech to go on at a
given state, the speech is pushed once the listener is in that state: the listener cannot see ahead.
"""

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest

from voicecare.audio.compat import audioop
from voicecare.audio.endpointing import FRAME_BYTES, Endpointer, EndpointSettings
from voicecare.audio.pcm import SAMPLE_WIDTH, Chunk, silence, split_chunks
from voicecare.audio.wav_files import read_wav
from voicecare.recognition.listening import (
    EARLY_END_S,
    PROVISIONAL_END_S,
    ListenerState,
    UtteranceListener,
)
from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer, PocketsphinxSession
from voicecare.recognition.ports import SURE_CONFIDENCE, Heard
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak

WAITING = ListenerState.WAITING
IN_SPEECH = ListenerState.IN_SPEECH
PROVISIONAL = ListenerState.PROVISIONAL
SETTLING = ListenerState.SETTLING
DONE = ListenerState.DONE

YES_NO = ["yes", "no", "not sure", "help", "repeat", "stop"]
"""A grammar where no phrase extends another: each may end an utterance early."""
REPLIES = ["yes", "no", "nope", "not sure", "i don't know", "no i don't know", "no idea", "help", "stop"]
MEANINGS: dict[str, object] = {
    "yes": "yes",
    "no": "no",
    "nope": "no",
    "not sure": "unsure",
    "i don't know": "unsure",
    "no i don't know": "unsure",
    "no idea": "unsure",
}
"""The revisable replies of ``REPLIES``, each with what it means."""
LEAD_S = 0.6
HANGOVER_S = EndpointSettings().end_silence_s


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> EspeakSpeech:
    require_espeak()
    return EspeakSpeech(tmp_path_factory.getbasetemp() / "espeak-cache")


class SpySession:
    def __init__(self, inner: PocketsphinxSession) -> None:
        self.inner = inner
        self.closed: str | None = None
        """"finished" or "cancelled" once closed."""

    def feed(self, chunk: Chunk, trailing_silence_s: float = 0.0) -> str:
        assert self.closed is None
        return self.inner.feed(chunk, trailing_silence_s)

    def finish(self, trailing_silence_s: float = 0.0) -> Heard:
        assert self.closed is None
        self.closed = "finished"
        return self.inner.finish(trailing_silence_s)

    def cancel(self) -> None:
        assert self.closed is None
        self.closed = "cancelled"
        self.inner.cancel()


class SpyRecognizer:
    """The real recogniser, noting the phrases of each session opened and how each one closed."""

    def __init__(self) -> None:
        self.inner = PocketsphinxRecognizer()
        self.opened: list[list[str]] = []
        self.sessions: list[SpySession] = []

    @property
    def name(self) -> str:
        return self.inner.name

    def open(self, phrases: Sequence[str]) -> SpySession:
        self.opened.append(list(phrases))
        self.sessions.append(SpySession(self.inner.open(phrases)))
        return self.sessions[-1]

    @property
    def open_sessions(self) -> int:
        return sum(session.closed is None for session in self.sessions)


def listener_on(
    phrases: Sequence[str] = REPLIES,
    revisable: Mapping[str, object] | None = None,
    early_end_s: float | None = EARLY_END_S,
    settings: EndpointSettings | None = None,
) -> tuple[UtteranceListener, Endpointer, SpyRecognizer]:
    """A listener on a fresh recogniser (so that runs decode alike) and a fresh endpointer."""
    recognizer, endpointer = SpyRecognizer(), Endpointer(settings or EndpointSettings())
    listener = UtteranceListener(recognizer, phrases, endpointer, early_end_s, revisable=revisable)
    return listener, endpointer, recognizer


def steps(listener: UtteranceListener, chunks: Iterable[Chunk]) -> list[tuple[ListenerState, Heard | None]]:
    """Push every chunk; the state and result after each."""
    after = []
    for chunk in chunks:
        heard = listener.push(chunk)
        after.append((listener.state, heard))
    return after


def push_until(listener: UtteranceListener, chunks: Iterable[Chunk], state: ListenerState) -> list[Heard]:
    """Push chunks until the listener is in ``state``; the results given on the way."""
    given = []
    for chunk in chunks:
        heard = listener.push(chunk)
        if heard is not None:
            given.append(heard)
        if listener.state is state:
            return given
    raise AssertionError(f"never {state.name}; ended {listener.state.name} after {given}")


def speech_only(pcm: bytes) -> bytes:
    """``pcm`` from its first to its last frame loud enough for the endpointer to call speech."""
    loud = [
        i
        for i in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)
        if audioop.rms(pcm[i : i + FRAME_BYTES], SAMPLE_WIDTH) >= EndpointSettings().min_rms
    ]
    return pcm[loud[0] : loud[-1] + FRAME_BYTES]


def said(speech: EspeakSpeech, text: str, voice: str = "en-us+f3", rate_wpm: int = 175) -> bytes:
    return silence(LEAD_S) + speech.pcm(text, voice, rate_wpm)


def recording(data_dir: Path, name: str) -> bytes:
    return silence(0.5) + read_wav(data_dir / name)


def test_a_new_listener_waits() -> None:
    listener, _, recognizer = listener_on(YES_NO)
    assert listener.state is WAITING
    assert not listener.revised and listener.partial == "" and listener.level_rms == 0
    assert recognizer.opened == []


def test_waiting_to_in_speech_when_speech_starts(data_dir: Path) -> None:
    listener, endpointer, recognizer = listener_on(YES_NO)
    assert steps(listener, split_chunks(silence(0.5))) == [(WAITING, None)] * 5
    assert listener.level_rms == 0 and recognizer.opened == []
    assert push_until(listener, split_chunks(read_wav(data_dir / "yes_1000ms.wav")), IN_SPEECH) == []
    assert endpointer.in_speech and endpointer.t_s < 1.5
    assert recognizer.opened == [YES_NO] and recognizer.open_sessions == 1
    assert listener.level_rms > 0


def test_waiting_to_done_on_the_no_speech_timeout() -> None:
    listener, _, recognizer = listener_on(YES_NO, settings=EndpointSettings(no_speech_timeout_s=1.0))
    done = steps(listener, split_chunks(silence(1.0)))
    assert [state for state, _ in done] == [WAITING] * 9 + [DONE]
    heard = done[-1][1]
    assert heard is not None and heard.timed_out and heard.start_s == pytest.approx(1.0)
    assert recognizer.opened == []


def test_in_speech_to_done_early_on_a_finishing_phrase(data_dir: Path) -> None:
    listener, endpointer, recognizer = listener_on(YES_NO)
    chunks = split_chunks(recording(data_dir, "yes_1000ms.wav") + silence(1.5))
    push_until(listener, chunks, IN_SPEECH)
    done = push_until(listener, chunks, DONE)
    assert [(h.text, h.provisional) for h in done] == [("yes", False)]
    assert EARLY_END_S - 1e-6 <= endpointer.t_s - done[0].end_s < HANGOVER_S
    assert not endpointer.in_speech and recognizer.sessions[0].closed == "finished"


def test_in_speech_to_done_after_the_hangover(data_dir: Path) -> None:
    listener, _, recognizer = listener_on(YES_NO, early_end_s=None)
    results = steps(listener, split_chunks(recording(data_dir, "yes_1000ms.wav") + silence(1.5)))
    states = [state for state, _ in results]
    ended = states.index(DONE)
    started = states.index(IN_SPEECH)
    assert states[:ended] == [WAITING] * started + [IN_SPEECH] * (ended - started)
    assert not any(heard for _, heard in results[:ended])
    heard = results[ended][1]
    assert heard is not None and heard.text == "yes" and not heard.provisional
    assert HANGOVER_S - 1e-6 <= (ended + 1) * 0.1 - heard.end_s < HANGOVER_S + 0.1
    assert recognizer.sessions[0].closed == "finished"


def test_in_speech_to_provisional_on_a_revisable_phrase(speech: EspeakSpeech) -> None:
    listener, endpointer, recognizer = listener_on(revisable=MEANINGS)
    given = push_until(listener, split_chunks(said(speech, "no") + silence(1.5)), PROVISIONAL)
    assert [(h.text, h.provisional) for h in given] == [("no", True)]
    assert PROVISIONAL_END_S - 1e-6 <= endpointer.t_s - given[0].end_s < HANGOVER_S
    assert not listener.revised and recognizer.open_sessions == 1


def test_provisional_to_settling_when_the_final_decoding_agrees(speech: EspeakSpeech) -> None:
    listener, _, recognizer = listener_on(revisable=MEANINGS)
    chunks = split_chunks(said(speech, "no") + silence(1.5))
    push_until(listener, chunks, PROVISIONAL)
    assert listener.push(next(chunks)) is None
    assert listener.state is SETTLING and not listener.revised
    assert recognizer.open_sessions == 0 and recognizer.sessions[0].closed == "finished"
    final = push_until(listener, chunks, DONE)
    assert [(h.text, h.provisional) for h in final] == [("no", False)]
    assert final[0].confidence >= SURE_CONFIDENCE and not listener.revised


def test_provisional_to_settling_revised_when_the_final_decoding_doubts(speech: EspeakSpeech) -> None:
    """ "so" sounds enough like "no" for the live result; the final decoding is not sure of it."""
    listener, _, _ = listener_on(revisable=MEANINGS)
    chunks = split_chunks(said(speech, "so", "en-us+m3") + silence(1.5))
    assert [h.text for h in push_until(listener, chunks, PROVISIONAL)] == ["no"]
    assert listener.push(next(chunks)) is None
    assert listener.state is SETTLING and listener.revised
    final = push_until(listener, chunks, DONE)
    assert len(final) == 1 and not final[0].provisional and final[0].confidence < SURE_CONFIDENCE
    assert listener.revised


def test_in_speech_to_settling_when_the_reply_is_checked_as_it_is_taken(speech: EspeakSpeech) -> None:
    """The live result of this "noah" becomes a revisable phrase only with the final decoding, after
    ``VERIFY_AFTER_S`` of silence: the reply is given already checked (the final result, sure)."""
    listener, _, recognizer = listener_on(revisable=MEANINGS)
    results = steps(listener, split_chunks(said(speech, "noah", "en-gb") + silence(1.5)))
    given = [(state, heard) for state, heard in results if heard is not None]
    assert PROVISIONAL not in [state for state, _ in results]
    assert [(s, h.text, h.provisional) for s, h in given] == [(SETTLING, "nope", True), (DONE, "nope", False)]
    assert given[0][1].confidence == given[1][1].confidence >= SURE_CONFIDENCE
    assert not listener.revised and recognizer.open_sessions == 0


@pytest.mark.parametrize("taken", [PROVISIONAL, SETTLING])
def test_provisional_or_settling_to_in_speech_when_speech_goes_on(
    speech: EspeakSpeech, taken: ListenerState
) -> None:
    """ "no", then at once "i don't know": the reply is revised and the whole utterance decoded."""
    listener, _, _ = listener_on(revisable=MEANINGS)
    given = push_until(listener, split_chunks(said(speech, "no") + silence(1.5)), taken)
    assert [(h.text, h.provisional) for h in given] == [("no", True)] and not listener.revised
    more = split_chunks(speech_only(speech.pcm("i don't know", "en-us+f3", 175)) + silence(1.5))
    assert listener.push(next(more)) is None
    assert listener.state is IN_SPEECH and listener.revised
    final = push_until(listener, more, DONE)
    assert [(h.text, h.provisional) for h in final] == [("no i don't know", False)]
    assert listener.revised


@pytest.mark.parametrize("state", [WAITING, IN_SPEECH, PROVISIONAL, SETTLING, DONE])
def test_end_of_stream_from_each_state_is_done(speech: EspeakSpeech, state: ListenerState) -> None:
    """The stream ends: an utterance under way is finished (a provisional reply checked), else nothing
    was said."""
    listener, _, recognizer = listener_on(revisable=MEANINGS)
    if state is not WAITING:
        push_until(listener, split_chunks(said(speech, "no") + silence(1.5)), state)
    heard = listener.end_of_stream()
    assert listener.state is DONE and recognizer.open_sessions == 0
    assert not heard.provisional
    if state in (WAITING, DONE):
        assert heard.timed_out and heard.text == ""
    else:
        assert not heard.timed_out and heard.start_s >= LEAD_S - 0.3
    if state in (PROVISIONAL, SETTLING):
        assert heard.text == "no" and not listener.revised
    assert listener.end_of_stream().timed_out and listener.state is DONE


def test_end_of_stream_checks_a_provisional_reply(speech: EspeakSpeech) -> None:
    listener, _, _ = listener_on(revisable=MEANINGS)
    push_until(listener, split_chunks(said(speech, "so", "en-us+m3") + silence(1.5)), PROVISIONAL)
    heard = listener.end_of_stream()
    assert listener.state is DONE and listener.revised and heard.confidence < SURE_CONFIDENCE


def test_cancel_is_done_with_the_session_cancelled(data_dir: Path) -> None:
    listener, _, recognizer = listener_on(YES_NO)
    push_until(listener, split_chunks(recording(data_dir, "yes_1000ms.wav")), IN_SPEECH)
    listener.cancel()
    assert listener.state is DONE and recognizer.sessions[0].closed == "cancelled"


def test_done_listens_on_under_the_same_grammar(data_dir: Path) -> None:
    """Chunks pushed after a result go on as in WAITING: the next utterance starts IN_SPEECH."""
    listener, _, recognizer = listener_on(YES_NO)
    first = push_until(listener, split_chunks(recording(data_dir, "yes_1000ms.wav") + silence(0.5)), DONE)
    assert [h.text for h in first] == ["yes"]
    assert steps(listener, split_chunks(silence(0.5))) == [(DONE, None)] * 5
    second = split_chunks(recording(data_dir, "no_1000ms.wav") + silence(1.5))
    assert push_until(listener, second, IN_SPEECH) == []
    assert [h.text for h in push_until(listener, second, DONE)] == ["no"]
    assert recognizer.opened == [YES_NO, YES_NO]


def test_begin_after_done_re_arms_for_a_new_turn(speech: EspeakSpeech, data_dir: Path) -> None:
    """A revised turn, then ``begin`` with a new grammar and no revisable phrases: the next turn starts
    afresh on the same recogniser and endpointer."""
    listener, endpointer, recognizer = listener_on(revisable=MEANINGS)
    push_until(listener, split_chunks(said(speech, "so", "en-us+m3") + silence(1.5)), DONE)
    assert listener.revised
    listener.begin(YES_NO, early_end_s=None)
    assert listener.state is WAITING and not listener.revised
    assert listener.partial == "" and listener.level_rms == 0
    given = push_until(listener, split_chunks(recording(data_dir, "yes_1000ms.wav") + silence(1.5)), DONE)
    assert [(h.text, h.provisional) for h in given] == [("yes", False)]
    assert endpointer.t_s - given[0].end_s >= HANGOVER_S - 1e-6
    assert recognizer.opened == [REPLIES, YES_NO] and recognizer.open_sessions == 0


@pytest.mark.parametrize("state", [IN_SPEECH, PROVISIONAL, SETTLING])
def test_begin_during_an_utterance_cancels_it(
    speech: EspeakSpeech, data_dir: Path, state: ListenerState
) -> None:
    """``begin`` under way: the session is closed with no result and the endpointer starts afresh."""
    listener, endpointer, recognizer = listener_on(revisable=MEANINGS)
    push_until(listener, split_chunks(said(speech, "no") + silence(1.5)), state)
    listener.begin(YES_NO)
    assert listener.state is WAITING and not listener.revised and listener.level_rms == 0
    assert recognizer.open_sessions == 0 and not endpointer.in_speech
    assert recognizer.sessions[0].closed == ("finished" if state is SETTLING else "cancelled")
    assert steps(listener, split_chunks(silence(1.0))) == [(WAITING, None)] * 10
    given = push_until(listener, split_chunks(recording(data_dir, "yes_1000ms.wav") + silence(1.5)), DONE)
    assert [(h.text, h.provisional) for h in given] == [("yes", False)]
    assert recognizer.opened == [REPLIES, YES_NO]
