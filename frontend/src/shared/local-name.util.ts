/** Registry records carry an official Chinese name and, sometimes, an English one; Chinese is the fallback. */
export function localName(record: { name: string; nameEn?: string | null }, language: string): string {
  return language === 'en' && record.nameEn ? record.nameEn : record.name;
}
