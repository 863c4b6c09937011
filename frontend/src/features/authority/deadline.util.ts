/** Where one legal deadline stands at `now` (DOMAIN §4.5: on site 24 h, opinion 7 days, national 15 days). */
export type DeadlineStatus =
  | { kind: 'met'; onTime: boolean; metAt: string }
  | { kind: 'running'; remainingMs: number; urgent: boolean }
  | { kind: 'overdue'; overdueMs: number };

export interface DeadlineLike {
  dueAt: string;
  metAt: string | null;
  breachedAt?: string | null;
}

/** Under two hours left: shown in amber, before it turns red. */
export const URGENT_MS = 2 * 3600_000;

export function deadlineStatus(deadline: DeadlineLike, now: number): DeadlineStatus {
  const due = Date.parse(deadline.dueAt);
  if (deadline.metAt) return { kind: 'met', onTime: Date.parse(deadline.metAt) <= due, metAt: deadline.metAt };
  const remainingMs = due - now;
  // The server's breach mark wins over a phone clock that runs slow.
  if (remainingMs <= 0 || deadline.breachedAt) return { kind: 'overdue', overdueMs: Math.max(0, -remainingMs) };
  return { kind: 'running', remainingMs, urgent: remainingMs < URGENT_MS };
}

/**
 * A countdown as people read it: days and hours when far away, hours-minutes-seconds within a day, so the
 * last day visibly ticks. `ms` is a non-negative duration.
 */
export function formatDuration(ms: number, language: string): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (language === 'en') {
    return days > 0 ? `${days} d ${hours} h ${pad(minutes)} min` : `${hours} h ${pad(minutes)} min ${pad(seconds)} s`;
  }
  return days > 0 ? `${days}天${hours}小时${pad(minutes)}分` : `${hours}小时${pad(minutes)}分${pad(seconds)}秒`;
}

const KIND_ORDER = ['on_site', 'opinion', 'national'] as const;

/** The deadline to watch next: the earliest unmet one (the list shows it first). */
export function nextOpenDeadline<D extends DeadlineLike & { kind: string }>(deadlines: readonly D[]): D | null {
  const open = deadlines.filter((d) => !d.metAt);
  open.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  return open[0] ?? null;
}

/** Deadlines in legal order: on site, opinion, national. */
export function sortDeadlines<D extends { kind: string }>(deadlines: readonly D[]): D[] {
  const rank = (k: string) => {
    const i = (KIND_ORDER as readonly string[]).indexOf(k);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...deadlines].sort((a, b) => rank(a.kind) - rank(b.kind));
}
