"""Where a reply stops being the assistant's own turn.

A base model (or a small one) often goes on writing the dialogue after its answer: a line
``Student: …`` or ``User: …``, then ``Assistant: …`` again. What follows the first such line
is the model playing both parts, not its reply to the user, and numbers or claims in it are
not answers. Graders read the reply up to that line.

Example:
    >>> own_turn("It is 9 J.\\nStudent: What about a 10 kg ball?\\nAssistant: 80 J.")
    'It is 9 J.'
    >>> own_turn("Answer: 9 J.")
    'Answer: 9 J.'
"""

from __future__ import annotations

import re

from backbone.graders.text_tokens import first_line

# a line that hands the turn to a speaker: the model writing the next turns itself
_SPEAKER = re.compile(
    r"\n[ \t]*(?:user|student|human|assistant|teacher|tutor|customer|client|patient|system"
    r"|ai|bot|me|you)[ \t]*:",
    re.I,
)


def own_turn(reply: str) -> str:
    """The reply up to the first line that starts another speaker's turn."""
    m = _SPEAKER.search(reply)
    return reply[: m.start()] if m else reply


def asked_again(reply: str) -> list[str]:
    r"""The later turns of a dialogue the model writes on that open by asking the question
    its own turn opens with, each up to the next speaker: a base model looping "What is the
    chemical symbol for gold?\nAnswer: Ag\nAssistant: What is the chemical symbol for
    gold?\nAnswer: Au..." answers the same question again (with another answer, or the
    same), where turns on other questions are other problems, not answers.

    Example:
        >>> asked_again("Gold?\nAnswer: Ag\nAssistant: Gold?\nAnswer: Au\nUser: Iron?")
        ['Gold?\nAnswer: Au']
    """
    own = own_turn(reply)
    first = own.strip().split("\n", 1)[0].strip()
    if not first.endswith("?"):
        return []
    speakers = list(_SPEAKER.finditer(reply))
    ends = [m.start() for m in speakers[1:]] + [len(reply)]
    turns = [reply[m.end() : end].strip() for m, end in zip(speakers, ends, strict=False)]
    return [t for t in turns if t.split("\n", 1)[0].strip() == first]


def asked_again_inline(reply: str, question: str) -> list[str]:
    r"""What a reply says after each line that is the question asked, word for word, again:
    a base model looping "1929\nIn which year ...?\n1907\nIn which year ...?\n1863" answers
    the same question again on each pass, with no speaker named.

    Example:
        >>> asked_again_inline("1929\nWhich year?\n1907\nWhich year?\n1863", "Which year?")
        ['1907', '1863']
    """
    first = " ".join(first_line(question).split()).lower()
    if not first.endswith("?"):
        return []
    parts: list[str] = []
    current: list[str] | None = None
    for line in reply.splitlines():
        if " ".join(line.split()).lower() == first:
            if current is not None:
                parts.append("\n".join(current).strip())
            current = []
        elif current is not None:
            current.append(line)
    if current is not None:
        parts.append("\n".join(current).strip())
    return [p for p in parts if p]


_OWN_ROLE = re.compile(r"\n[ \t]*assistant[ \t]*:", re.I)


def own_role_turns(reply: str) -> list[str]:
    r"""The turns a model writing the dialogue on gives its own part, the assistant's, each
    up to the next speaker ("-3 times -4\nStudent: 7\nAssistant: -12" -> ["-12"]), save a
    turn that answers a question the other part has just asked (another problem).

    Example:
        >>> own_role_turns("Sum?\nStudent: 7\nAssistant: 12\nStudent: 7\nAssistant: 12")
        ['12', '12']
        >>> own_role_turns("Sum?\nStudent: And 2 + 3?\nAssistant: 5")
        []
    """
    speakers = list(_SPEAKER.finditer(reply))
    ends = [m.start() for m in speakers[1:]] + [len(reply)]
    turns = [
        (bool(_OWN_ROLE.match(m.group(0))), reply[m.end() : end].strip())
        for m, end in zip(speakers, ends, strict=False)
    ]
    return [
        said
        for i, (own, said) in enumerate(turns)
        if own and not (i > 0 and not turns[i - 1][0] and "?" in turns[i - 1][1])
    ]
