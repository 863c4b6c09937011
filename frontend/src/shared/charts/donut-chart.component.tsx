import './charts.css';
import { useId } from 'react';
import { ChartLegend } from './chart-legend.component';
import { defaultFormat, describeData, type ChartDatum, type ValueFormatter } from './chart.types';

export interface DonutChartProps {
  title: string;
  data: readonly ChartDatum[];
  formatValue?: ValueFormatter;
  emptyText: string;
  /** text in the hole, under the total (e.g. "个开发区") */
  centerLabel?: string;
}

const R = 42;
const STROKE = 20;

/**
 * Shares of a whole as a ring. Each segment is a circle stroke whose dash covers its share of a path
 * length of 100 (`pathLength`), so a segment's length in the markup is its percentage.
 */
export function DonutChart({ title, data, formatValue = defaultFormat, emptyText, centerLabel }: DonutChartProps) {
  const id = useId();
  const total = data.reduce((s, d) => s + Math.max(0, d.value), 0);
  if (total <= 0) return <p className="qz-chart-empty">{emptyText}</p>;
  let offset = 0;
  const segments = data.map((d) => {
    const share = (Math.max(0, d.value) / total) * 100;
    const segment = { d, share, offset };
    offset += share;
    return segment;
  });
  return (
    <figure className="qz-chart qz-chart-donut">
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox="0 0 120 120" width="100%" style={{ maxWidth: 180 }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{describeData(data, formatValue)}</desc>
        <circle cx={60} cy={60} r={R} fill="none" strokeWidth={STROKE} className="qz-chart-track-stroke" />
        {segments
          .filter((s) => s.share > 0)
          .map(({ d, share, offset: start }) => (
            <circle
              key={d.key}
              data-key={d.key}
              data-share={share}
              cx={60}
              cy={60}
              r={R}
              fill="none"
              stroke={d.color}
              strokeWidth={STROKE}
              pathLength={100}
              strokeDasharray={`${share} ${100 - share}`}
              strokeDashoffset={-start}
              transform="rotate(-90 60 60)"
              className="qz-chart-segment"
            >
              <title>{`${d.label}: ${formatValue(d.value)} (${Math.round(share)}%)`}</title>
            </circle>
          ))}
        <text x={60} y={centerLabel ? 56 : 60} textAnchor="middle" dominantBaseline="central" className="qz-chart-total">
          {formatValue(total)}
        </text>
        {centerLabel && (
          <text x={60} y={74} textAnchor="middle" dominantBaseline="central" className="qz-chart-center-label">
            {centerLabel}
          </text>
        )}
      </svg>
      <ChartLegend
        items={data.map((d) => ({ key: d.key, label: d.label, color: d.color }))}
        values={Object.fromEntries(data.map((d) => [d.key, formatValue(d.value)]))}
      />
    </figure>
  );
}
