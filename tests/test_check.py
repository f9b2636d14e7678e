"""The sourced rule, one case at a time: what passes, what fails, and what the message says."""

from __future__ import annotations

import textwrap

import pytest

from generator.bank.model import CheckResult, QuestionType, Severity

CLAWBACK = """
  clawback:
    source: leopold
    quote: >-
      threaten state and local governments with the withholding and clawback
      of $4 billion in critical law enforcement and community-safety funding
    value: $4 billion
"""
GRANT = """
  jag_grant:
    source: empty-threat
    quote: >-
      or else lose part of a $265 million grant to help police, prosecutors, judges,
      and jailers
    value: $265 million
"""
COURTS = """
  court_california:
    source: epstein
    quote: A federal court in California put the executive order's provision on hold.
    value: California
  no_authority:
    source: epstein
    quote: >-
      ruling that the Justice Department had no authority to impose new
      requirements on the grant money
    value: Justice Department
"""


def bank(facts: str = CLAWBACK, questions: str = "") -> str:
    if not questions:
        return "facts:" + facts + "questions: []\n"
    return "facts:" + facts + "questions:\n" + textwrap.indent(textwrap.dedent(questions), "  ")


def printed(result: CheckResult) -> list[str]:
    return [str(problem) for problem in result.problems]


def only_problem(result: CheckResult) -> str:
    assert len(result.problems) == 1, printed(result)
    return str(result.problems[0])


def fact(quote: str, source: str = "leopold", value: str = "state", name: str = "edited") -> str:
    return f"\n  {name}:\n    source: {source}\n    quote: {quote!r}\n    value: {value!r}\n"


# A clean bank --------------------------------------------------------------

EVERY_TYPE = bank(
    CLAWBACK + GRANT + COURTS,
    """
    - id: clawback-amount
      type: short
      ask: How much funding did Sessions threaten to claw back?
      answer: "{{ clawback }}"
    - id: grant-size
      type: choice
      printed: false  # its wrong option is the answer of clawback-amount
      ask: How large was the grant?
      answer: "{{ jag_grant }}"
      wrong: ["{{ clawback }}", "$48 million"]
      last_option: None of these
    - id: clawback-cloze
      type: cloze
      fact: clawback
    - id: courts
      type: match
      ask: Match each court to what it did.
      pairs:
        - ["{{ court_california }}", "put the executive order's provision on hold"]
        - ["{{ no_authority | upper }}", "no authority to impose new requirements"]
    - id: clawback-false
      type: truefalse
      fact: clawback
      statement: Sessions threatened to claw back {{ clawback }}.
      answer: false
      instead: $40 billion
    """,
)


def test_a_clean_bank_gives_every_question_rendered_with_its_evidence(check_text) -> None:
    result = check_text(EVERY_TYPE)
    assert result.success, printed(result)
    assert result.problems == ()
    by_id = {q.id: q for q in result.questions}
    assert set(by_id) == {
        "clawback-amount",
        "grant-size",
        "clawback-cloze",
        "courts",
        "clawback-false",
    }

    short = by_id["clawback-amount"]
    assert short.answer == "$4 billion"
    [evidence] = short.evidence
    assert [evidence.fact.quote[a:b] for a, b in evidence.highlights] == ["$4 billion"]
    assert evidence.source.id == "leopold"

    choice = by_id["grant-size"]
    assert (choice.answer, choice.wrong, choice.last_option) == (
        "$265 million",
        ("$4 billion", "$48 million"),
        "None of these",
    )

    assert by_id["clawback-cloze"].answer == "$4 billion"

    match = by_id["courts"]
    assert match.pairs[1] == ("JUSTICE DEPARTMENT", "no authority to impose new requirements")
    assert [e.fact.id for e in match.evidence] == ["court_california", "no_authority"]

    false = by_id["clawback-false"]
    assert false.type is QuestionType.TRUEFALSE
    assert false.statement == "Sessions threatened to claw back $40 billion."
    assert false.answer == "False"
    # The answer key shows the quote that makes the statement false, with the true value marked.
    [evidence] = false.evidence
    assert [evidence.fact.quote[a:b] for a, b in evidence.highlights] == ["$4 billion"]


