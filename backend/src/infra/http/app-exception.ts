import { Term } from '../i18n/messages';
/**
 * The one exception type features throw. `code` selects a bilingual message (infra/i18n/messages.ts or a
 * feature's registerMessages table); the global filter turns it into `{ code, message, details }`.
 */
export class AppException extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

export const notFound = (what = 'not_found', params?: Record<string, unknown>): AppException =>
  new AppException(what, 404, params);
export const forbiddenRole = (): AppException => new AppException('forbidden_role', 403);
export const forbiddenScope = (): AppException => new AppException('forbidden_scope', 403);

/** 409 for an action not allowed from the current state (API.md: names the state and the allowed actions). */
export function stateConflict(state: string, action: string, allowed: readonly string[]): AppException {
  // The message names the state and actions in the user's language; details keep the codes for programs.
  return new AppException(
    'conflict_state',
    409,
    { state: new Term('state', state), action: new Term('action', action), allowed: allowed.length ? allowed.map((a) => new Term('action', a)) : '—' },
    { state, action, allowedActions: allowed },
  );
}
