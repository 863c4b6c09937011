import { DataSource, EntityManager } from 'typeorm';
import { ManualClock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { SecretBox } from '../../infra/crypto/secret-box';
import { LocalDiskStorage } from '../../infra/storage/local-disk.storage';
import { Actor, AuditService } from '../../modules/audit/audit.service';
import { AuthRepository } from '../../modules/auth/auth.repository';
import { ScopeService } from '../../modules/auth/scope.service';
import { EmailChannel, WebhookChannel } from '../../modules/discoveries/delivery-channels';
import { DiscoveriesRepository } from '../../modules/discoveries/discoveries.repository';
import { DiscoveriesService } from '../../modules/discoveries/discoveries.service';
import { DeadlineEngine } from '../../modules/discoveries/discovery-deadlines';
import { DiscoverySettings } from '../../modules/discoveries/discovery.settings';
import { DeliverySettings } from '../../modules/discoveries/notification-delivery.settings';
import { NotificationOutbox } from '../../modules/discoveries/notification-outbox';
import { ZoningRepository } from '../../modules/zoning/zoning.repository';
import type { SeedContext, SeedStep } from '../seed';

/**
 * The discovery part of the demo story (DOMAIN.md §6), in 屯留 after the committee step: the demo
 * contractor's first project (TL-2026-01) stays active — it had a find three weeks ago, handled to the
 * end (arrival, opinion, rescue excavation, resumption) — and a second project on TL-2026-02 is stopped
 * by an open find reported three hours before the seed ran, so the authority's 24-hour countdown shows.
 *
 * Everything goes through DiscoveriesService, the code the API runs (stop-work order, deadlines, hold,
 * notifications, audit), on a clock set to each moment of the story. The service works in its own
 * transactions, so this step writes through the DataSource and never through the step's `m`; it is
 * idempotent by the demo descriptions. No queue: the worker's reconciler fires whatever becomes due.
 */
const TUNLIU = 'SX-CZ-TLETDZ';
const CONTRACTOR_ORG = '山西晋通建设工程有限公司（演示）';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPEN_FIND = '基槽开挖至 2.1 米处发现青砖券顶，疑似砖室墓，已停止机械作业（演示）';
const CLOSED_FIND = '桩基施工时翻出陶片和灰土，疑似灰坑遗迹（演示）';
const SECOND_PROJECT = '晋通装备制造车间（演示）';

function serviceAt(db: DataSource, clock: ManualClock, ctx: SeedContext): DiscoveriesService {
  const audit = new AuditService(db, clock);
  const delivery = DeliverySettings.fromEnv();
  const secrets = new SecretBox(ctx.config.secretsKey);
  const outbox = new NotificationOutbox(db, clock, delivery, secrets, new EmailChannel(delivery), new WebhookChannel(delivery));
  return new DiscoveriesService(
    db, new DiscoveriesRepository(db, secrets), new ScopeService(db), audit, clock, DiscoverySettings.fromEnv(),
    new DeadlineEngine(db, clock, audit, outbox), new LocalDiskStorage(ctx.config), outbox, new ZoningRepository(),
  );
}

async function actorFor(db: DataSource, userId: string | undefined): Promise<Actor | null> {
  if (!userId) return null;
  const principal = await new AuthRepository(db).findPrincipalByUserId(userId);
  return principal ? { principal, correlationId: null, system: 'seed' } : null;
}

/** A point inside the parcel, a little off its centre (where the excavator was). */
async function findLocation(db: DataSource, parcelId: string, dx: number): Promise<{ type: 'Point'; coordinates: [number, number] }> {
  const [r] = (await db.query(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM parcels WHERE id = $1) s`,
    [parcelId],
  )) as Array<{ x: number; y: number }>;
  return { type: 'Point', coordinates: [Number((r!.x + dx).toFixed(7)), Number((r!.y + dx / 2).toFixed(7))] };
}

async function ensureSecondProject(db: DataSource, ctx: SeedContext, zoneId: string, contractorOrgId: string): Promise<string | null> {
  const existing = (await db.query(`SELECT id FROM projects WHERE name = $1`, [SECOND_PROJECT])) as Array<{ id: string }>;
  if (existing[0]) return existing[0].id;
  const [parcel] = (await db.query(`SELECT id, transferred_at FROM parcels WHERE zone_id = $1 AND code = 'TL-2026-02'`, [zoneId])) as Array<{ id: string; transferred_at: Date | null }>;
  if (!parcel) return null;
  const audit = new AuditService(db, ctx.clock);
  return db.transaction(async (m: EntityManager) => {
    if (!parcel.transferred_at) {
      const at = new Date(ctx.clock.now().getTime() - 20 * DAY);
      await m.query(`UPDATE parcels SET transferred_at = $2, transferred_by = $3 WHERE id = $1 AND transferred_at IS NULL`, [parcel.id, at, ctx.userIds.get('committee') ?? null]);
      await audit.record(m, ctx.actor, { action: 'parcel.transfer', entityType: 'parcel', entityId: parcel.id, reason: 'demo data', after: { transferredAt: toIsoOffset(at) } });
    }
    const [p] = (await m.query(
      `INSERT INTO projects (parcel_id, zone_id, name, contractor_org_id, state, created_by) VALUES ($1, $2, $3, $4, 'active', $5) RETURNING id`,
      [parcel.id, zoneId, SECOND_PROJECT, contractorOrgId, ctx.userIds.get('committee') ?? null],
    )) as Array<{ id: string }>;
    await audit.record(m, ctx.actor, { action: 'project.create', entityType: 'project', entityId: p!.id, reason: 'demo data', after: { parcelId: parcel.id, contractor: CONTRACTOR_ORG, state: 'active' } });
    return p!.id;
  });
}

const reportExists = async (db: DataSource, description: string): Promise<boolean> =>
  ((await db.query(`SELECT 1 FROM discovery_reports WHERE description = $1`, [description])) as unknown[]).length > 0;

/** Deterministic idempotency keys (a re-run of the seed would be a retry, never a second report). */
const KEYS = { closed: '5eed0000-0000-4000-8000-00000000c105', open: '5eed0000-0000-4000-8000-0000000000e4' };

export const discoveriesSeedStep: SeedStep = {
  name: 'discoveries: a closed find with its history, a stopped project with an open find',
  async run(_m, ctx) {
    const db = ctx.db;
    const [zone] = (await db.query(`SELECT id FROM zones WHERE code = $1`, [TUNLIU])) as Array<{ id: string }>;
    const [org] = (await db.query(`SELECT id FROM organizations WHERE name = $1`, [CONTRACTOR_ORG])) as Array<{ id: string }>;
    const contractor = await actorFor(db, ctx.userIds.get('contractor'));
    const authority = await actorFor(db, ctx.userIds.get('authority'));
    if (!zone || !org || !contractor || !authority) {
      ctx.log('discoveries: the demo contractor, authority or 屯留 zone is missing; no discoveries seeded');
      return;
    }
    const now = ctx.clock.now().getTime();
    const [first] = (await db.query(
      `SELECT pr.id, pr.parcel_id FROM projects pr JOIN parcels p ON p.id = pr.parcel_id WHERE p.zone_id = $1 AND p.code = 'TL-2026-01' AND pr.contractor_org_id = $2`,
      [zone.id, org.id],
    )) as Array<{ id: string; parcel_id: string }>;

    // 1. three weeks ago on the first project: a find handled to the end; the project works again
    if (first && !(await reportExists(db, CLOSED_FIND))) {
      const clock = new ManualClock(new Date(now - 21 * DAY));
      const sut = serviceAt(db, clock, ctx);
      const created = await sut.create(contractor, KEYS.closed, {
        projectId: first.id, location: await findLocation(db, first.parcel_id, 0.0001), accuracyM: 6, depthM: 1.4,
        foundAt: toIsoOffset(new Date(clock.now().getTime() - 40 * 60_000))!, description: CLOSED_FIND, suspectedType: 'pit',
      });
      const id = created.response.id;
      clock.advance(20 * 60_000);
      await sut.acknowledge(contractor, created.response.stopWorkOrderId);
      clock.advance(6 * HOUR);
      await sut.recordArrival(authority, id, { arrivedAt: toIsoOffset(new Date(clock.now().getTime() - 15 * 60_000))!, people: ['赵文保（演示）', '钱考古（演示）'], notes: '现场已设警戒线，遗迹范围约 3×4 米' });
      clock.advance(3 * DAY);
      await sut.issueOpinion(authority, id, { measures: 'rescue_excavation', important: false, text: '对灰坑进行抢救性考古发掘，出土遗物移交屯留区文物管理所，发掘完毕经验收后方可复工（演示）' });
      clock.advance(9 * DAY);
      await sut.completeMeasures(authority, id, { notes: '抢救性发掘完成，出土陶片 46 件已入库（演示）' });
      clock.advance(DAY);
      await sut.authorizeResumption(authority, id, { reason: '保护措施已完成，同意复工（演示）' });
      ctx.log('discoveries: a closed find with its full history on TL-2026-01 (project active again)');
    }

    // 2. three hours ago on the second project: an open find, the project stopped, the countdown running
    const second = await ensureSecondProject(db, ctx, zone.id, org.id);
    if (second && !(await reportExists(db, OPEN_FIND))) {
      const [parcel] = (await db.query(`SELECT parcel_id FROM projects WHERE id = $1`, [second])) as Array<{ parcel_id: string }>;
      const clock = new ManualClock(new Date(now - 3 * HOUR));
      const sut = serviceAt(db, clock, ctx);
      const created = await sut.create(contractor, KEYS.open, {
        projectId: second, location: await findLocation(db, parcel!.parcel_id, -0.00008), accuracyM: 4.5, depthM: 2.1,
        foundAt: toIsoOffset(new Date(clock.now().getTime() - 25 * 60_000))!, description: OPEN_FIND, suspectedType: 'tomb',
      });
      ctx.log(`discoveries: an open find on ${SECOND_PROJECT}, reported ${toIsoOffset(clock.now())}; on-site due ${created.response.deadlines.onSiteDue}`);
    }
  },
};
