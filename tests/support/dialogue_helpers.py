"""Helpers for whole-dialogue tests: a conversation over the real text channel with typed replies."""

import io

from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.events import AskEvent, Event, SayEvent
from voicecare.understanding.answers import CommandName
from voicecare.understanding.turn_understanding import TurnUnderstanding


def typed_conversation(*replies: str, extra_commands: frozenset[CommandName] = frozenset()) -> Conversation:
    """A conversation whose person types ``replies`` one a line, then goes away (end of input)."""
    channel = TextChannel(io.StringIO("".join(reply + "\n" for reply in replies)), io.StringIO())
    return Conversation(channel, RecordingSink(), TurnUnderstanding(extra_commands=extra_commands))


def spoken(conversation: Conversation) -> list[str]:
    """Everything the conversation said or asked, in order."""
    sink = conversation.events
    assert isinstance(sink, RecordingSink)
    return [e.text for e in sink.events if isinstance(e, AskEvent | SayEvent)]


def events(conversation: Conversation) -> list[Event]:
    """Every event the conversation emitted."""
    sink = conversation.events
    assert isinstance(sink, RecordingSink)
    return sink.events
