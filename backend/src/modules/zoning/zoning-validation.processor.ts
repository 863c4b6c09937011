import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES, ZoningJobName, ZoningJobPayloads } from '../../infra/queue/jobs';
import { RawProblem } from './zoning-problems';
import { ZoningValidationRepository } from './zoning-validation.repository';

/**
 * Validates large plans on the worker. The job carries the plan id and the row revision it was asked
 * for; re-running it gives the same answer for that revision (read-only), so retries are harmless.
 */
@Processor(QUEUES.zoning)
export class ZoningValidationProcessor extends WorkerHost {
  constructor(
    private readonly db: DataSource,
    private readonly validation: ZoningValidationRepository,
  ) {
    super();
  }

  async process(job: Job<ZoningJobPayloads['zoning.validate'], RawProblem[], ZoningJobName>): Promise<RawProblem[]> {
    const d = job.data;
    // one snapshot for all checks, so the answer belongs to one state of the plan
    return this.db.transaction('REPEATABLE READ', (m) =>
      this.validation.validate(m, d.planId, d.zoneId, { toleranceM2: d.toleranceM2, sliverM2: d.sliverM2 }, (pct) => job.updateProgress(pct)),
    );
  }
}
