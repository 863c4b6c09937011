import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Users see Shanghai time whatever their machine says (DOMAIN §4.7). */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

export function dayjsLocaleFor(language: string): string {
  return language === 'en' ? 'en' : 'zh-cn';
}

export function applyDayjsLocale(language: string): void {
  dayjs.locale(dayjsLocaleFor(language));
}

/** Formats an ISO 8601 instant (with offset) as Shanghai wall-clock time. */
export function formatDateTime(iso: string, language: string): string {
  return dayjs(iso)
    .tz(DISPLAY_TIME_ZONE)
    .locale(dayjsLocaleFor(language))
    .format(language === 'en' ? 'YYYY-MM-DD HH:mm' : 'YYYY年M月D日 HH:mm');
}