def test_numbers_match_across_words_and_digits(check_text) -> None:
    facts = fact(
        "threatening nine jurisdictions with decreased federal funding", "empty-threat", "9"
    )
    result = check_text(
        bank(
            facts,
            """
            - id: how-many
              type: short
              ask: How many?
              answer: "{{ edited }} jurisdictions"
            """,
        )
    )
    assert result.success, printed(result)
    [question] = result.questions
    [evidence] = question.evidence
    assert [evidence.fact.quote[a:b] for a, b in evidence.highlights] == ["nine jurisdictions"]


# Quotes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "difference"),
    [
        (
            "withholding and clawback of $5 billion in critical law enforcement",
            "the quote has '$5' where the article has '$4'",
        ),
        (
            "withholding and clawback of $4 million in critical law enforcement",
            "the quote has 'million' where the article has 'billion'",
        ),
        (
            "threaten city and local governments with the withholding and clawback",
            "the quote has 'city' where the article has 'state'",
        ),
        (
            "the sketchy memo did find any state or local jurisdiction had actually violated",
            "the quote leaves out 'not'",
        ),
        (
            "decision to spend tax dollars on immigration enforcement in no way prevents ICE",
            "the quote leaves out 'not'",
        ),
        (
            "decision not to spend tax dollars on immigration enforcement in any way prevents ICE",
            "the quote has 'any' where the article has 'no'",
        ),
        (
            "the withholding and clawback of $4 billion in very critical law enforcement",
            "the quote adds 'very'",
        ),
    ],
    ids=["number", "unit", "word", "not-dropped", "not-dropped-2", "no-changed", "word-added"],
)
def test_an_edited_quote_fails_and_says_where_it_differs(check_text, quote, difference) -> None:
    message = only_problem(check_text(bank(fact(quote))))
    assert message.startswith("questions/q.yaml:")
    assert "fact 'edited': quote not found in 'leopold'" in message
    assert "Closest passage (" in message
    assert message.endswith(difference)


def test_a_dropped_no_fails(check_text) -> None:
    quote = "And court has held that the Department of Justice can withhold funds"
    message = only_problem(check_text(bank(fact(quote, "empty-threat", "court"))))
    assert "quote not found in 'empty-threat'" in message
    assert message.endswith("the quote has 'and' where the article has 'no'")


def test_a_true_quote_cited_to_the_wrong_article_says_where_it_is(check_text) -> None:
    quote = "or else lose part of a $265 million grant"
    message = only_problem(check_text(bank(fact(quote, "leopold", "$265 million"))))
    assert message.endswith(
        "fact 'edited': quote not found in 'leopold' (000_e819e73592b8496a.txt): "
        "this quote is in empty-threat, not leopold; set source: empty-threat"
    )


def test_a_quote_cut_inside_a_word_says_so(check_text) -> None:
    message = only_problem(check_text(bank(fact("ttorney General Jeff Sessions", value="Jeff"))))
    assert message.endswith(
        "the quote starts inside a word: 'ttorney' is part of 'Attorney'; "
        "begin and end the quote at word boundaries"
    )


def test_an_unknown_source_suggests_the_nearest(check_text) -> None:
    message = only_problem(check_text(bank(fact("threaten state", "leopld"))))
    assert message.endswith("fact 'edited': unknown source 'leopld': did you mean 'leopold'?")


def test_a_value_must_occur_in_its_quote_at_word_boundaries(check_text) -> None:
    message = only_problem(check_text(bank(fact("of $40 billion", value="$4"))))
    assert "quote not found" in message  # the article says $4 billion
    message = only_problem(check_text(bank(fact("of $4 billion in critical", value="$4 bill"))))
    assert message.endswith(
        "fact 'edited': value '$4 bill' does not occur in its quote: "
        "copy the value from the quote, or quote more of the article"
    )


