"""Openings that answer something other than the question (issue 10, stop 59): a base model
that writes a problem of its own in the question's place and answers that, echoes the whole
prompt and stops, or loops the question between other answers, gives no answer to the
question asked; both readers of every recorded round label such openings as answering
nothing (``opening_hedged``). Written from round 14's dev half; each hedging case failed
before :mod:`backbone.graders.own_problem`, the whole-prompt echo in
:func:`~backbone.graders.answer_reading.repeats_question` and
:func:`~backbone.graders.dialogue.asked_again_inline`."""

from __future__ import annotations

from typing import Any

from tests.graders.test_answer_key_check_readings import _labels

PLANETS = "(A) Tycho Brahe\n(B) Johannes Kepler\n(C) Nicolaus Copernicus\n(D) Claudius Ptolemy"
ASTRONOMER: tuple[dict[str, Any], str] = (
    {
        "type": "choice",
        "answer": "C",
        "options": {
            "A": "Tycho Brahe",
            "B": "Johannes Kepler",
            "C": "Nicolaus Copernicus",
            "D": "Claudius Ptolemy",
        },
    },
    "Who put the Sun at the centre of the planets in De revolutionibus (1543)?\n"
    + PLANETS
    + "\nPlease think step by step, then give the letter of the correct answer.",
)
EQUATION: tuple[dict[str, Any], str] = (
    {"type": "choice", "answer": "B", "options": {"A": "3", "B": "6", "C": "9", "D": "12"}},
    "Solve for x: 5x + 2 = 32\n(A) 3\n(B) 6\n(C) 9\n(D) 12\n"
    "Please think step by step, then give the letter of the correct answer.",
)
PRODUCT: tuple[dict[str, Any], str] = (
    {"type": "choice", "answer": "A", "options": {"A": "1/3", "B": "2/5", "C": "3/5", "D": "1/2"}},
    "What is 2/5 multiplied by 5/6?\n(A) 1/3\n(B) 2/5\n(C) 3/5\n(D) 1/2\nGive the letter.",
)
DERIVATIVE: tuple[dict[str, Any], str] = (
    {"type": "choice", "answer": "A", "options": {"A": "3x^2", "B": "x", "C": "x^4/4", "D": "3"}},
    "What is the derivative of x^3 with respect to x?\n(A) 3x^2\n(B) x\n(C) x^4/4\n(D) 3\n"
    "Please think step by step, then give the letter of the correct answer.",
)
CROWNED: tuple[dict[str, Any], str] = (
    {"type": "text", "accept": ["1066"], "reject": ["1087"]},
    "In which year was William the Conqueror crowned king of England?",
)


def test_a_question_of_its_own_answered_is_no_answer_to_this_one() -> None:
    own = (
        "Which of these statements about the solar system is false?\n(A) The Moon orbits the"
        " Earth.\n(B) The Sun orbits the Earth.\n(C) Mars has two moons.\n(D) Venus is hot.\n\n"
        "Answer: (B)"
    )
    assert _labels(ASTRONOMER, [own, "Yes, I think so."]) == ["hedges", "hedges"]
    # the question asked again in other words keeps the answer it then gives
    again = "Who set the Sun at the centre of the planets in De revolutionibus?\nAnswer: (C)"
    assert _labels(ASTRONOMER, [again])[0] == "correct"


def test_an_equation_of_its_own_is_no_answer_to_this_one() -> None:
    own = "1. Solve for x: 3x - 3 = 12\n(A) 5\n(B) 4\n(C) 15\n(D) 7"
    assert _labels(EQUATION, [own])[0] == "hedges"
    # a working that starts from the question's own equation still answers it
    worked = "Solve for x: 5x + 2 = 32\n5x = 30, so x = 6.\nAnswer: (B)"
    assert _labels(EQUATION, [worked])[0] == "correct"


def test_a_sum_of_its_own_left_unworked_is_no_answer() -> None:
    assert _labels(PRODUCT, ["1/3 + 1/4 ="])[0] == "hedges"
    # the question's own product, worked, answers it
    assert _labels(PRODUCT, ["2/5 × 5/6 =\n10/30 = 1/3"])[0] == "correct"


def test_the_whole_prompt_said_back_is_no_answer() -> None:
    _, question = DERIVATIVE  # its options' words are in its first line ("... to x?", "x")
    assert _labels(DERIVATIVE, [question, "Yes, I think so."]) == ["hedges", "hedges"]
    # the prompt said back, then an answer, answers
    assert _labels(DERIVATIVE, [question + "\n\nAnswer: (A)"])[0] == "correct"


def test_the_question_looped_between_other_answers_names_rivals() -> None:
    _, question = CROWNED
    loop = f"1066\n{question}\n1087\n{question}\n1035\n{question}\n1066"
    assert _labels(CROWNED, [loop, "Yes, I think so."]) == ["hedges", "hedges"]
    # the same answer on every pass is one answer
    same = f"1066\n{question}\n1066"
    assert _labels(CROWNED, [same])[0] == "correct"


LAPS: tuple[dict[str, Any], str] = (
    {"type": "choice", "answer": "A", "options": {"A": "12", "B": "15", "C": "20", "D": "24"}},
    "A runner covers 5 laps of a 400 m track in 10 minutes. At that pace, how many kilometres"
    " would she cover in an hour?\n(A)12\n(B)15\n(C)20\n(D)24\n"
    "Please answer just with the letter of the correct answer.",
)


def test_a_problem_of_its_own_told_then_asked_is_no_answer_to_this_one() -> None:
    own = (
        "A cyclist rides 8 laps of a track in 20 minutes. At that pace, how many laps would"
        " she ride in an hour?\n(A)24\n(B)16\n(C)20\n(D)30\nAnswer: (C)"
    )
    assert _labels(LAPS, [own])[0] == "hedges"


SPEED: tuple[dict[str, Any], str] = (
    {"type": "choice", "answer": "D", "options": {"A": "44", "B": "45", "C": "50", "D": "48"}},
    "A bus covers 60 km at 40 km per hour and the next 60 km at 60 km per hour. What is its"
    " average speed, in km per hour?\n(A) 44\n(B) 45\n(C) 50\n(D) 48\nGive the letter.",
)
PERCENT: tuple[dict[str, Any], str] = (
    {"type": "choice", "answer": "C", "options": {"A": "25", "B": "35", "C": "30", "D": "32"}},
    "What is 12% of 250?\n(A) 25\n(B) 35\n(C) 30\n(D) 32\nGive the letter.",
)


def test_a_conclusion_worked_to_a_figure_no_option_has_is_a_wrong_answer() -> None:
    worked = (
        "The bus covers 60 + 60 = 120 km. Therefore, its average speed is 120 km / 30 hours"
        " = 4 km/h."
    )
    assert _labels(SPEED, [worked])[0] == "incorrect"


def test_the_questions_own_expression_worked_to_another_figure_is_a_wrong_answer() -> None:
    assert _labels(PERCENT, ["12% of 250 = 12/250 = 0.048"])[0] == "incorrect"
    # an expression of its own worked out is no answer to this question
    assert _labels(PERCENT, ["7% of 90 = 6.3"])[0] != "incorrect"
