"""The price table: shipped prices, longest-prefix matching, a user's file laid over it, and
servers other than the provider's own left unpriced unless the user prices them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.targets.prices import Price, PriceTable

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_prices_match_dated_model_names_by_longest_prefix() -> None:
    table = PriceTable.load()
    assert table.as_of and table.currency == "USD"
    # "gpt-4o-mini-…" must not be priced as "gpt-4o"
    assert table.lookup("openai:gpt-4o-mini-2024-07-18").price == Price(0.15, 0.60)
    assert table.lookup("openai:gpt-4o-2024-08-06").price == Price(2.50, 10.00)
    assert table.lookup("anthropic:claude-sonnet-4-5-20250929").price == Price(3.0, 15.0)
    for free in ("local", "python:my_bot:reply"):
        lk = table.lookup(free)
        assert lk.price == Price(0.0, 0.0) and lk.source == "free"
    unknown = table.lookup("openai:no-such-model")
    assert unknown.price is None and "--prices" in (unknown.note or "")


def test_a_model_on_another_server_is_not_priced_from_the_providers_table(
    tmp_path: Path,
) -> None:
    table = PriceTable.load()
    here = "http://127.0.0.1:8080/v1"
    assert table.lookup("openai:gpt-4o-mini", base_url=here).price is None
    # the provider's own host is the provider
    assert table.lookup("openai:gpt-4o-mini", base_url="https://api.openai.com/v1").price == Price(
        0.15, 0.60
    )
    mine = tmp_path / "prices.yaml"
    mine.write_text(
        "as_of: '2026-12-01'\nproviders:\n"
        "  '127.0.0.1:8080': {llama3: {input: 0.01, output: 0.02}}\n"
        "  openai: {gpt-4o-mini: {input: 0.5, output: 1.0}}\n",
        encoding="utf-8",
    )
    table = PriceTable.load(mine)
    lk = table.lookup("openai:llama3-8b", base_url=here)
    assert lk.price == Price(0.01, 0.02) and lk.source == str(mine)
    # the user's entry overrides the shipped one; the rest of the shipped table stays
    assert table.lookup("openai:gpt-4o-mini").price == Price(0.5, 1.0)
    assert table.lookup("openai:gpt-4o").price == Price(2.5, 10.0)
    assert "2026-12-01" in table.as_of


def test_the_environment_names_the_users_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "p.yaml"
    mine.write_text("providers: {openai: {gpt-4o: {input: 1, output: 2}}}\n", encoding="utf-8")
    monkeypatch.setenv("BACKBONE_PRICES", str(mine))
    assert PriceTable.load().lookup("openai:gpt-4o").price == Price(1.0, 2.0)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("providers: {openai: {gpt-4o: {input: -1, output: 2}}}\n", "providers.openai.gpt-4o"),
        ("providers: {openai: {gpt-4o: {input: 1}}}\n", "providers.openai.gpt-4o"),
        ("providers: [1, 2]\n", "'providers' mapping"),
        ("providers: {openai: {gpt-4o: {input: 1, output: 2}}\n", "p.yaml:"),
        ("currency: EUR\nproviders: {}\n", "currency 'EUR'"),
    ],
)
def test_a_bad_price_table_names_the_file_and_the_entry(
    tmp_path: Path, text: str, says: str
) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        PriceTable.load(bad)
    assert says in str(info.value) and str(bad) in str(info.value)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        # used to end in a UnicodeDecodeError traceback (exit 1)
        (
            b"\xff\xfeproviders: {}\n",
            "p.yaml:1: not UTF-8 text (invalid start byte): byte 0xff at column 1",
        ),
        # a boolean was a price of $1 per million tokens; .inf made every cost infinite
        (b"providers: {openai: {gpt-x: {input: yes, output: 1}}}\n", "providers.openai.gpt-x"),
        (b"providers: {openai: {gpt-x: {input: .inf, output: 1}}}\n", "providers.openai.gpt-x"),
        (b"providers: {}\nbatch_discount: {openai: true}\n", "batch_discount"),
        # PyYAML's own five-line report (with '<unicode string>' and a caret) was printed whole
        (b"providers: [\n", "p.yaml:2: not valid YAML: expected the node content"),
    ],
)
def test_a_price_table_that_is_not_text_or_not_finite_numbers(
    tmp_path: Path, data: bytes, says: str
) -> None:
    from tests.support.loopback import backbone_here, cli_env, write_suite

    bad = tmp_path / "p.yaml"
    bad.write_bytes(data)
    with pytest.raises(InputError) as info:
        PriceTable.load(bad)
    assert says in str(info.value)
    write_suite(tmp_path / "suite.yaml")
    proc = backbone_here(
        ["run", "--target", "python:tests.support.loopback:planted_bot", "--suite", "suite.yaml",
         "--prices", "p.yaml", "--out", "out", "-q"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"),
                                  PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)])),
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert says in proc.stderr and "<unicode string>" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        # PyYAML kept the last of the two silently: gpt-4o-mini was priced at 5.0, not 0.15
        (
            "providers:\n  openai:\n    gpt-4o-mini: {input: 0.15, output: 0.6}\n"
            "    gpt-4o: {input: 2.5, output: 10}\n    gpt-4o-mini: {input: 5.0, output: 0.6}\n",
            "p.yaml:5: duplicate key 'gpt-4o-mini' (first at line 3)",
        ),
        ("providers: {}\nproviders: {openai: {m: {input: 1, output: 1}}}\n", "p.yaml:2: dup"),
        # each problem at its line, not the file alone
        (
            "as_of: x\nproviders:\n  openai:\n    gpt-4o: {input: 1, output: 2}\n"
            "    gpt-4o-mini: {input: -5, output: 2}\n",
            "p.yaml:5: providers.openai.gpt-4o-mini: expected",
        ),
        ("providers:\n  openai:\n  anthropic: {}\n", "p.yaml:2: providers.openai: expected"),
        ("providers: {}\n\nbatch_discount: {openai: 2}\n", "p.yaml:3: batch_discount"),
        ("providers: {}\ncurrency: EUR\n", "p.yaml:2: currency 'EUR'"),
    ],
)
def test_a_price_table_problem_is_named_at_its_line_and_a_model_given_twice_is_refused(
    tmp_path: Path, text: str, says: str
) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        PriceTable.load(bad)
    assert says in str(info.value).replace(str(tmp_path) + os.sep, "")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        # a typo'd provider: accepted, and its models were all "not priced"
        (
            "providers:\n  opneai:\n    gpt-4o: {input: 1, output: 2}\n",
            "p.yaml:2: providers.opneai: unknown provider 'opneai' (did you mean 'openai'?)",
        ),
        (
            "providers:\n  Anthropic: {claude-x: {input: 1, output: 2}}\n",
            "p.yaml:2: providers.Anthropic: unknown provider 'Anthropic' (did you mean",
        ),
        # a provider backbone has no target for
        ("providers:\n  mistral: {m: {input: 1, output: 2}}\n", "p.yaml:2: providers.mistral"),
        # free targets are never priced: the entry would never be read
        ("providers:\n  python: {m: {input: 1, output: 2}}\n", "providers.python: 'python' tar"),
        # the empty model name priced every model of the provider
        (
            "providers:\n  openai:\n    gpt-4o: {input: 1, output: 2}\n"
            "    '': {input: 9, output: 9}\n",
            "p.yaml:4: providers.openai: an empty model name ('') would price every model of "
            "openai",
        ),
        ("providers:\n  anthropic: {' ': {input: 1, output: 2}}\n", "an empty model name (' ')"),
        ("providers:\n  openai: {~: {input: 1, output: 2}}\n", "an empty model name (None)"),
        (
            "providers:\n  '127.0.0.1:8080': {'': {input: 1, output: 2}}\n",
            "would price every model at 127.0.0.1:8080",
        ),
        (
            "providers: {}\nbatch_discount: {opneai: 0.5}\n",
            "p.yaml:2: batch_discount.opneai: unknown provider 'opneai'",
        ),
    ],
)
def test_an_unknown_provider_or_an_empty_model_name_is_refused_at_its_line(
    tmp_path: Path, text: str, says: str
) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        PriceTable.load(bad)
    assert says in str(info.value).replace(str(tmp_path) + os.sep, "")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("providers:\n  opneai:\n    gpt-4o: {input: 1, output: 2}\n",
         "p.yaml:2: providers.opneai: unknown provider 'opneai'"),
        ("providers:\n  openai:\n    '': {input: 1, output: 2}\n",
         "p.yaml:3: providers.openai: an empty model name"),
    ],
)  # fmt: skip
def test_cli_an_unknown_provider_or_an_empty_model_name_exits_2_naming_file_and_key(
    tmp_path: Path, text: str, says: str
) -> None:
    from tests.support.loopback import backbone_here, cli_env, write_suite

    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    write_suite(tmp_path / "suite.yaml")
    proc = backbone_here(
        ["run", "--target", "openai:gpt-4o", "--base-url", "http://127.0.0.1:9/v1", "--suite",
         "suite.yaml", "--prices", "p.yaml", "--out", "out", "-q"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert says in proc.stderr
    assert not (tmp_path / "out").exists()


def test_hosts_and_providers_are_keys_and_a_host_without_a_port_takes_its_schemes(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "prices.yaml"
    mine.write_text(
        "providers:\n"
        "  openai: {gpt-4o: {input: 1, output: 2}}\n"
        "  anthropic: {claude-x: {input: 3, output: 4}}\n"
        "  localhost: {m: {input: 5, output: 6}}\n"
        "  'vllm:80': {m: {input: 7, output: 8}}\n"
        "  'models.internal:443': {m: {input: 9, output: 10}}\n"
        "  '[::1]:8000': {m: {input: 11, output: 12}}\n"
        "batch_discount: {openai: 0.25}\n",
        encoding="utf-8",
    )
    table = PriceTable.load(mine)
    assert table.lookup("openai:gpt-4o").price == Price(1, 2)
    assert table.lookup("anthropic:claude-x").price == Price(3, 4)
    assert table.lookup("openai:m", base_url="http://localhost/v1").price == Price(5, 6)
    assert table.lookup("openai:m", base_url="http://vllm/v1").price == Price(7, 8)
    assert table.lookup("openai:m", base_url="https://models.internal/v1").price == Price(9, 10)
    assert table.lookup("openai:m", base_url="http://[::1]:8000/v1").price == Price(11, 12)
    # the port given is the one that counts
    assert table.lookup("openai:m", base_url="http://vllm:8000/v1").price is None
    assert table.batch_discount("openai:gpt-4o") == 0.25