# Answers -------------------------------------------------------------------


def short(answer: str, facts: str = CLAWBACK + COURTS) -> str:
    return bank(
        facts,
        f"""
        - id: the-question
          type: short
          ask: What?
          answer: {answer!r}
        """,
    )


def test_a_literal_added_to_an_answer_makes_it_unsourced(check_text) -> None:
    message = only_problem(check_text(short("{{ court_california }}, Illinois")))
    assert message.endswith(
        "question 'the-question': answer 'California, Illinois' is not in the quote of "
        "'court_california': an answer may only use words its quote contains (a literal added "
        "beside {{ fact }} needs a quote that has it)"
    )


def test_a_literal_the_quote_contains_may_be_added(check_text) -> None:
    result = check_text(short("a federal court in {{ court_california }}"))
    assert result.success, printed(result)


def test_an_answer_from_another_facts_quote_is_unsourced(check_text) -> None:
    message = only_problem(check_text(short("{{ court_california }} {{ clawback }}")))
    assert (
        "answer 'California $4 billion' is not in the quote of 'clawback', 'court_california'"
        in (message)
    )


def test_a_question_without_a_fact_is_an_error_with_a_hint(check_text) -> None:
    message = only_problem(check_text(short("$4 billion")))
    assert message.endswith(
        "question 'the-question': uses no fact, so nothing proves its answer: "
        'write answer: "{{ clawback }}" (its quote has it)'
    )


@pytest.mark.parametrize(
    ("wrong", "expected"),
    [
        (["$265 Million", "$1"], "wrong option 1 '$265 Million' is the same as the answer"),
        (["$1", "$1 "], "wrong option 2 '$1' is the same as wrong option 1"),
        (["$1", "$1", "$2"], "wrong option 2 '$1' is the same as wrong option 1"),
        (["nine", "9"], "wrong option 2 '9' is the same as wrong option 1"),
        (
            ["$4  BILLION", "{{ clawback }}"],
            "wrong option 2 '$4 billion' is the same as wrong option 1",
        ),
    ],
)
def test_duplicate_distractors_are_errors(check_text, wrong, expected) -> None:
    text = bank(
        CLAWBACK + GRANT,
        f"""
        - id: grant-size
          type: choice
          ask: How large was the grant?
          answer: "{{{{ jag_grant }}}}"
          wrong: {wrong!r}
        """,
    )
    message = only_problem(check_text(text))
    assert f"question 'grant-size': {expected}: each option must differ" in message


def test_a_distractor_in_the_proving_quote_is_only_a_warning(check_text) -> None:
    text = bank(
        GRANT,
        """
        - id: grant-size
          type: choice
          ask: How large was the grant?
          answer: "{{ jag_grant }}"
          wrong: [police, $1]
        """,
    )
    result = check_text(text)
    assert result.success
    [warning] = result.problems
    assert warning.severity is Severity.WARNING
    assert str(warning).endswith(
        "warning: question 'grant-size': wrong option 1 'police' also occurs in the quote of "
        "'jag_grant', which proves the answer: make sure the question rules it out"
    )
    assert len(result.questions) == 1


def test_a_cloze_whose_value_occurs_twice_is_ambiguous(check_text) -> None:
    facts = fact(
        "in compliance with Statute 1373, a federal statute that prohibits",
        "quandary",
        "statute",
        "statute",
    )
    text = bank(facts, "- {id: which-law, type: cloze, fact: statute}\n")
    message = only_problem(check_text(text))
    assert "question 'which-law': the value 'statute' of 'statute' occurs 2 times in its quote" in (
        message
    )


# True or false -------------------------------------------------------------


def truefalse(statement: str, answer: str, instead: str | None = None) -> str:
    lines = f"  statement: {statement!r}\n  answer: {answer}\n"
    if instead is not None:
        lines += f"  instead: {instead!r}\n"
    return bank(CLAWBACK, "- id: tf\n  type: truefalse\n  fact: clawback\n" + lines)


