import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BarChart } from './bar-chart.component';
import type { ChartDatum } from './chart.types';
import { DonutChart } from './donut-chart.component';
import { GaugeChart } from './gauge-chart.component';
import { StackedBarChart } from './stacked-bar-chart.component';

const data: ChartDatum[] = [
  { key: 'industrial', label: '工业类', value: 71, color: '#2f78d6' },
  { key: 'agricultural', label: '农业类', value: 14, color: '#4caf50' },
  { key: 'cultural_tourism', label: '文旅类', value: 8, color: '#8e54c7' },
];

const num = (el: Element | null | undefined, attr: string): number => Number(el?.getAttribute(attr));

describe('BarChart', () => {
  it('draws one bar per value, lengths proportional to the values, with labels, values and hover titles', () => {
    const { container } = render(<BarChart title="开发区类别" data={data} emptyText="暂无数据" />);
    const svg = screen.getByRole('img', { name: /开发区类别/ });
    expect(svg.querySelector('desc')?.textContent).toBe('工业类 71; 农业类 14; 文旅类 8');
    const bars = [...container.querySelectorAll('rect.qz-chart-value-bar')];
    expect(bars.map((b) => num(b, 'data-value'))).toEqual([71, 14, 8]);
    const widths = bars.map((b) => num(b, 'width'));
    expect(widths[0]).toBeGreaterThan(200);
    expect(widths[1]! / widths[0]!).toBeCloseTo(14 / 71, 6);
    expect(widths[2]! / widths[0]!).toBeCloseTo(8 / 71, 6);
    expect(container.querySelector('[data-key="agricultural"] > title')?.textContent).toBe('农业类: 14');
    for (const text of ['工业类', '农业类', '文旅类', '71', '14', '8']) expect(screen.getAllByText(text).length).toBeGreaterThan(0);
  });

  it('formats values with the caller’s formatter', () => {
    render(<BarChart title="面积" data={[{ key: 'a', label: '避让区', value: 911.76, color: 'red' }]} formatValue={(v) => `${v.toFixed(2)} 亩`} emptyText="—" />);
    expect(screen.getByText('911.76 亩')).toBeTruthy();
  });

  it('shows the empty text instead of a chart when there is nothing, or only zeros', () => {
    const { rerender } = render(<BarChart title="报告" data={[]} emptyText="暂无新发现报告" />);
    expect(screen.getByText('暂无新发现报告')).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
    rerender(<BarChart title="报告" data={data.map((d) => ({ ...d, value: 0 }))} emptyText="暂无新发现报告" />);
    expect(screen.getByText('暂无新发现报告')).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
  });
});

describe('DonutChart', () => {
  it('gives each category its share of the ring, in order, with the total in the hole and a legend', () => {
    const { container } = render(<DonutChart title="开发区类别" data={data} emptyText="—" centerLabel="个开发区" />);
    expect(screen.getByRole('img', { name: /开发区类别/ })).toBeTruthy();
    const segments = [...container.querySelectorAll('circle.qz-chart-segment')];
    expect(segments.map((s) => s.getAttribute('data-key'))).toEqual(['industrial', 'agricultural', 'cultural_tourism']);
    const shares = segments.map((s) => num(s, 'data-share'));
    expect(shares[0]).toBeCloseTo((71 / 93) * 100, 6);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
    // the dash of each segment is its share; the next one starts where it ends
    expect(segments[1]!.getAttribute('stroke-dasharray')).toBe(`${shares[1]} ${100 - shares[1]!}`);
    expect(num(segments[1], 'stroke-dashoffset')).toBeCloseTo(-shares[0]!, 6);
    expect(segments[0]!.getAttribute('stroke')).toBe('#2f78d6');
    expect(segments[0]!.querySelector('title')?.textContent).toBe('工业类: 71 (76%)');
    expect(screen.getByText('93')).toBeTruthy();
    expect(container.querySelectorAll('.qz-chart-legend li')).toHaveLength(3);
  });

  it('draws no segment for a zero value and the empty text for an all-zero whole', () => {
    const { container, rerender } = render(<DonutChart title="t" data={[data[0]!, { ...data[1]!, value: 0 }]} emptyText="暂无" />);
    expect(container.querySelectorAll('circle.qz-chart-segment')).toHaveLength(1);
    rerender(<DonutChart title="t" data={[{ ...data[0]!, value: 0 }]} emptyText="暂无" />);
    expect(screen.getByText('暂无')).toBeTruthy();
  });
});

