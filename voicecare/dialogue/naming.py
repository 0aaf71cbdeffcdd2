"""Names by voice (issue 11): who is speaking on a shared device, a new name with its read-back, and a
change of name. Every sentence comes from ``content/naming.toml``; the names are read by
``understanding.names.NameBook``; storing them is the session's (``Session.identify``,
``Session.rename_person``)."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from voicecare.content.reader import CONTENT_DIR, read_table
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.prompt import Option, Prompt
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice, FreeText, No, Yes
from voicecare.understanding.names import NameBook, normal

NAMING_FILE = CONTENT_DIR / "naming.toml"
SOMEONE_NEW = "someone_new"
"""The choice of "Who am I speaking with?" that means a person not yet stored."""
NAME_TRIES = 2
"""How often a name is asked when its read-back is answered no."""
_TALK = ("readback", "readback_help", "renamed", "taken", "unnamed")


@dataclass(frozen=True)
class NamingTalk:
    """``content/naming.toml``: the name question, "Who am I speaking with?" and what is said around them."""

    ask: Prompt
    who: Prompt
    talk: dict[str, str]

    def line(self, key: str, name: str) -> str:
        """The sentence ``key`` of [talk] with ``{name}`` filled."""
        return fill(self.talk[key], {"name": name})


def load_naming_talk() -> NamingTalk:
    """Read and validate ``content/naming.toml``."""
    root = read_table(NAMING_FILE)
    root.only(["ask", "who", "talk"])
    ask, who, talk = root.table("ask"), root.table("who"), root.table("talk")
    ask.only(["text", "help", "reask"])
    who.only(["text", "help", "reask", "new"])
    talk.only(_TALK)
    return NamingTalk(
        Prompt(
            "name", ask.text("text"), kind=AnswerKind.FREE, help=ask.text("help"), reask=ask.text("reask")
        ),
        Prompt(
            "name.who",
            who.text("text"),
            kind=AnswerKind.CHOICE,
            help=who.text("help"),
            reask=who.text("reask"),
            options=(Option(SOMEONE_NEW, who.texts("new")),),
        ),
        {key: talk.text(key) for key in _TALK},
    )


def ask_name(
    conversation: Conversation, book: NameBook, talk: NamingTalk, given: str | None = None
) -> str | None:
    """A name the person gives ("What name shall I remember you by?", unless ``given`` already) and
    confirms with a clear yes to its read-back; None when none is given or confirmed."""
    name = given
    for _ in range(NAME_TRIES):
        if name is None:
            answer = conversation.ask(_with_names(talk.ask, book))
            if not isinstance(answer, FreeText):
                return None
            name = answer.text
        check = Prompt(
            "name.readback", talk.line("readback", name), help=talk.talk["readback_help"], readback=True
        )
        reply = conversation.ask(check)
        if isinstance(reply, Yes):
            return name
        if not isinstance(reply, No):
            return None
        name = None
    return None


def who_is_speaking(
    conversation: Conversation, stored: Sequence[str], book: NameBook, talk: NamingTalk
) -> str | None:
    """"Who am I speaking with?" among ``stored`` names: a stored name as stored; "someone new", or a
    name not stored, asks or reads back a new name; None when no name is given."""
    answer = conversation.ask(_with_names(talk.who, book))
    if isinstance(answer, Choice) and answer.id == SOMEONE_NEW:
        return ask_name(conversation, book, talk)
    if not isinstance(answer, FreeText):
        return None
    for name in stored:
        if normal(name) == normal(answer.text):
            return name
    return ask_name(conversation, book, talk, given=answer.text)


def _with_names(prompt: Prompt, book: NameBook) -> Prompt:
    return replace(prompt, names=book)