def test_truefalse_instead_must_not_occur_in_the_quote(check_text) -> None:
    message = only_problem(
        check_text(truefalse("Sessions threatened {{ clawback }}.", "false", "state"))
    )
    assert message.endswith(
        "question 'tf': instead 'state' occurs in the quote of 'clawback', so the statement might "
        "be true: choose a value the quote does not contain"
    )


def test_truefalse_instead_must_not_be_the_value(check_text) -> None:
    message = only_problem(
        check_text(truefalse("Sessions threatened {{ clawback }}.", "false", "$4 BILLION"))
    )
    assert "instead '$4 BILLION' is the fact's own value, so the statement would be true" in message


def test_truefalse_statement_must_use_its_fact(check_text) -> None:
    message = only_problem(check_text(truefalse("Sessions threatened money.", "true")))
    assert message.endswith(
        "question 'tf': statement must use {{ clawback }}, the fact it is judged by"
    )


def test_truefalse_takes_instead_only_when_false(check_text) -> None:
    message = only_problem(check_text(truefalse("{{ clawback }}", "true", "$1")))
    assert message.endswith(
        "question 'tf': 'instead' is only for a false statement (answer: false): remove it"
    )
    message = only_problem(check_text(truefalse("{{ clawback }}", "false")))
    assert message.endswith("question 'tf': missing 'instead': a truefalse question needs instead")


# Match ---------------------------------------------------------------------


def match(*pairs: tuple[str, str]) -> str:
    lines = "".join(f"    - [{left!r}, {right!r}]\n" for left, right in pairs)
    return bank(COURTS, "- id: courts\n  type: match\n  ask: Match.\n  pairs:\n" + lines)


def test_a_match_pair_must_occur_in_one_quote(check_text) -> None:
    text = match(
        ("{{ court_california }}", "no authority to impose"),
        ("{{ no_authority }}", "put the executive order's provision on hold"),
    )
    assert [p.message for p in check_text(text).problems] == [
        "question 'courts': pair 1 ('California' → 'no authority to impose') is not in one quote: "
        "both sides must occur in the same quote of a fact the question uses, which proves the "
        "pairing",
        "question 'courts': pair 2 ('Justice Department' → "
        '"put the executive order\'s provision on hold") is not in one quote: both sides must '
        "occur in the same quote of a fact the question uses, which proves the pairing",
    ]


def test_a_match_side_may_not_repeat(check_text) -> None:
    text = match(
        ("{{ court_california }}", "put the executive order's provision on hold"),
        ("{{ no_authority }}", "Put the executive order's  provision on hold"),
    )
    assert "question 'courts': pair 2 repeats pair 1: each side of a match must be different" in [
        p.message for p in check_text(text).problems
    ]


# Ids, keys and templates ---------------------------------------------------


def test_unknown_keys_suggest_the_nearest(check_text) -> None:
    text = "dek: x\n" + bank(
        CLAWBACK,
        """
        - id: a
          type: short
          ask: How much?
          anwser: "{{ clawback }}"
        """,
    )
    assert printed(check_text(text)) == [
        "questions/q.yaml:1:1: unknown key 'dek': did you mean 'deck'?",
        "questions/q.yaml:14:5: question 'a': unknown key 'anwser': did you mean 'answer'?",
    ]


def test_duplicate_ids_across_files_are_errors(check_text, write_questions) -> None:
    write_questions(
        bank(CLAWBACK, "- {id: clawback-amount, type: cloze, fact: clawback}\n"), name="a.yaml"
    )
    result = check_text(bank(CLAWBACK, "- {id: clawback-amount, type: cloze, fact: clawback}\n"))
    assert printed(result) == [
        "questions/q.yaml:2:3: fact 'clawback': this id is already used at questions/a.yaml:2:3: "
        "fact ids are shared by the whole bank, rename one",
        "questions/q.yaml:9:5: question 'clawback-amount': this id is already used at "
        "questions/a.yaml:9:5: question ids key students' Anki notes, so each must be unique",
    ]


