import './charts.css';
import { useId } from 'react';
import { ChartLegend } from './chart-legend.component';
import { defaultFormat, type ChartSeries, type ValueFormatter } from './chart.types';

export interface StackedRow {
  key: string;
  label: string;
  /** value per series key; missing keys count as zero */
  values: Readonly<Record<string, number>>;
}

export interface StackedBarChartProps {
  title: string;
  series: readonly ChartSeries[];
  rows: readonly StackedRow[];
  formatValue?: ValueFormatter;
  emptyText: string;
  labelWidth?: number;
}

const WIDTH = 480;
const ROW = 32;
const BAR = 20;
const TOTAL_ROOM = 48;

/** One horizontal bar per row, split into its series; bar lengths share one scale (the largest row total fills the track). */
export function StackedBarChart({ title, series, rows, formatValue = defaultFormat, emptyText, labelWidth = 112 }: StackedBarChartProps) {
  const id = useId();
  const totals = rows.map((r) => series.reduce((s, se) => s + Math.max(0, r.values[se.key] ?? 0), 0));
  const max = Math.max(0, ...totals);
  if (rows.length === 0 || max <= 0) return <p className="qz-chart-empty">{emptyText}</p>;
  const track = WIDTH - labelWidth - TOTAL_ROOM;
  const description = rows
    .map((r, i) => `${r.label} ${formatValue(totals[i]!)}: ${series.filter((se) => (r.values[se.key] ?? 0) > 0).map((se) => `${se.label} ${formatValue(r.values[se.key]!)}`).join(', ')}`)
    .join('; ');
  return (
    <figure className="qz-chart">
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${WIDTH} ${rows.length * ROW}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {rows.map((row, i) => {
          const y = i * ROW + (ROW - BAR) / 2;
          let x = labelWidth;
          return (
            <g key={row.key} data-key={row.key} className="qz-chart-row">
              <text x={labelWidth - 8} y={i * ROW + ROW / 2} textAnchor="end" dominantBaseline="central" className="qz-chart-label">
                {row.label}
              </text>
              <rect x={labelWidth} y={y} width={track} height={BAR} className="qz-chart-track" />
              {series.map((se) => {
                const value = Math.max(0, row.values[se.key] ?? 0);
                if (value === 0) return null;
                const width = (value / max) * track;
                const rect = (
                  <rect key={se.key} data-key={se.key} data-value={value} x={x} y={y} width={width} height={BAR} fill={se.color} className="qz-chart-segment">
                    <title>{`${row.label} · ${se.label}: ${formatValue(value)}`}</title>
                  </rect>
                );
                x += width;
                return rect;
              })}
              <text x={x + 6} y={i * ROW + ROW / 2} dominantBaseline="central" className="qz-chart-value">
                {formatValue(totals[i]!)}
              </text>
            </g>
          );
        })}
      </svg>
      <ChartLegend items={series} />
    </figure>
  );
}
