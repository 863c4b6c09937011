/** 1 亩 = 10000/15 m² exactly (the statutory definition), so conversions stay exact ratios. */
export const SQUARE_METRES_PER_MU = 10000 / 15;
export const SQUARE_METRES_PER_HECTARE = 10000;
export const MU_PER_HECTARE = 15;

export function squareMetresToMu(m2: number): number {
  return m2 / SQUARE_METRES_PER_MU;
}

export function squareMetresToHectares(m2: number): number {
  return m2 / SQUARE_METRES_PER_HECTARE;
}

export function muToHectares(mu: number): number {
  return mu / MU_PER_HECTARE;
}

/** Two decimals with grouping, in the UI language (Chinese and English both group by thousands). */
export function formatArea(value: number, language: string, fractionDigits = 2): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-US' : 'zh-CN', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

export interface AreaLabels {
  mu: string;
  ha: string;
}

/** "1,234.56 亩（82.30 公顷）" — how land documents in China state an area. */
export function formatMuAndHectares(mu: number, language: string, labels: AreaLabels): string {
  const ha = muToHectares(mu);
  const muText = `${formatArea(mu, language)} ${labels.mu}`;
  const haText = `${formatArea(ha, language)} ${labels.ha}`;
  return language === 'en' ? `${muText} (${haText})` : `${muText}（${haText}）`;
}