def test_a_retired_id_may_not_be_reused(check_text) -> None:
    text = bank(CLAWBACK, "- {id: old-one, type: cloze, fact: clawback}\n") + "retired: [old-one]\n"
    message = only_problem(check_text(text))
    assert message.endswith(
        "question 'old-one': this id was retired at questions/q.yaml:10:11: students' Anki notes "
        "still carry it, so give the question a new id"
    )


def test_an_unknown_fact_in_a_template_suggests_the_nearest(check_text) -> None:
    message = only_problem(check_text(short("{{ clawbak }}")))
    assert message.endswith(
        "question 'the-question': answer: unknown fact 'clawbak': did you mean 'clawback'?"
    )


@pytest.mark.parametrize(
    ("template", "refused"),
    [
        ("{{ clawback.__class__ }}", "remove the attribute access '.__class__'"),
        ("{{ clawback.__class__.__mro__[1] }}", "remove the indexing '[…]'"),
        ("{{ clawback['__class__'] }}", "remove the indexing '[…]'"),
        ("{{ clawback | attr('__class__') }}", "remove the filter 'attr' and its arguments"),
        ("{{ cycler.__init__.__globals__ }}", "remove the attribute access '.__globals__'"),
        ("{{ lipsum() }}", "remove the call '(…)'"),
        ("{{ ''.join(clawback) }}", "remove the call '(…)'"),
        ("{% for x in range(99999999) %}{{ x }}{% endfor %}", "remove the {% for %}"),
        ("{% set x = clawback %}{{ x }}", "remove the {% set %}"),
        ("{% include 'questions/q.yaml' %}", "remove the {% include %}"),
        ("{% import 'os' as os %}", "remove the {% import %}"),
        ("{{ clawback * 99999999 }}", "remove the operator '*'"),
        ("{{ clawback ~ clawback }}", "remove the operator '~'"),
        ("{{ self }}", "'self' is reserved in templates; it cannot name a fact"),
        ("{{ range }}", "unknown fact 'range': define it under facts:"),
        ("{{ config }}", "unknown fact 'config': define it under facts:"),
    ],
)
def test_templates_cannot_reach_python(check_text, template, refused) -> None:
    result = check_text(
        bank(
            CLAWBACK,
            f"- id: evil\n  type: short\n  ask: {template!r}\n  answer: '{{{{ clawback }}}}'\n",
        )
    )
    message = only_problem(result)
    assert message.startswith("questions/q.yaml:11:10: question 'evil': ask: ")
    assert message.endswith(refused)
    assert result.questions == ()


def test_a_template_syntax_error_is_reported_at_its_line_in_the_file(check_text) -> None:
    text = bank(
        CLAWBACK,
        """
        - id: broken
          type: short
          ask: |
            First line,
            second line {{ clawback }
          answer: "{{ clawback }}"
        """,
    )
    message = only_problem(check_text(text))
    assert (
        message == "questions/q.yaml:14:7: question 'broken': ask: template error: unexpected '}'"
    )


def test_every_problem_names_its_fact_or_question(check_text) -> None:
    text = bank(
        CLAWBACK + fact("no such words in it", name="missing"),
        """
        - {id: a, type: short, ask: x, answer: "{{ missing }}"}
        - {id: b, type: short, ask: x, answer: "{{ nope }}"}
        - {id: c, type: choice, ask: x, answer: "{{ clawback }}", wrong: [a, A]}
        - {id: d, type: cloze, fact: nope}
        """,
    )
    lines = printed(check_text(text))
    assert len(lines) == 4, lines
    for line, subject in zip(
        lines, ["fact 'missing'", "question 'b'", "question 'c'", "question 'd'"], strict=True
    ):
        assert f": {subject}: " in line
