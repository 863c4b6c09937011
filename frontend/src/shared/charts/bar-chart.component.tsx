import './charts.css';
import { useId } from 'react';
import { defaultFormat, describeData, type ChartDatum, type ValueFormatter } from './chart.types';

export interface BarChartProps {
  /** accessible name of the chart */
  title: string;
  data: readonly ChartDatum[];
  formatValue?: ValueFormatter;
  /** shown instead of the chart when there is nothing to draw (no data, or every value zero) */
  emptyText: string;
  /** width of the label column in viewBox units */
  labelWidth?: number;
}

const WIDTH = 480;
const ROW = 30;
const BAR = 18;
const VALUE_ROOM = 96;

/** Horizontal bars, lengths proportional to the values (the longest fills the track); values on hover and at the bar's end. */
export function BarChart({ title, data, formatValue = defaultFormat, emptyText, labelWidth = 112 }: BarChartProps) {
  const id = useId();
  const max = Math.max(0, ...data.map((d) => d.value));
  if (data.length === 0 || max <= 0) return <p className="qz-chart-empty">{emptyText}</p>;
  const track = WIDTH - labelWidth - VALUE_ROOM;
  const height = data.length * ROW;
  return (
    <figure className="qz-chart">
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{describeData(data, formatValue)}</desc>
        {data.map((d, i) => {
          const y = i * ROW;
          const width = (Math.max(0, d.value) / max) * track;
          return (
            <g key={d.key} data-key={d.key} className="qz-chart-bar">
              <title>{`${d.label}: ${formatValue(d.value)}`}</title>
              <text x={labelWidth - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="central" className="qz-chart-label">
                {d.label}
              </text>
              <rect x={labelWidth} y={y + (ROW - BAR) / 2} width={track} height={BAR} className="qz-chart-track" />
              <rect
                x={labelWidth}
                y={y + (ROW - BAR) / 2}
                width={width}
                height={BAR}
                fill={d.color}
                rx={2}
                data-value={d.value}
                className="qz-chart-value-bar"
              />
              <text x={labelWidth + width + 6} y={y + ROW / 2} dominantBaseline="central" className="qz-chart-value">
                {formatValue(d.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
