import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job } from 'bullmq';
import { DeadlineEngine, DeadlineJob, DISCOVERY_QUEUE, FiredDeadline } from './discovery-deadlines';
import { DiscoverySettings } from './discovery.settings';
import { DeliveryJob, DeliveryOutcome, NOTIFICATION_QUEUE, NotificationOutbox } from './notification-outbox';

/** A delayed trigger fired: look at that one deadline row (idempotent — the row says whether anything is left to do). */
@Processor(DISCOVERY_QUEUE)
export class DiscoveryDeadlineProcessor extends WorkerHost {
  constructor(private readonly engine: DeadlineEngine) {
    super();
  }

  async process(job: Job<DeadlineJob>): Promise<{ reminded: FiredDeadline[]; breached: FiredDeadline[] }> {
    return this.engine.fireDue(job.data.deadlineId);
  }
}

/** One delivery (e-mail or webhook) of one notification; a thrown attempt is retried by BullMQ with exponential backoff. */
@Processor(NOTIFICATION_QUEUE, { concurrency: 8 }) // deliveries wait on SMTP / HTTP peers, not on the CPU
export class NotificationDeliveryProcessor extends WorkerHost {
  constructor(private readonly outbox: NotificationOutbox) {
    super();
  }

  async process(job: Job<DeliveryJob>): Promise<DeliveryOutcome> {
    const attempts = job.opts.attempts ?? 1;
    return this.outbox.deliver(job.data.deliveryId, job.attemptsMade + 1 >= attempts);
  }
}

/**
 * The safety net, on the worker's own timer (not a BullMQ repeatable job: flushing or losing Redis
 * cannot remove it): every DISCOVERY_RECONCILE_MS (≤ 60 s) it fires whatever is due in PostgreSQL and
 * re-queues the e-mail / webhook deliveries still pending.
 */
@Injectable()
export class DiscoveryReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DiscoveryReconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly engine: DeadlineEngine,
    private readonly settings: DiscoverySettings,
    private readonly outbox: NotificationOutbox,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.settings.reconcileMs);
  }

  private tick(): void {
    if (this.running) return; // the previous pass is still working
    this.running = this.engine
      .fireDue()
      .then(() => this.outbox.requeuePending())
      .catch((e: Error) => this.logger.error(`reconcile failed: ${e.message}`))
      .finally(() => {
        this.running = null;
      });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
