import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { returnedRows } from '../../infra/database/sql-result';
import { AuditService } from '../audit/audit.service';
import { DeadlineKind } from './discoveries.dto';
import { deliveriesFor, NotificationOutbox } from './notification-outbox';

/** The `discoveries` queue: delayed jobs that only trigger a look at one deadline row in PostgreSQL. */
export const DISCOVERY_QUEUE = 'discoveries';
export type DeadlineTrigger = 'reminder' | 'breach';
export interface DeadlineJob {
  deadlineId: string;
  trigger: DeadlineTrigger;
}
/** Deterministic job id: adding the same trigger twice keeps one job. */
export const deadlineJobId = (deadlineId: string, trigger: DeadlineTrigger): string => `deadline:${deadlineId}:${trigger}`;

export interface FiredDeadline {
  deadlineId: string;
  reportId: string;
  kind: DeadlineKind;
  escalatedTo?: string;
  recipients: number;
  /** outbox rows written with the notifications (internal: enqueued after the commit) */
  deliveries?: string[];
}

/**
 * The truth about deadlines lives in `discovery_deadlines`. Each firing is one SQL statement whose UPDATE
 * claims the rows (`WHERE reminded_at IS NULL` / `WHERE breached_at IS NULL … RETURNING`): only the
 * statement that wins a row writes its notifications, so concurrent workers, retried jobs and the
 * reconciler can all run the same code and each reminder and escalation happens exactly once.
 */
