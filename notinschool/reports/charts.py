"""Charts drawn on the server with matplotlib, as SVG images to put in a page or a PDF. Each
chart says in words what it shows (its `description`, the image's text alternative), and the
page puts the same figures in a table beside it. The SVG goes in as an image (a `data:` URL):
an image runs no script and is not styled by the page, so the content security policy stays
strict."""

import base64
import io
import re
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt
from matplotlib.ticker import MaxNLocator

_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_BLUE, _GREY, _INK = "#1d70b8", "#b1b4b6", "#0b0c0c"
plt.rcParams.update({"svg.fonttype": "none", "font.family": "sans-serif",
                     "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"], "font.size": 10})


@dataclass(frozen=True)
class Chart:
    svg: str
    description: str

    @property
    def data_url(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def line_chart(labels: list[str], values: list[int | None], *, title: str, description: str,
               compare: list[int | None] | None = None) -> Chart:
    """A line over the months; a value of None (hidden for publication) leaves a gap."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2), dpi=96)
    ax.plot(range(len(values)), [float("nan") if v is None else v for v in values], color=_BLUE,
            linewidth=2.5, label="This year")
    if compare is not None:
        ax.plot([i for i, v in enumerate(compare) if v is not None], [v for v in compare if v is not None],
                color=_GREY, linewidth=2, linestyle="--", label="A year before")
        ax.legend(frameon=False, loc="upper left")
    _axes(ax, labels, title)
    return Chart(_svg(fig), description)


def bar_chart(labels: list[str], values: list[int | str], *, title: str, description: str) -> Chart:
    """Bars with their counts written at the end; a count hidden for publication (a marker
    instead of a number) is drawn as no bar, with the marker written."""
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(labels) + 1.0), dpi=96)
    positions = list(range(len(values)))[::-1]
    lengths = [v if isinstance(v, int) else 0 for v in values]
    ax.barh(positions, lengths, color=_BLUE)
    ax.set_yticks(positions, labels)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    for y, v in zip(positions, values, strict=True):
        ax.text(v if isinstance(v, int) else 0, y, f"  {v:,}" if isinstance(v, int) else f"  {v}",
                va="center", color=_INK)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color=_INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlim(0, max([*lengths, 1]) * 1.15)
    return Chart(_svg(fig), description)


def _axes(ax: Any, labels: list[str], title: str) -> None:
    step = max(1, len(labels) // 8)
    ax.set_xticks(range(0, len(labels), step), labels[::step])
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color=_INK)
    ax.set_ylim(bottom=0, top=None if any(line.get_ydata().max() > 0 for line in ax.get_lines()
                                          if len(line.get_ydata())) else 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#f3f2f1")


def _svg(fig: Any) -> str:
    out = io.StringIO()
    fig.tight_layout()
    fig.savefig(out, format="svg")
    plt.close(fig)
    text = _STYLE.sub("", out.getvalue())
    return text[text.index("<svg"):]
