export const PROTECTION_LEVELS = ['national', 'provincial', 'city', 'county', 'unlisted'] as const;
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];

/**
 * Protection level as written in registers and attribute tables (全国重点文物保护单位, 省保, 县级 …).
 * Missing → `unlisted` (尚未核定公布的不可移动文物); text that names no level → null (the import refuses it).
 */
export function parseProtectionLevel(raw: unknown): ProtectionLevel | null {
  if (raw === undefined || raw === null || String(raw).trim() === '') return 'unlisted';
  const s = String(raw).trim();
  const lower = s.toLowerCase();
  if ((PROTECTION_LEVELS as readonly string[]).includes(lower)) return lower as ProtectionLevel;
  if (/未定级|未核定|尚未|一般不可移动|登记/.test(s)) return 'unlisted';
  if (/全国|国保|国家级/.test(s)) return 'national';
  if (/省/.test(s)) return 'provincial';
  if (/市/.test(s)) return 'city';
  if (/县|区级|区保/.test(s)) return 'county';
  return null;
}
