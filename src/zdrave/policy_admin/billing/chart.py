"""The loss ratio chart: one horizontal bar per group contract, drawn as server-side SVG (no
script: the Content-Security-Policy allows none), with the 100 % line of 004 Чл.25 т.8."""

from __future__ import annotations

from decimal import Decimal

WIDTH = 240  # px of the bar area; the label sits above each bar
ROW = 34
SCALE_TOP = Decimal(200)  # per cent at the right edge; higher ratios are drawn to the edge


def loss_chart(rows) -> dict:
    bars = []
    for i, row in enumerate(rows):
        ratio = row.ratio if row.ratio.is_finite() else SCALE_TOP
        shown = min(ratio, SCALE_TOP)
        width = int(WIDTH * shown / SCALE_TOP)
        bars.append(
            {
                "label": f"{row.contract.number} · {row.contract.holder.name}"[:48],
                "ratio": row.ratio,
                "over": row.may_reprice,
                "label_y": i * ROW + 12,
                "bar_y": i * ROW + 16,
                "text_y": i * ROW + 27,
                "width": width,
                "text_x": width + 6,
            }
        )
    height = max(len(bars) * ROW, ROW)
    return {
        "bars": bars,
        "height": height,
        "threshold_x": int(WIDTH * 100 / SCALE_TOP),
    }
