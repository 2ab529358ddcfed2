"""SVG charts drawn on the server as markup, inlined in the report HTML so that
rendering fetches nothing. Every piece of text is escaped here: labels come from
questionnaires and answers. Colours are presentation attributes, never `style`,
so the browser preview works under a CSP without 'unsafe-inline'."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

FONT = 'font-family="DejaVu Sans, sans-serif"'
PALETTE = ("#1b4f72", "#d35400", "#1e8449", "#7d3c98", "#a93226", "#566573")
BAR_FILL = "#1b4f72"
TRACK_FILL = "#e5e8e8"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    # role/aria-label for the browser preview; <title> for WeasyPrint's tags.
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title>")
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every part escaped above


def _two_lines(text: str, width: int) -> list[str]:
    """At most two lines of about `width` characters, cut between words."""
    if len(text) <= width:
        return [text]
    cut = text.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else width
    return [text[:cut].rstrip(), _clip(text[cut:].strip(), width)]


def score_bars(rows: Sequence[tuple[str, float | None, str]], title: str) -> Markup:
    """Horizontal bars, one per (label, score 0–100 or None, printed value)."""
    label_w, bar_w, row_h, width = 230, 300, 30, 600
    height = row_h * len(rows) + 8
    body = []
    for i, (label, value, printed) in enumerate(rows):
        y = 4 + i * row_h
        lines = _two_lines(label, 36)
        first_y = y + (18 if len(lines) == 1 else 12)
        tspans = "".join(f'<tspan x="{label_w - 8}" y="{first_y + 12 * n}">{escape(line)}</tspan>'
                         for n, line in enumerate(lines))
        body.append(f'<text text-anchor="end" font-size="11" {FONT} fill="#1c2833">'
                    f"{tspans}</text>")
        body.append(f'<rect x="{label_w}" y="{y + 6}" width="{bar_w}" height="{row_h - 12}" '
                    f'fill="{TRACK_FILL}"/>')
        if value is not None:
            length = round(bar_w * max(0.0, min(100.0, value)) / 100, 1)
            body.append(f'<rect x="{label_w}" y="{y + 6}" width="{length}" '
                        f'height="{row_h - 12}" fill="{BAR_FILL}"/>')
        body.append(f'<text x="{label_w + bar_w + 8}" y="{y + 19}" font-size="11" {FONT} '
                    f'fill="#1c2833">{escape(printed)}</text>')
    return _svg(width, height, title, body)


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def year_bars(years: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]],
              title: str, fmt=str) -> Markup:
    """Grouped vertical bars: one group per year, one bar per series (metric).

    The legend is left to the HTML (`PALETTE` order, classes swatch-0…5): text in
    SVG costs WeasyPrint several times what the same text costs in HTML."""
    width, left, top, plot_h = 600, 56, 12, 120
    height = top + plot_h + 24
    peak = _nice_max(max((v for _, values in series for v in values if v), default=0))
    group_w = (width - left - 10) / max(1, len(years))
    bar_w = min(36.0, (group_w - 12) / max(1, len(series)))
    body = _axis(left, top, plot_h, width, peak, fmt)
    for g, year in enumerate(years):
        x0 = left + g * group_w + (group_w - bar_w * len(series)) / 2
        for s, (_, values) in enumerate(series):
            value = values[g]
            if value is None:
                continue
            h = round(plot_h * value / peak, 1)
            body.append(f'<rect x="{x0 + s * bar_w:.1f}" y="{top + plot_h - h:.1f}" '
                        f'width="{bar_w - 2:.1f}" height="{h}" fill="{PALETTE[s % 6]}"/>')
        body.append(f'<text x="{left + (g + 0.5) * group_w:.1f}" y="{top + plot_h + 16}" '
                    f'text-anchor="middle" font-size="11" {FONT}>{escape(year)}</text>')
    return _svg(width, height, title, body)


def _axis(left: int, top: int, plot_h: int, width: int, peak: float, fmt) -> list[str]:
    parts = []
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
                     f'stroke="#d5d8dc" stroke-width="0.8"/>')
        if i % 2 == 0:  # label every other line: enough to read, fewer text nodes
            parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                         f'font-size="10" {FONT} fill="#566573">{escape(fmt(peak * i / 4))}'
                         "</text>")
    return parts
