/** One value of a chart: `label` is what users read, `color` any CSS colour. */
export interface ChartDatum {
  key: string;
  label: string;
  value: number;
  color: string;
}

/** A series of a stacked chart (one colour across the rows). */
export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

export type ValueFormatter = (value: number) => string;

export const defaultFormat: ValueFormatter = (value) => new Intl.NumberFormat('zh-CN').format(value);

/** The sentence a screen reader hears for the whole chart: "工业类 7，农业类 1". */
export function describeData(data: readonly ChartDatum[], format: ValueFormatter, separator = '; '): string {
  return data.map((d) => `${d.label} ${format(d.value)}`).join(separator);
}
