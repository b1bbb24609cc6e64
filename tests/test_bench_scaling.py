"""bench/scaling.py's pure parts: reading the build's lap lines, cutting the
memory samples into phases, the least-squares fit, the workers an ingest
needs, and writing its section into bench/README.md without touching the
rest."""
from __future__ import annotations


import pytest

from bench_support import load_bench




scaling = load_bench("scaling")
MIB = 2**20


def test_a_lap_line_is_read_and_other_lines_are_not():
    lap = scaling.parse_lap("records read, related articles: 12.34 s (peak memory so far 1523 MiB)", at=5.0)
    assert lap == scaling.Lap("records read, related articles", 12.34, 1523, 5.0)
    assert scaling.parse_lap("  pages written: 3.00 s (peak memory so far 80 MiB)\n", at=1.0).label == "pages written"
    for other in ("Built 10,000 articles into public/ in 12.3 s", "warning: content/a.md: no date",
                  "pages written: 3.00 s", ""):
        assert scaling.parse_lap(other, at=1.0) is None


def test_each_phase_gets_the_peak_sampled_in_its_own_window():
    laps = [scaling.Lap("inputs read", 1.0, 100, at=11.0),
            scaling.Lap("pages written", 3.0, 100, at=14.0),
            scaling.Lap("search indexed", 2.0, 100, at=16.0)]
    samples = [(10.5, 50 * MIB), (11.0, 90 * MIB),  # inputs read (up to and including its line)
               (12.0, 300 * MIB), (13.9, 200 * MIB),  # pages written
               (15.0, 900 * MIB),  # search indexed: Pagefind's children
               (16.5, 120 * MIB)]  # after the last lap: exit
    phases = scaling.phases_of(laps, samples, start=10.0, end=17.0)
    assert [p.label for p in phases] == ["inputs read", "pages written", "search indexed", scaling.OTHER_PHASE]
    # the build's own high-water mark (100 MiB) was first seen in the first phase
    assert [round(p.peak_mb) for p in phases] == [100, 300, 900, 120]
    assert [p.seconds for p in phases[:3]] == [1.0, 3.0, 2.0]
    assert phases[-1].seconds == pytest.approx(7.0 - 6.0)  # start-up and exit: what the laps leave out


def test_a_rising_high_water_mark_counts_where_no_sample_caught_it():
    laps = [scaling.Lap("a", 1.0, 100, at=1.0), scaling.Lap("b", 1.0, 700, at=2.0), scaling.Lap("c", 1.0, 700, at=3.0)]
    samples = [(0.5, 100 * MIB), (1.5, 200 * MIB), (2.5, 250 * MIB)]
    phases = scaling.phases_of(laps, samples, start=0.0, end=3.0)
    assert [round(p.peak_mb) for p in phases[:3]] == [100, 700, 250]  # c did not raise it: its own sample


def test_a_label_seen_twice_stays_two_phases():
    laps = [scaling.Lap("model kept", 1.0, 10, at=1.0), scaling.Lap("model kept", 2.0, 10, at=2.0)]
    labels = [p.label for p in scaling.phases_of(laps, [], start=0.0, end=3.0)]
    assert labels == ["model kept", "model kept (2)", scaling.OTHER_PHASE]


def test_the_fit_finds_the_line_through_exact_points():
    fit = scaling.fit_line([(10_000, 5 + 0.002 * 10_000), (30_000, 5 + 0.002 * 30_000), (100_000, 205)])
    assert fit.b == pytest.approx(0.002)
    assert fit.a == pytest.approx(5)
    assert fit.at(1_000_000) == pytest.approx(2005)


def test_the_fit_is_least_squares_for_noisy_points():
    fit = scaling.fit_line([(1, 1.0), (2, 3.0), (3, 2.0)])
    assert (fit.a, fit.b) == (pytest.approx(1.0), pytest.approx(0.5))


def test_one_size_is_not_a_fit():
    with pytest.raises(ValueError, match="two sizes"):
        scaling.fit_line([(10_000, 5.0), (10_000, 6.0)])


