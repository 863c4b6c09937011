import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { JobName, QUEUES } from '../../infra/queue/jobs';
import { AuditService } from '../audit/audit.service';
import { returnedRows } from '../../infra/database/sql-result';

export type MaintenanceResult = { ok: boolean; checked: number; brokenAt?: number } | { purged: number };

/**
 * Housekeeping on the worker: a nightly verification of the audit chain (a broken chain is logged as an
 * error for the operators) and removal of expired refresh tokens.
 */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Maintenance');

  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly audit: AuditService,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // schedulers are upserted by id, so restarting the worker never duplicates them
    await this.queue.upsertJobScheduler('audit.verify-chain', { pattern: '0 30 2 * * *', tz: 'Asia/Shanghai' }, { name: 'audit.verify-chain', data: {} });
    await this.queue.upsertJobScheduler('auth.purge-expired-tokens', { every: 3600_000 }, { name: 'auth.purge-expired-tokens', data: {} });
  }

  async process(job: Job<Record<string, never>, MaintenanceResult, JobName>): Promise<MaintenanceResult> {
    switch (job.name) {
      case 'audit.verify-chain': {
        const result = await this.audit.verify();
        if (result.ok) this.logger.log(`audit chain verified: ${result.checked} events`);
        else this.logger.error(`AUDIT CHAIN BROKEN at event ${result.brokenAt} (${result.checked} checked)`);
        return result;
      }
      case 'auth.purge-expired-tokens': {
        const rows = returnedRows<{ id: string }>(
          await this.db.query(`DELETE FROM refresh_tokens WHERE expires_at < $1::timestamptz - interval '1 day' RETURNING id`, [this.clock.now()]),
        );
        return { purged: rows.length };
      }
    }
  }
}
