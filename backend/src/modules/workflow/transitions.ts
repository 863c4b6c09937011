import { EntityManager } from 'typeorm';
import { returnedRows } from '../../infra/database/sql-result';
import { AppException, forbiddenRole, stateConflict } from '../../infra/http/app-exception';
import { Principal, Role } from '../auth/roles';

/**
 * One explicit transition table per document type (Vendure's order-state style):
 * action → the states it may start from, the state it leads to, and the roles that may take it.
 */
export interface TransitionRule<S extends string> {
  from: readonly S[];
  to: S;
  roles: readonly Role[];
}
export type Transitions<S extends string, A extends string> = Record<A, TransitionRule<S>>;

/** Actions the table allows from a state (for 409 answers and for UIs that show only what is possible). */
export function allowedActions<S extends string, A extends string>(table: Transitions<S, A>, state: S): A[] {
  return (Object.keys(table) as A[]).filter((a) => table[a].from.includes(state));
}

/** 403 when the role may not take the action at all, 409 when the state does not allow it. */
export function checkTransition<S extends string, A extends string>(table: Transitions<S, A>, action: A, state: S, p: Principal): TransitionRule<S> {
  const rule = table[action];
  if (!rule.roles.some((r) => p.roles.includes(r))) throw forbiddenRole();
  if (!rule.from.includes(state)) throw stateConflict(state, action, allowedActions(table, state));
  return rule;
}

/**
 * Compare-and-set state change: `UPDATE … SET state = to WHERE id = $id AND state = from`. Zero rows
 * means someone else moved the document first: 409 with the state it is in now.
 */
export async function compareAndSetState<S extends string, A extends string>(
  m: EntityManager,
  opts: { table: string; id: string; from: S; to: S; action: A; transitions: Transitions<S, A>; extraSet?: string; extraParams?: unknown[] },
): Promise<void> {
  const extra = opts.extraSet ? `, ${opts.extraSet}` : '';
  const rows = returnedRows(
    await m.query(
    `UPDATE ${opts.table} SET state = $3, updated_at = now()${extra} WHERE id = $1 AND state = $2 RETURNING id`,
      [opts.id, opts.from, opts.to, ...(opts.extraParams ?? [])],
    ),
  );
  if (rows.length === 0) {
    const now: Array<{ state: S }> = await m.query(`SELECT state FROM ${opts.table} WHERE id = $1`, [opts.id]);
    const current = now[0]?.state;
    if (!current) throw new AppException('not_found', 404);
    throw stateConflict(current, opts.action, allowedActions(opts.transitions, current));
  }
}
