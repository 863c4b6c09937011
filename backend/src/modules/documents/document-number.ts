/**
 * Official document numbers in the style of Chinese government letters: 晋文物函〔2026〕12号 — the series
 * (issuing organ + letter type), the year in full-width hexagonal brackets 〔〕 (U+3014/U+3015, never
 * 【】 or ASCII brackets), the sequence number within that year, and 号.
 */
export function formatDocumentNumber(series: string, year: number, seq: number): string {
  if (!series.trim()) throw new RangeError('document number series must not be empty');
  if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new RangeError(`document number year out of range: ${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`document number sequence must be a positive integer: ${seq}`);
  return `${series}〔${year}〕${seq}号`;
}

const PATTERN = /^(.+)〔(\d{4})〕([1-9]\d*)号$/u;

/** The inverse of formatDocumentNumber, or null for text that is not such a number. */
export function parseDocumentNumber(text: string): { series: string; year: number; seq: number } | null {
  const m = PATTERN.exec(text);
  if (!m) return null;
  return { series: m[1]!, year: Number(m[2]), seq: Number(m[3]) };
}
