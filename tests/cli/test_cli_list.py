"""`vrgym list`: the table, the filters and the JSON form."""

from __future__ import annotations


def test_table_shows_name_gym_id_domain_tags_and_default_level(cli):
    result = cli("list")
    assert result.code == 0
    header, rule, *rows = result.out.splitlines()
    assert header.split()[:4] == ["NAME", "GYM", "ID", "DOMAIN"]
    echo = next(row for row in rows if row.startswith("ToyEcho "))
    assert echo.split() == ["ToyEcho", "vrgym/ToyEcho-v0", "toy", "toy/echo", "easy", "hard*"]
    pair = next(row for row in rows if row.startswith("ToyPair "))
    assert pair.split() == ["ToyPair", "vrgym/ToyPair-v0", "toylogic", "toy/pair", "toy/words", "default*"]


def test_filters(cli):
    assert [line.split()[0] for line in cli("list", "--domain", "toylogic").out.splitlines()[2:]] == ["ToyPair"]
    assert [line.split()[0] for line in cli("list", "--tag", "toy/echo").out.splitlines()[2:]] == ["ToyEcho"]
    assert {line.split()[0] for line in cli("list", "--tag", "toy").out.splitlines()[2:]} == {"ToyEcho", "ToyPair", "ToySlow", "ToyBroken"}


def test_no_match_is_a_note_not_an_error(cli):
    result = cli("list", "--domain", "cooking")
    assert result.code == 0
    assert result.out == ""
    assert "no template matches" in result.err and "toylogic" in result.err


def test_json(cli):
    result = cli("list", "--tag", "toy/echo", "--json")
    assert result.code == 0
    assert result.json == [
        {
            "name": "ToyEcho",
            "gym_id": "vrgym/ToyEcho-v0",
            "version": 0,
            "domain": "toy",
            "tags": ["toy/echo"],
            "levels": ["easy", "hard"],
            "default_level": "hard",
            "description": "Repeat a number.",
        }
    ]
    assert cli("list", "--domain", "cooking", "--json").json == []
