import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { Principal } from '../auth/roles';
import { ChainedFields, GENESIS_HASH, chainHash } from './canonical';

/** pg_advisory_xact_lock key serialising audit writers so the chain never forks. */
const AUDIT_CHAIN_LOCK = 7_221_0002;

/** The person (or system process) behind a change, and the request it came in. */
export interface Actor {
  principal: Principal | null;
  correlationId: string | null;
  /** for system actors: which process acted (worker, seed, reconciler …) */
  system?: string;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditEventDto {
  id: number;
  occurredAt: string;
  actor: { userId: string | null; orgId: string | null; label: string | null };
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_org_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
}

function toJsonValue(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v)) as unknown;
}

function rowFields(r: AuditRow): ChainedFields {
  return {
    id: String(r.id),
    occurredAt: r.occurred_at.toISOString(),
    actorUserId: r.actor_user_id,
    actorOrgId: r.actor_org_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    reason: r.reason,
    before: r.before,
    after: r.after,
    correlationId: r.correlation_id,
  };
}

@Injectable()
export class AuditService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one event inside the caller's transaction: the change and its audit row commit or roll back
   * together. The advisory lock is held until that transaction ends, so concurrent writers queue up.
   */
  async record(m: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    if (!m.queryRunner?.isTransactionActive) throw new Error('audit events must be written inside a transaction');
    await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const last: Array<{ hash: string }> = await m.query('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1');
    const prevHash = last[0]?.hash ?? GENESIS_HASH;
    const [{ id }] = (await m.query(`SELECT nextval('audit_events_id_seq')::text AS id`)) as [{ id: string }];
    const fields: ChainedFields = {
      id,
      occurredAt: this.clock.now().toISOString(),
      actorUserId: actor.principal?.userId ?? null,
      actorOrgId: actor.principal?.org.id ?? null,
      actorLabel: actor.principal ? actor.principal.username : actor.system ?? 'system',
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      reason: entry.reason ?? null,
      before: toJsonValue(entry.before),
      after: toJsonValue(entry.after),
      correlationId: actor.correlationId,
    };
    const hash = chainHash(prevHash, fields);
    await m.query(
      `INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_org_id, actor_label, action, entity_type, entity_id,
                                 reason, before, after, correlation_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        fields.id,
        fields.occurredAt,
        fields.actorUserId,
        fields.actorOrgId,
        fields.actorLabel,
        fields.action,
        fields.entityType,
        fields.entityId,
        fields.reason,
        fields.before === null ? null : JSON.stringify(fields.before),
        fields.after === null ? null : JSON.stringify(fields.after),
        fields.correlationId,
        prevHash,
        hash,
      ],
    );
  }

  /** Walks the chain in id order, recomputing each hash; reports the first row whose link is broken. */
  async verify(batchSize = 5000): Promise<{ ok: boolean; checked: number; brokenAt?: number }> {
    let prevHash = GENESIS_HASH;
    let lastId = '0';
    let checked = 0;
    for (;;) {
      const rows: AuditRow[] = await this.db.query(
        `SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2`,
        [lastId, batchSize],
      );
      if (rows.length === 0) return { ok: true, checked };
      for (const r of rows) {
        checked++;
        if (r.prev_hash !== prevHash || chainHash(prevHash, rowFields(r)) !== r.hash) {
          return { ok: false, checked, brokenAt: Number(r.id) };
        }
        prevHash = r.hash;
        lastId = r.id;
      }
    }
  }

  async history(entityType: string, entityId: string): Promise<AuditEventDto[]> {
    const rows: AuditRow[] = await this.db.query(
      `SELECT * FROM audit_events WHERE entity_type = $1 AND entity_id = $2 ORDER BY id`,
      [entityType, entityId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      occurredAt: toIsoOffset(r.occurred_at)!,
      actor: { userId: r.actor_user_id, orgId: r.actor_org_id, label: r.actor_label },
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      reason: r.reason,
      before: r.before,
      after: r.after,
      hash: r.hash,
    }));
  }
}
