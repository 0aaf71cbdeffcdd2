"""Where events go: JSON lines on a stream, a list kept for tests, or several at once."""

from dataclasses import dataclass, field
from typing import Protocol, TextIO

from voicecare.dialogue.events import AskEvent, Event, HeardEvent, SayEvent, to_json


class EventSink(Protocol):
    """Receives every event of a session as it happens."""

    def emit(self, event: Event) -> None:
        """Take one event."""
        ...


@dataclass
class JsonLinesSink:
    """Writes each event as one JSON line and flushes at once, so a reader sees it as it happens."""

    stream: TextIO

    def emit(self, event: Event) -> None:
        self.stream.write(to_json(event) + "\n")
        self.stream.flush()


@dataclass
class RecordingSink:
    """Keeps every event in order: the transcript that whole-dialogue tests assert on."""

    events: list[Event] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        self.events.append(event)


@dataclass
class NullSink:
    """Drops every event."""

    def emit(self, event: Event) -> None:
        return None


@dataclass
class PrintingSink:
    """Prints the dialogue as plain lines while it is spoken, so a helper can follow it on screen."""

    stream: TextIO

    def emit(self, event: Event) -> None:
        if isinstance(event, AskEvent | SayEvent):
            self.stream.write(event.text + "\n")
        elif isinstance(event, HeardEvent) and event.text:
            self.stream.write(f"> {event.text}\n")
        else:
            return
        self.stream.flush()


@dataclass
class FanOutSink:
    """Hands every event to each of ``sinks``, in order."""

    sinks: list[EventSink]

    def emit(self, event: Event) -> None:
        for sink in self.sinks:
            sink.emit(event)
