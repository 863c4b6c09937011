/** China has a single time zone without daylight saving: Asia/Shanghai is always UTC+08:00. */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** ISO 8601 in Asia/Shanghai with an explicit offset, e.g. 2026-11-27T20:30:00.000+08:00. */
export function toIsoOffset(date: Date | string | null | undefined): string | null {
  if (date === null || date === undefined) return null;
  const d = typeof date === 'string' ? new Date(date) : date;
  const local = new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 23)}+08:00`;
}

/** The calendar year in Asia/Shanghai (document numbers take it). */
export function shanghaiYear(date: Date): number {
  return new Date(date.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
}

export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