describe('StackedBarChart', () => {
  const series = [
    { key: 'concluded', label: '已完成', color: 'green' },
    { key: 'surveying', label: '调查中', color: 'blue' },
    { key: 'not_started', label: '未开始', color: 'grey' },
  ];
  it('splits each row into its series on one scale shared by all rows', () => {
    const { container } = render(
      <StackedBarChart
        title="评估状态"
        series={series}
        rows={[
          { key: 'industrial', label: '工业类', values: { concluded: 2, surveying: 1, not_started: 5 } },
          { key: 'agricultural', label: '农业类', values: { not_started: 2 } },
        ]}
        emptyText="—"
      />,
    );
    const row = (key: string) => [...container.querySelectorAll(`g[data-key="${key}"] rect.qz-chart-segment`)];
    const ind = row('industrial');
    expect(ind.map((r) => r.getAttribute('data-key'))).toEqual(['concluded', 'surveying', 'not_started']);
    const w = ind.map((r) => num(r, 'width'));
    expect(w[2]! / w[0]!).toBeCloseTo(5 / 2, 6);
    // segments follow each other
    expect(num(ind[1], 'x')).toBeCloseTo(num(ind[0], 'x') + w[0]!, 6);
    // the shorter row is drawn on the same scale: 2 of 8
    const agr = row('agricultural');
    expect(agr).toHaveLength(1);
    expect(num(agr[0], 'width') / w.reduce((a, b) => a + b, 0)).toBeCloseTo(2 / 8, 6);
    expect(agr[0]!.querySelector('title')?.textContent).toBe('农业类 · 未开始: 2');
    expect(screen.getByRole('img', { name: /评估状态/ }).querySelector('desc')?.textContent).toContain('工业类 8: 已完成 2, 调查中 1, 未开始 5');
    expect(container.querySelectorAll('.qz-chart-legend li')).toHaveLength(3);
  });

  it('shows the empty text when every row is empty', () => {
    render(<StackedBarChart title="t" series={series} rows={[{ key: 'x', label: 'x', values: {} }]} emptyText="暂无开发区" />);
    expect(screen.getByText('暂无开发区')).toBeTruthy();
  });
});

describe('GaugeChart', () => {
  it('fills the half-ring to the share and prints the percentage', () => {
    const { container } = render(<GaugeChart title="到场时限达成率" share={0.75} color="green" caption="3 / 4" />);
    const arc = container.querySelector('path.qz-chart-gauge-value');
    expect(arc?.getAttribute('stroke-dasharray')).toBe('75 100');
    expect(container.querySelector('text.qz-chart-total')?.textContent).toBe('75%');
    expect(screen.getByRole('img', { name: /到场时限达成率/ }).querySelector('desc')?.textContent).toBe('75%; 3 / 4');
  });

  it('shows "—" and no arc when nothing has been decided yet', () => {
    const { container } = render(<GaugeChart title="处理意见时限达成率" share={null} color="green" />);
    expect(container.querySelector('path.qz-chart-gauge-value')).toBeNull();
    expect(container.querySelector('text.qz-chart-total')?.textContent).toBe('—');
  });

  it('keeps a 0 % share visible as a number, without an arc', () => {
    const { container } = render(<GaugeChart title="t" share={0} color="green" />);
    expect(container.querySelector('path.qz-chart-gauge-value')).toBeNull();
    expect(container.querySelector('text.qz-chart-total')?.textContent).toBe('0%');
  });
});