def test_phases_are_fitted_across_builds_and_a_failed_build_is_left_out():
    def build(n, failed=""):
        phases = (scaling.Phase("pages written", 0.001 * n, 100 + 0.01 * n, cpu_seconds=0.002 * n),
                  scaling.Phase("search indexed", 2.0, 500.0, cpu_seconds=3.0))
        return scaling.BuildResult(n, 1 + 0.001 * n + 2.0, 600.0 + 0.01 * n, n * 3, phases, 0.5, failed=failed,
                                   cpu_seconds=4 + 0.002 * n)

    fits = scaling.phase_fits([build(1000), build(3000), build(5000, failed="exit 1")])
    assert list(fits) == ["pages written", "search indexed", "total"]
    pages = fits["pages written"]
    assert (pages.time.b, pages.memory.b, pages.memory.a, pages.time.points) == (
        pytest.approx(0.001), pytest.approx(0.01), pytest.approx(100), 2)
    assert pages.cpu.b == pytest.approx(0.002)  # two cores busy while it ran
    assert pages.time_power.k == pytest.approx(1.0)  # its CPU time is proportional to N
    assert fits["search indexed"].time.b == pytest.approx(0)
    assert fits["search indexed"].time_power.k == pytest.approx(0)
    assert fits["total"].time.a == pytest.approx(3.0)
    assert fits["total"].cpu.a == pytest.approx(4.0)


def test_the_power_law_tells_quadratic_growth_from_linear():
    quadratic = scaling.fit_power([(n, 3e-6 * n * n) for n in (10_000, 30_000, 100_000)])
    assert quadratic.k == pytest.approx(2.0)
    assert quadratic.at(1_000_000) == pytest.approx(3e6)
    assert scaling.fit_power([(10, 0.0), (20, 1.0)]) is None  # a phase that took no time has no power law


def test_workers_for_an_ingest_within_an_hour():
    assert scaling.workers_for(1_000_000, 30.0) == 10  # 277.8 articles/s needed
    assert scaling.workers_for(10_000_000, 30.0) == 93
    assert scaling.workers_for(100, 30.0) == 1
    with pytest.raises(ValueError):
        scaling.workers_for(1000, 0)


README = """# Benchmarks

## Something else

kept

## Scaling (`bench/scaling.py`)

The plan, written by hand.

{start}

old table

{end}

More prose by hand.

## After
"""


def test_the_section_between_the_markers_is_replaced_and_the_rest_kept():
    document = README.format(start=scaling.START_MARKER, end=scaling.END_MARKER)
    new = scaling.replace_between_markers(document, "new table\n")
    assert "old table" not in new and "new table" in new
    assert new.startswith(document.split(scaling.START_MARKER)[0])
    assert new.endswith(document.split(scaling.END_MARKER)[1])
    assert scaling.replace_between_markers(new, "new table\n") == new  # twice: the same file


def test_a_readme_without_markers_gets_a_new_section_at_the_end():
    new = scaling.replace_between_markers("# Benchmarks\n\ntext\n", "table")
    assert new == (f"# Benchmarks\n\ntext\n\n{scaling.SECTION_HEADING}\n\n"
                   f"{scaling.START_MARKER}\n\ntable\n\n{scaling.END_MARKER}\n")


def test_a_lone_marker_is_an_error_not_a_lost_readme():
    with pytest.raises(ValueError, match="end marker"):
        scaling.replace_between_markers(f"x\n{scaling.START_MARKER}\nold\n", "table")
    with pytest.raises(ValueError, match="start marker"):
        scaling.replace_between_markers(f"x\n{scaling.END_MARKER}\n", "table")


# ---------------------------------------------------------------- bench/search_first_result.py

search_bench = load_bench("search_first_result")


def test_shard_sizes_deal_the_archive_into_exactly_the_shards_asked():
    from generator.urls import search_shard_count

    for articles, shards in ((4000, 40), (4000, 10), (4000, 1), (1000, 7)):
        size = search_bench.shard_size_for(articles, shards)
        assert search_shard_count(articles, size, 40) == shards
    with pytest.raises(ValueError, match="exactly 3 shards"):
        search_bench.shard_size_for(4, 3)  # 2 per shard gives 2 shards, 1 per shard gives 4


