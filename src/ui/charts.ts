import { html, type SafeHtml } from "./html.ts";

/** One bar: its label (shown on hover) and value. */
export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 720;
const HEIGHT = 140;
const PAD = 24;

function fmt(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/**
 * A bar chart as inline SVG (no script, no style attribute: the CSP allows neither inline).
 * `max` fixes the scale (a percentage chart passes 100).
 */
export function barChart(
  title: string,
  bars: Bar[],
  options: { max?: number; unit?: string } = {},
) {
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.value));
  const step = (WIDTH - PAD) / Math.max(1, bars.length);
  const plot = HEIGHT - PAD;
  const rects = bars.map((b, i) => {
    const h = Math.round((b.value / max) * plot * 10) / 10;
    const x = Math.round((PAD + i * step) * 10) / 10;
    const w = Math.max(0.5, Math.round(step * 0.8 * 10) / 10);
    return html`<rect class="bar" x="${x}" y="${plot - h}" width="${w}" height="${h}"><title>${b.label}: ${fmt(b.value)}${options.unit ?? ""}</title></rect>`;
  });
  const first = bars[0]?.label ?? "";
  const last = bars[bars.length - 1]?.label ?? "";
  return html`<figure class="chart"><figcaption>${title}</figcaption>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${title}">
<line class="axis" x1="${PAD}" y1="${plot}" x2="${WIDTH}" y2="${plot}"></line>
<text class="tick" x="0" y="10">${fmt(max)}${options.unit ?? ""}</text>
<text class="tick" x="0" y="${plot}">0</text>
${rects}
<text class="tick" x="${PAD}" y="${HEIGHT - 6}">${first}</text>
<text class="tick end" x="${WIDTH}" y="${HEIGHT - 6}">${last}</text>
</svg></figure>`;
}

export function chartsRow(charts: SafeHtml[]): SafeHtml {
  return html`<div class="charts">${charts}</div>`;
}
