"""The keyboard focus ring stands out: at least 3:1 against the page
(WCAG 2.2, 1.4.11 non-text contrast) in the light and the dark theme,
computed from the theme's custom properties."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

THEME = Path(__file__).parent.parent / "themes" / "default" / "static"
STYLE = (THEME / "style.css").read_text(encoding="utf-8")


def properties(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block))


def themes() -> dict[str, dict[str, str]]:
    light = properties(re.search(r"^:root\s*{([^}]*)}", STYLE, re.M).group(1))
    dark_block = re.search(r"@media \(prefers-color-scheme: dark\)\s*{\s*:root\s*{([^}]*)}", STYLE).group(1)
    return {"light": light, "dark": {**light, **properties(dark_block)}}


def luminance(colour: str) -> float:
    hex_digits = colour.strip().lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    assert re.fullmatch(r"[0-9a-fA-F]{6}", hex_digits), colour
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_focus_ring_has_3_to_1_against_the_page(theme):
    colours = themes()[theme]
    ratio = contrast(colours["--focus"], colours["--paper"])
    assert ratio >= 3, f"{theme}: focus {colours['--focus']} on paper {colours['--paper']} is {ratio:.2f}:1"


def test_every_focus_ring_uses_the_theme_colour():
    """No stylesheet of the theme draws a focus outline in a colour of its own."""
    for css in THEME.rglob("*.css"):
        for rule in re.findall(r"[^{}]*:focus[^{]*{([^}]*)}", css.read_text(encoding="utf-8")):
            outline = re.search(r"outline\s*:\s*([^;]+)", rule)
            if outline and outline.group(1).strip() != "none":
                assert "var(--focus)" in outline.group(1), f"{css.name}: {outline.group(0)}"