@Injectable()
export class DeadlineEngine {
  private readonly logger = new Logger('DiscoveryDeadlines');

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly outbox: NotificationOutbox,
    @Optional() @InjectQueue(DISCOVERY_QUEUE) private readonly queue?: Queue,
  ) {}

  /** Schedules the reminder and breach triggers of fresh deadline rows. Redis trouble is logged, not fatal: the reconciler covers it. */
  async schedule(rows: Array<{ id: string; dueAt: Date; remindAt: Date }>): Promise<void> {
    if (!this.queue) return;
    const now = this.clock.now().getTime();
    try {
      await this.queue.addBulk(rows.flatMap((d) => ([['reminder', d.remindAt], ['breach', d.dueAt]] as const).map(([trigger, at]) => ({
        name: `deadline.${trigger}`,
        data: { deadlineId: d.id, trigger } satisfies DeadlineJob,
        opts: { jobId: deadlineJobId(d.id, trigger), delay: Math.max(0, at.getTime() - now) },
      }))));
    } catch (e) {
      this.logger.warn(`deadline triggers not queued (the reconciler will fire them): ${(e as Error).message}`);
    }
  }

  /** Everything due at the clock's now (or only one deadline): reminders first, then breaches. */
  async fireDue(deadlineId: string | null = null): Promise<{ reminded: FiredDeadline[]; breached: FiredDeadline[] }> {
    const now = this.clock.now();
    const reminded = await this.remind(now, deadlineId);
    const breached = await this.breach(now, deadlineId);
    // e-mail / webhook jobs for the notifications just committed
    await this.outbox.enqueue([...new Set([...reminded, ...breached].flatMap((f) => f.deliveries ?? []))]);
    return {
      reminded: reminded.map(({ deliveries: _d, ...f }) => f),
      breached: breached.map(({ deliveries: _d, ...f }) => f),
    };
  }

  /** Reminder to the handling authority (the nearest local authority above the report's division), once per deadline. */
  private async remind(now: Date, deadlineId: string | null): Promise<FiredDeadline[]> {
    const rows: Array<{ deadline_id: string; report_id: string; kind: DeadlineKind; recipients: number; deliveries: string[] }> = await this.db.query(
      `WITH won AS (
         UPDATE discovery_deadlines d SET reminded_at = $1
           FROM discovery_reports r
          WHERE r.id = d.report_id AND r.state <> 'closed' AND d.met_at IS NULL AND d.reminded_at IS NULL AND d.breached_at IS NULL
            AND d.remind_at <= $1 AND d.due_at > $1 AND ($2::uuid IS NULL OR d.id = $2)
         RETURNING d.id, d.report_id, d.kind, d.due_at, r.division_code
       ),
       cover AS (
         SELECT won.id AS deadline_id, o.id AS org_id, length(dv.path) AS depth,
                max(length(dv.path)) OVER (PARTITION BY won.id) AS best
           FROM won JOIN divisions rd ON rd.code = won.division_code
           JOIN organizations o ON o.type = 'local_authority'
           JOIN divisions dv ON dv.code = o.division_code AND (rd.path = dv.path OR rd.path LIKE dv.path || '.%')
       ),
       sent AS (
         INSERT INTO notifications (recipient_org_id, kind, report_id, deadline_id, payload, created_at)
         SELECT c.org_id, 'deadline_reminder', won.report_id, won.id,
                jsonb_build_object('kind', won.kind, 'dueAt', to_char(won.due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"')), $1
           FROM won JOIN cover c ON c.deadline_id = won.id AND c.depth = c.best
         ON CONFLICT DO NOTHING
         RETURNING id, deadline_id, recipient_org_id
       ),
       deliv AS (${deliveriesFor('sent', '$1')})
       SELECT won.id AS deadline_id, won.report_id, won.kind, (SELECT count(*)::int FROM sent WHERE sent.deadline_id = won.id) AS recipients,
              (SELECT coalesce(array_agg(id), '{}') FROM deliv) AS deliveries
         FROM won`,
      [now, deadlineId],
    );
    return rows.map((r) => ({ deadlineId: r.deadline_id, reportId: r.report_id, kind: r.kind, recipients: r.recipients, deliveries: r.deliveries }));
  }

  /**
   * A missed deadline: the report is marked overdue and the next level up the division tree is alerted
   * (county → city → province; a level already alerted for this report moves the next breach one higher).
   */
  private async breach(now: Date, deadlineId: string | null): Promise<FiredDeadline[]> {
    return this.db.transaction(async (m) => {
      const rows = returnedRows<{ deadline_id: string; report_id: string; kind: DeadlineKind; escalated_to: string; recipients: number; deliveries: string[] }>(await m.query(
        `WITH won AS (
           UPDATE discovery_deadlines d
              SET breached_at = $1,
                  escalated_to = (
                    SELECT coalesce(up.parent_code, up.code) FROM divisions up
                     WHERE up.code = coalesce(
                       (SELECT e.escalated_to FROM discovery_deadlines e JOIN divisions ed ON ed.code = e.escalated_to
                         WHERE e.report_id = d.report_id AND e.escalated_to IS NOT NULL ORDER BY length(ed.path) LIMIT 1),
                       r.division_code))
             FROM discovery_reports r
            WHERE r.id = d.report_id AND r.state <> 'closed' AND d.met_at IS NULL AND d.breached_at IS NULL
              AND d.due_at <= $1 AND ($2::uuid IS NULL OR d.id = $2)
           RETURNING d.id, d.report_id, d.kind, d.due_at, d.escalated_to
         ),
         overdue AS (
           UPDATE discovery_reports r SET overdue_at = coalesce(r.overdue_at, $1) FROM won WHERE r.id = won.report_id RETURNING r.id
         ),
         sent AS (
           INSERT INTO notifications (recipient_org_id, kind, report_id, deadline_id, payload, created_at)
           SELECT o.id, 'deadline_escalation', won.report_id, won.id,
                  jsonb_build_object('kind', won.kind, 'escalatedTo', won.escalated_to,
                                     'dueAt', to_char(won.due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"')), $1
             FROM won JOIN organizations o ON o.division_code = won.escalated_to AND o.type IN ('local_authority', 'bureau')
           ON CONFLICT DO NOTHING
           RETURNING id, deadline_id, recipient_org_id
         ),
         deliv AS (${deliveriesFor('sent', '$1')})
         SELECT won.id AS deadline_id, won.report_id, won.kind, won.escalated_to,
                (SELECT count(*)::int FROM sent WHERE sent.deadline_id = won.id) AS recipients,
                (SELECT coalesce(array_agg(id), '{}') FROM deliv) AS deliveries,
                (SELECT count(*) FROM overdue) AS marked
           FROM won`,
        [now, deadlineId],
      ));
      for (const r of rows) {
        await this.audit.record(m, { principal: null, correlationId: null, system: 'discovery-deadlines' }, {
          action: 'discovery.deadline-breached', entityType: 'discovery_report', entityId: r.report_id,
          after: { deadlineId: r.deadline_id, kind: r.kind, breachedAt: toIsoOffset(now), escalatedTo: r.escalated_to, recipients: r.recipients },
        });
      }
      if (rows.length) this.logger.warn(`${rows.length} discovery deadline(s) breached and escalated`);
      return rows.map((r) => ({ deadlineId: r.deadline_id, reportId: r.report_id, kind: r.kind, escalatedTo: r.escalated_to, recipients: r.recipients, deliveries: r.deliveries }));
    });
  }
}
