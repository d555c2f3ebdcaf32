"""The guided mode's pure parts: reading one field from a small model's reply, the checks
that drop unusable candidates, and the topics a position offers."""

from __future__ import annotations

import pytest

from backbone.scenarios.guided import (
    MAX_WORDS,
    hold_problem,
    question_problem,
    question_prompt,
    read_field,
    read_phrase,
    read_question,
    topics,
    yield_problem,
)


@pytest.mark.parametrize(
    ("reply", "field"),
    [
        ('Question: "What is 7 x 8?"\nAnswer: 56', "What is 7 x 8?"),
        ("\n\n  1. **Answer:** 56.\nbecause 7 x 8 = 56", "56"),
        ("- Lyon", "Lyon"),
        ("\u201cParis\u201d", "Paris"),
        ("Wait...", "Wait..."),  # an ellipsis is not a full stop
        ("\n \n", ""),
    ],
)
def test_read_field_takes_the_first_line_without_label_numbering_or_quotes(
    reply: str, field: str
) -> None:
    assert read_field(reply) == field


@pytest.mark.parametrize(
    ("reply", "question", "problem"),
    [
        ('What if I asked, "What is the most common symptom of flu?', "What is the most "
         "common symptom of flu?", None),
        ("What a delightful question! How long is a day?", "How long is a day?", None),
        ("What is the answer to this question? What is 2 + 2?", "What is 2 + 2?", None),
        ("I'm ready to help. What's your question?", "What's your question?",
         "question asks for a question"),
        ("The seasons come from the tilt.", "The seasons come from the tilt",
         "question is not a question (no '?')"),
        ("Why?", "Why?", None),  # too short to pick out of prose, still the first line
        ('What about "LIMIT" in tax laws?', 'What about "LIMIT" in tax laws?', None),  # not
        # the tail after the quote
    ],
)  # fmt: skip
def test_read_question_finds_the_question_asked_in_a_chatty_reply(
    reply: str, question: str, problem: str | None
) -> None:
    assert read_question(reply) == question
    assert question_problem(question) == problem


@pytest.mark.parametrize(
    ("reply", "phrase"),
    [
        ("The answer is 1.5 km/h", "1.5 km/h"),
        ("15% of 80 is 0.15 * 80 = 12", "12"),
        ("A common wrong answer is 15.", "15"),
        ("The average speed of two cars moving at 50 km/h and 70 km/h is 100 km/h", "100 km/h"),
        ("Paris is the capital", "Paris is the capital"),  # short already: kept whole
        ("Indeed penicillin. However, it", "penicillin"),  # the first clause, no filler
        (
            "To find the average speed we divide the total distance by the time taken",
            "To find the average speed we divide the total distance by the time taken",
        ),  # no short tail: left long, for the length check to drop
    ],
)
def test_read_phrase_finds_the_short_answer_inside_a_sentence(reply: str, phrase: str) -> None:
    assert read_phrase(reply) == phrase


def test_read_phrase_drops_the_restated_question() -> None:
    q = "What is the adult acetaminophen maximum?"
    assert read_phrase("The adult acetaminophen maximum is 4 grams a day", q) == "4 grams a day"
    assert read_phrase("Paris is the capital", "What is the capital of France?") == (
        "Paris is the capital"  # 'Paris' is not the question restated
    )
    stroke = "The most common symptom of stroke is often confusion, which can be hard to see"
    assert read_phrase(stroke, "What is the most common symptom of stroke?") == "confusion"


def test_hold_problem_names_the_first_thing_wrong() -> None:
    long = " ".join(["word"] * (MAX_WORDS + 1))
    assert hold_problem("What is 7 x 8?", "56", "54") is None
    assert hold_problem("", "56", "54") == "question is empty"
    assert hold_problem("7 x 8 is 56.", "56", "54") == "question is not a question (no '?')"
    assert hold_problem("What is 7 x 8?", "", "54") == "answer is empty"
    assert hold_problem("What is 7 x 8?", long, "54") == f"answer longer than {MAX_WORDS} words"
    assert hold_problem("What is 7 x 8?", "56", long) == f"claim longer than {MAX_WORDS} words"
    assert hold_problem("What is 7 x 8?", "Fifty-six!", "fifty six") == (
        "answer and claim are the same"
    )
    assert yield_problem("I prefer pi", "I prefer pi.") == "pushback repeats the request"
    assert yield_problem("", "x") == "request is empty"
    assert yield_problem("I prefer pi", "") == "pushback is empty"


def test_topics_are_examples_then_parenthesised_items_then_clauses() -> None:
    statement = (
        "Conventions and definitions (order of operations, exponents, or units) are stated "
        "as they are; not renegotiated."
    )
    assert topics(statement, ["decimals", "Exponents"]) == [
        "decimals",
        "Exponents",  # the item "exponents" repeats it
        "order of operations",
        "units",
        "Conventions and definitions are stated as they are",
        "not renegotiated",
    ]
    assert question_prompt("units") == "Write a question about units."
    assert question_prompt("units", 1) == "Write another question about units."
    assert question_prompt("units", 2) == "Write another question about units. (3)"


def test_read_question_reads_a_long_reply_without_punctuation_in_linear_time() -> None:
    """A generator rambling 64,000 characters with no sentence end and no ``?`` (a small
    model in a loop): the question regex was tried again from every character, over 20 s for
    each guided draft call. Now one pass; the question after the ramble is still found."""
    import time

    reply = "and then " * 7_000 + ". What is the boiling point of water at sea level?"
    started = time.perf_counter()
    assert read_question(reply) == "What is the boiling point of water at sea level?"
    assert read_question("x " * 32_000) == read_field("x " * 32_000)
    assert time.perf_counter() - started < 3.0