def test_the_shard_settings_go_into_the_build_table_of_site_toml(tmp_path):
    from generator.config import load_config

    base = "title = \"T\"\nlanguage = \"fr\"\n\n[build]\nper_page = 20\n"
    (tmp_path / "site.toml").write_text(search_bench.site_toml(base, 100, 40), encoding="utf-8")
    config = load_config(tmp_path)
    assert (config.search_shard_size, config.search_max_shards, config.per_page) == (100, 40, 20)
    with pytest.raises(ValueError, match=r"\[build\]"):
        search_bench.site_toml("title = \"T\"\n", 100, 40)


def test_query_words_run_from_common_to_rare():
    texts = ["maison " * 50 + "voiture " * 20 + "bateau " * 5 + "avion", "maison voiture étoile 123456 a_b_c_d_e"]
    words = search_bench.query_words(texts, 3)
    assert words[0] == "maison"  # rank 1
    assert len(set(words)) == 3 and set(words) <= {"maison", "voiture", "bateau", "avion", "étoile"}
    assert search_bench.query_words(texts, 3) == words  # the same on every run
    with pytest.raises(ValueError, match="distinct words"):
        search_bench.query_words(["court mot"], 2)


def test_a_phase_shorter_than_the_sampling_period_gets_the_nearest_sample():
    laps = [scaling.Lap("long", 1.0, 10, at=1.0), scaling.Lap("short", 0.01, 10, at=1.01)]
    samples = [(0.5, 100 * MIB), (1.04, 300 * MIB), (2.0, 50 * MIB)]
    phases = scaling.phases_of(laps, samples, start=0.0, end=2.0)
    assert [round(p.peak_mb) for p in phases] == [100, 300, 300]  # the last window holds the 300 too


def test_the_steady_rate_of_one_process_leaves_its_start_up_out():
    rows = [scaling.IngestResult("local-1-half", "half", "1", articles=500, seconds=10 + 500 / 25),
            scaling.IngestResult("local-1", "all", "1", articles=1000, seconds=10 + 1000 / 25),
            scaling.IngestResult("local-cluster", "cluster", "2", skipped="skipped: no --scheduler")]
    rate, start_up = scaling.steady_rate(rows)
    assert (rate, start_up) == (pytest.approx(25), pytest.approx(10))
    assert scaling.steady_rate(rows[1:]) is None  # without the half run, no way to tell them apart
    text = "\n".join(scaling.ingest_table(rows, 1000) + scaling.plan_table(
        {"total": scaling.PhaseFit(scaling.Fit(1, 0.01, 2), scaling.Fit(100, 0.05, 2), None, None)}, rows))
    assert "| cluster | 2 | skipped: no --scheduler |" in text
    assert "12 such workers for 1,000,000 articles" in text  # 1e6 / (25 × 3600) = 11.1


def test_each_phase_gets_the_cpu_time_the_tree_used_between_its_lap_lines():
    laps = [scaling.Lap("a", 1.0, 10, at=1.0), scaling.Lap("b", 2.0, 10, at=3.0)]
    cpu = [(0.5, 0.4), (1.0, 0.9), (2.0, 1.5), (3.0, 4.9), (3.5, 5.0)]  # cumulative CPU seconds
    phases = scaling.phases_of(laps, [], start=0.0, end=3.6, cpu=cpu)
    assert [round(p.cpu_seconds, 2) for p in phases] == [0.9, 4.0, 0.1]  # b used both cores: 4 s in 2 s


def test_the_steady_rate_reads_cpu_time_when_it_was_measured():
    # on a busy machine the wall clock doubled; the CPU time did not
    rows = [scaling.IngestResult("local-1-half", "half", "1", articles=500, seconds=60.0, cpu_seconds=8 + 500 / 30),
            scaling.IngestResult("local-1", "all", "1", articles=1000, seconds=100.0, cpu_seconds=8 + 1000 / 30)]
    rate, start_up = scaling.steady_rate(rows)
    assert (rate, start_up) == (pytest.approx(30), pytest.approx(8))
    assert rows[1].cpu_rate == pytest.approx(1000 / (8 + 1000 / 30))
