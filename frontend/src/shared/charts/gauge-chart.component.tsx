import './charts.css';
import { useId } from 'react';

export interface GaugeChartProps {
  title: string;
  /** 0–1, or null when there is nothing to measure yet (drawn as an empty track with "—") */
  share: number | null;
  color: string;
  /** line under the percentage, e.g. "3 / 4 按时" */
  caption?: string;
  emptyText?: string;
}

/** A half-ring from 0 % to 100 %; the arc's dash is the share of a path length of 100. */
export function GaugeChart({ title, share, color, caption, emptyText = '—' }: GaugeChartProps) {
  const id = useId();
  const clamped = share === null ? null : Math.min(1, Math.max(0, share));
  const percent = clamped === null ? null : Math.round(clamped * 1000) / 10;
  const text = percent === null ? emptyText : `${percent}%`;
  const arc = 'M 15 70 A 55 55 0 0 1 125 70';
  return (
    <figure className="qz-chart qz-chart-gauge">
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox="0 0 140 92" width="100%" style={{ maxWidth: 200 }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{caption ? `${text}; ${caption}` : text}</desc>
        <path d={arc} fill="none" strokeWidth={16} pathLength={100} className="qz-chart-track-stroke" />
        {percent !== null && percent > 0 && (
          <path
            d={arc}
            fill="none"
            stroke={color}
            strokeWidth={16}
            pathLength={100}
            strokeDasharray={`${percent} 100`}
            data-share={percent}
            className="qz-chart-gauge-value"
          >
            <title>{`${title}: ${text}`}</title>
          </path>
        )}
        <text x={70} y={64} textAnchor="middle" className="qz-chart-total">
          {text}
        </text>
        {caption && (
          <text x={70} y={86} textAnchor="middle" className="qz-chart-center-label">
            {caption}
          </text>
        )}
      </svg>
    </figure>
  );
}
