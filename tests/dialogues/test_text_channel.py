"""Tier 1: the typed-text channel reads one reply a line and treats end of input as the person gone."""

import io
import os

from voicecare.dialogue.channels.text import TextChannel
from voicecare.speech.ports import SpeechSettings


def test_replies_are_read_a_line_at_a_time_and_end_of_input_ends_it() -> None:
    output = io.StringIO()
    channel = TextChannel(io.StringIO("  Yes \nnot sure\n"), output)
    channel.say("Do you have a fever?", SpeechSettings())
    assert channel.hear([], 1.0).text == "Yes"
    assert channel.hear([], 1.0).text == "not sure"
    assert channel.hear([], 1.0).timed_out and channel.ended
    assert channel.hear([], 1.0).timed_out
    assert output.getvalue() == "Do you have a fever?\n"


def test_no_reply_on_a_real_pipe_times_out_instead_of_hanging() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as reader, os.fdopen(write_end, "w") as writer:
        channel = TextChannel(reader, io.StringIO())
        heard = channel.hear([], 0.05)
        assert heard.timed_out and not channel.ended
        writer.write("no\n")
        writer.flush()
        assert channel.hear([], 1.0).text == "no"


def test_lines_typed_ahead_on_a_pipe_answer_the_next_questions_without_waiting() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as reader, os.fdopen(write_end, "w") as writer:
        channel = TextChannel(reader, io.StringIO())
        writer.write("no\nnot sure\nfifty ")
        writer.flush()
        assert channel.hear([], 0.05).text == "no"
        assert channel.hear([], 0.05).text == "not sure"
        assert channel.hear([], 0.05).timed_out
        writer.write("two\n")
        writer.flush()
        assert channel.hear([], 1.0).text == "fifty two"


def test_a_last_line_without_a_newline_is_read_then_the_input_ends() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as reader:
        with os.fdopen(write_end, "w") as writer:
            writer.write("yes\nI think so")
        channel = TextChannel(reader, io.StringIO())
        assert channel.hear([], 1.0).text == "yes"
        assert channel.hear([], 1.0).text == "I think so" and not channel.ended
        assert channel.hear([], 1.0).timed_out and channel.ended


def test_bytes_that_are_not_text_are_not_understood_rather_than_a_crash() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, encoding="utf-8", errors="strict") as reader:
        with os.fdopen(write_end, "wb") as writer:
            writer.write(b"\xff\xfe\n")
        channel = TextChannel(reader, io.StringIO())
        heard = channel.hear([], 1.0)
        assert heard.rejected and not heard.timed_out
