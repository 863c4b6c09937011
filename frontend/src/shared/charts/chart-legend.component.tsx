import type { ChartSeries } from './chart.types';

/** Swatches with labels (and values when given), wrapping like text under or beside a chart. */
export function ChartLegend({ items, values }: { items: readonly ChartSeries[]; values?: Readonly<Record<string, string>> }) {
  return (
    <ul className="qz-chart-legend">
      {items.map((item) => (
        <li key={item.key} data-key={item.key}>
          <span className="qz-chart-swatch" style={{ background: item.color }} aria-hidden="true" />
          <span>{item.label}</span>
          {values?.[item.key] !== undefined && <span className="qz-chart-legend-value qz-number">{values[item.key]}</span>}
        </li>
      ))}
    </ul>
  );
}
