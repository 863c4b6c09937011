import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/infra/clock/clock';
import { QUEUES } from '../../src/infra/queue/jobs';
import { WorkerModule } from '../../src/worker.module';
import { TestApp, createTestApp } from '../support/test-app';
import { Tokens, addAreas, loginAll, makeZone, newPlan } from './zoning-fixtures';

const act = (sut: TestApp, token: string, id: string, action: string, body: unknown = {}) =>
  sut.request<any>('POST', `/api/zoning-plans/${id}/${action}`, { token, body });

describe('zoning plans: editing, workflow, visibility, issuing', () => {
  let sut: TestApp;
  let t: Tokens;
  let integratorKey: string;
  beforeAll(async () => {
    sut = await createTestApp();
    t = await loginAll(sut, ['assessor', 'reviewer', 'committee', 'contractor', 'authority', 'admin']);
    const orgs = (await sut.request<any[]>('GET', '/api/admin/orgs', { token: t.admin })).body;
    const svc = await sut.request<any>('POST', '/api/admin/service-accounts', { token: t.admin, body: { username: 'land-sys-z', displayName: '土地系统', orgId: orgs.find((o) => o.type === 'bureau').id } });
    integratorKey = (await sut.request<any>('POST', `/api/admin/service-accounts/${svc.body.id}/api-keys`, { token: t.admin, body: { name: 'k' } })).body.key;
  });
  afterAll(() => sut.close());

  /** A zone with one valid plan of three areas, taken to `approved`. */
  async function approvedPlan(committee = false, extra: Record<string, unknown> = {}) {
    const z = await makeZone(sut, { committee });
    const plan = await newPlan(sut, t, z.id, extra);
    const ids = await addAreas(sut, t, plan, [
      { category: 'avoidance', geometry: z.local.rect(0, 0, 50, 200), rationale: '古墓葬保护范围' },
      { category: 'exploration', geometry: z.local.rect(50, 0, 150, 200) },
      { category: 'release', geometry: z.local.rect(150, 0, 200, 200) },
    ]);
    expect((await act(sut, t.assessor, plan.id, 'submit')).status).toBe(200);
    expect((await act(sut, t.reviewer, plan.id, 'approve')).status).toBe(200);
    return { z, plan, ids };
  }

  it('edits need the current If-Match: 428 without, 412 when stale; only assessors edit, only drafts', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const url = `/api/zoning-plans/${plan.id}/areas`;
    const body = { category: 'avoidance', geometry: z.local.rect(0, 0, 200, 200), rationale: 'x' };
    expect((await sut.request<any>('POST', url, { token: t.assessor, body })).status).toBe(428);
    const first = await sut.request<any>('POST', url, { token: t.assessor, body, headers: { 'if-match': plan.etag } });
    expect(first.status).toBe(201);
    expect(first.headers.etag).not.toBe(plan.etag);
    // a second editor still holding the old ETag is refused, nothing is overwritten
    const stale = await sut.request<any>('POST', url, { token: t.assessor, body, headers: { 'if-match': plan.etag } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('conflict_stale');
    expect((await sut.request<any>('GET', `/api/zoning-plans/${plan.id}`, { token: t.assessor })).body.areas).toHaveLength(1);
    // reviewers do not draw
    const areaId = first.body.areas[0].id;
    const rev = await sut.request<any>('PATCH', `${url}/${areaId}`, { token: t.reviewer, body: { category: 'release' }, headers: { 'if-match': String(first.headers.etag) } });
    expect(rev.status).toBe(403);
    // non-polygons are refused
    const line = await sut.request<any>('POST', url, { token: t.assessor, body: { ...body, geometry: { type: 'LineString', coordinates: [[112, 36], [112.1, 36.1]] } }, headers: { 'if-match': String(first.headers.etag) } });
    expect(line.status).toBe(400);
    // split into two pieces that share the cut exactly
    const split = await sut.request<any>('POST', `${url}/${areaId}/split`, {
      token: t.assessor, headers: { 'if-match': String(first.headers.etag) },
      body: { line: { type: 'LineString', coordinates: [z.local.ll(80, -10), z.local.ll(120, 210)] } },
    });
    expect(split.status).toBe(201);
    expect(split.body.pieces).toHaveLength(2);
    expect(split.body.pieces[0].areaM2 + split.body.pieces[1].areaM2).toBeCloseTo(first.body.areas[0].areaM2, -1);
    expect((await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/validate`, { token: t.assessor })).body.problems).toEqual([]);
    // after submission the plan is a record
    expect((await act(sut, t.assessor, plan.id, 'submit')).status).toBe(200);
    const locked = await sut.request<any>('DELETE', `${url}/${split.body.pieces[0].id}`, { token: t.assessor, headers: { 'if-match': String(split.headers.etag) } });
    expect(locked.status).toBe(409);
  });

  it('only industrial zones get plans', async () => {
    const zones = (await sut.request<any[]>('GET', '/api/zones?category=agricultural', { token: t.assessor })).body;
    const r = await sut.request<any>('POST', '/api/zoning-plans', { token: t.assessor, body: { zoneId: zones[0].id } });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('zoning_zone_not_industrial');
  });

  it('role guards: assessors cannot approve or issue, reviewers cannot submit; wrong state is 409 naming the allowed actions', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    await addAreas(sut, t, plan, [{ category: 'exploration', geometry: z.local.rect(0, 0, 200, 200) }]);
    expect((await act(sut, t.reviewer, plan.id, 'submit')).status).toBe(403);
    expect((await act(sut, t.assessor, plan.id, 'submit')).status).toBe(200);
    expect((await act(sut, t.assessor, plan.id, 'approve')).status).toBe(403);
    expect((await act(sut, t.assessor, plan.id, 'issue')).status).toBe(403);
    const early = await act(sut, t.reviewer, plan.id, 'issue');
    expect(early.status).toBe(409);
    expect(early.body.details).toEqual({ state: 'submitted', action: 'issue', allowedActions: ['approve', 'return'] });
    expect((await act(sut, t.reviewer, plan.id, 'return', {})).status).toBe(400);
    const ret = await act(sut, t.reviewer, plan.id, 'return', { reason: '东侧边界需与探孔结果核对' });
    expect(ret.body).toMatchObject({ state: 'returned', returnReason: '东侧边界需与探孔结果核对' });
    expect((await act(sut, t.assessor, plan.id, 'revise')).body.state).toBe('draft');
    const history = await sut.request<any[]>('GET', `/api/zoning-plans/${plan.id}/history`, { token: t.reviewer });
    expect(history.body.map((e) => e.action)).toEqual(expect.arrayContaining(['zoning_plan.submit', 'zoning_plan.return', 'zoning_plan.revise']));
    for (const who of ['committee', 'contractor'] as const) {
      expect((await act(sut, t[who], plan.id, 'submit')).status).toBe(403);
    }
  });

  it('issuing numbers the opinion, stores the PDF with its SHA-256 and supersedes the previous plan, which stays readable', async () => {
    const { z, plan } = await approvedPlan(true);
    const issued = await act(sut, t.reviewer, plan.id, 'issue');
    expect(issued.status).toBe(200);
    expect(issued.body.state).toBe('issued');
    expect(issued.body.documentNumber).toMatch(/^晋文物函〔2026〕\d+号$/);
    const pdf = await sut.request<any>('GET', `/api/zoning-plans/${plan.id}/opinion.pdf`, { token: t.committee });
    expect(pdf.status).toBe(200);
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    const sha = createHash('sha256').update(pdf.raw).digest('hex');
    expect(pdf.headers['x-content-sha256']).toBe(sha);
    expect(issued.body.opinion.sha256).toBe(sha);
    const dir = mkdtempSync(join(tmpdir(), 'zoning-pdf-'));
    writeFileSync(join(dir, 'o.pdf'), pdf.raw);
    execFileSync('pdftotext', ['-layout', join(dir, 'o.pdf'), join(dir, 'o.txt')]);
    const text = readFileSync(join(dir, 'o.txt'), 'utf8');
    expect(text).toContain(issued.body.zoneName);
    expect(text).toContain(issued.body.documentNumber.slice(0, 4));
    expect(text).toContain('亩');

    // v2 from the issued plan: part of the exploration becomes release
    const v2 = await newPlan(sut, t, z.id, { fromIssued: true });
    const detail = (await sut.request<any>('GET', `/api/zoning-plans/${v2.id}`, { token: t.assessor })).body;
    expect(detail.version).toBe(2);
    expect(detail.areas).toHaveLength(3);
    const expl = detail.areas.find((a: any) => a.category === 'exploration');
    const r1 = await sut.request<any>('PATCH', `/api/zoning-plans/${v2.id}/areas/${expl.id}`, { token: t.assessor, headers: { 'if-match': v2.etag }, body: { geometry: z.local.rect(50, 0, 120, 200) } });
    expect(r1.status).toBe(200);
    v2.etag = String(r1.headers.etag);
    await addAreas(sut, t, v2, [{ category: 'release', geometry: z.local.rect(120, 0, 150, 200) }]);
    expect((await act(sut, t.assessor, v2.id, 'submit')).status).toBe(200);
    const diff = await sut.request<any>('GET', `/api/zoning-plans/${v2.id}/diff`, { token: t.reviewer });
    expect(diff.body.againstPlanId).toBe(plan.id);
    expect(diff.body.changes.map((c: any) => c.change).sort()).toEqual(['added', 'reshaped']);
    expect(diff.body.changes.find((c: any) => c.change === 'reshaped').changedM2).toBeGreaterThan(5000);
    expect((await act(sut, t.reviewer, v2.id, 'approve')).status).toBe(200);
    const second = await act(sut, t.reviewer, v2.id, 'issue');
    expect(second.body.state).toBe('issued');
    const old = await sut.request<any>('GET', `/api/zoning-plans/${plan.id}`, { token: t.committee });
    expect(old.status).toBe(200);
    expect(old.body.state).toBe('superseded');
    expect((await sut.request<any>('GET', `/api/zoning-plans/${plan.id}/opinion.pdf`, { token: t.committee })).status).toBe(200);
    // the layer shows the effective (issued) zoning by default
    const layer = await sut.request<any>('GET', `/api/layers/zoning-areas?bbox=${[...z.local.ll(1, 1), ...z.local.ll(199, 199)].join(',')}`, { token: t.committee });
    const plans = new Set(layer.body.features.map((f: any) => f.properties.planId));
    expect([...plans]).toEqual([v2.id]);
  });

  it('a committee never receives drafts or rationale; contractors and integrators get nothing', async () => {
    const { z, plan } = await approvedPlan(true);
    const draft = await newPlan(sut, t, z.id);
    await addAreas(sut, t, draft, [{ category: 'release', geometry: z.local.rect(0, 0, 200, 200), rationale: '靠近已登记古墓，敏感' }]);
    expect((await sut.request('GET', `/api/zoning-plans/${draft.id}`, { token: t.committee })).status).toBe(404);
    expect((await sut.request('GET', `/api/zoning-plans/${plan.id}`, { token: t.committee })).status).toBe(404); // approved, not issued
    const list = await sut.request<any[]>('GET', `/api/zoning-plans?zoneId=${z.id}`, { token: t.committee });
    expect(list.body).toEqual([]);
    const bbox = [...z.local.ll(1, 1), ...z.local.ll(199, 199)].join(',');
    expect((await sut.request<any>('GET', `/api/layers/zoning-areas?bbox=${bbox}&planId=${draft.id}`, { token: t.committee })).body.features).toEqual([]);
    // the assessor sees the draft in the layer, with its rationale
    const mine = await sut.request<any>('GET', `/api/layers/zoning-areas?bbox=${bbox}&planId=${draft.id}`, { token: t.assessor });
    expect(mine.body.features[0].properties.rationale).toContain('敏感');

    await act(sut, t.reviewer, plan.id, 'issue');
    const seen = await sut.request<any>('GET', `/api/zoning-plans/${plan.id}`, { token: t.committee });
    expect(seen.status).toBe(200);
    expect(seen.body.areas.map((a: any) => a.rationale)).toEqual([null, null, null]);
    expect(seen.body.areas.every((a: any) => a.evidence.length === 0)).toBe(true);
    expect(seen.body.justifications).toBeNull();
    expect(JSON.stringify(seen.body)).not.toContain('古墓葬保护范围');
    const layer = await sut.request<any>('GET', `/api/layers/zoning-areas?bbox=${bbox}`, { token: t.committee });
    expect(layer.body.features).toHaveLength(3);
    expect(layer.body.features.every((f: any) => !('rationale' in f.properties))).toBe(true);
    expect(JSON.stringify(layer.body)).not.toContain('古墓葬保护范围');
    expect((await sut.request<any[]>('GET', `/api/zoning-plans?zoneId=${z.id}`, { token: t.committee })).body.map((p) => p.id)).toEqual([plan.id]);
    // comments and diff are for the review parties only
    expect((await sut.request('GET', `/api/zoning-plans/${plan.id}/comments`, { token: t.committee })).status).toBe(403);

    for (const who of [{ token: t.contractor }, { apiKey: integratorKey }]) {
      const l = await sut.request<any>('GET', `/api/layers/zoning-areas?bbox=${bbox}`, who);
      expect(l.status).toBe(200);
      expect(l.body.features).toEqual([]);
      const tile = await sut.request<any>('GET', `/api/tiles/zoning-areas/14/13330/6457.pbf`, who);
      expect(tile.status).toBe(200);
      expect(tile.raw.length).toBe(0);
      expect((await sut.request('GET', `/api/zoning-plans/${plan.id}`, who)).status).toBe(403);
      expect((await sut.request('GET', `/api/zoning-plans?zoneId=${z.id}`, who)).status).toBe(403);
      expect((await sut.request('GET', `/api/zoning-plans/${plan.id}/opinion.pdf`, who)).status).toBe(403);
    }
    // the county authority reads issued plans of its division, not drafts
    expect((await sut.request('GET', `/api/zoning-plans/${plan.id}`, { token: t.authority })).status).toBe(200);
    expect((await sut.request('GET', `/api/zoning-plans/${draft.id}`, { token: t.authority })).status).toBe(404);
  });

  it('reviewers pin comments to map locations', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const c = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/comments`, { token: t.reviewer, body: { body: '此处探孔密度不足', location: { type: 'Point', coordinates: z.local.ll(10, 10) } } });
    expect(c.status).toBe(201);
    const list = await sut.request<any[]>('GET', `/api/zoning-plans/${plan.id}/comments`, { token: t.assessor });
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ body: '此处探孔密度不足', author: { displayName: '李审核' }, location: { type: 'Point', coordinates: z.local.ll(10, 10) } });
    expect(list.body[0].createdAt).toMatch(/\+08:00$/);
  });

  it('the diff reports added, removed, recategorised and reshaped areas with the changed geometry', async () => {
    const z = await makeZone(sut);
    const v1 = await newPlan(sut, t, z.id);
    await addAreas(sut, t, v1, [
      { category: 'avoidance', geometry: z.local.rect(0, 0, 50, 200) },
      { category: 'exploration', geometry: z.local.rect(50, 0, 150, 200) },
      { category: 'release', geometry: z.local.rect(150, 0, 200, 200) },
    ]);
    const v2 = await newPlan(sut, t, z.id, { basedOn: v1.id });
    const areas = (await sut.request<any>('GET', `/api/zoning-plans/${v2.id}`, { token: t.assessor })).body.areas;
    const [av, ex, rel] = ['avoidance', 'exploration', 'release'].map((c) => areas.find((a: any) => a.category === c));
    const edit = async (method: string, url: string, body?: unknown) => {
      const r = await sut.request<any>(method, `/api/zoning-plans/${v2.id}${url}`, { token: t.assessor, headers: { 'if-match': v2.etag }, body });
      expect(r.status).toBeLessThan(300);
      v2.etag = String(r.headers.etag);
    };
    await edit('PATCH', `/areas/${av.id}`, { category: 'exploration' });
    await edit('PATCH', `/areas/${ex.id}`, { geometry: z.local.rect(50, 0, 120, 200) });
    await edit('DELETE', `/areas/${rel.id}`);
    await addAreas(sut, t, v2, [{ category: 'release', geometry: z.local.rect(120, 0, 150, 200) }]);
    const d = (await sut.request<any>('GET', `/api/zoning-plans/${v2.id}/diff`, { token: t.reviewer })).body;
    expect(d.againstPlanId).toBe(v1.id);
    const by = (c: string) => d.changes.filter((x: any) => x.change === c);
    expect(by('recategorised')).toHaveLength(1);
    expect(by('recategorised')[0]).toMatchObject({ areaId: av.id, category: 'exploration', previousCategory: 'avoidance' });
    expect(by('reshaped')).toHaveLength(1);
    expect(by('reshaped')[0].areaId).toBe(ex.id);
    expect(by('reshaped')[0].changedM2).toBeGreaterThan(30 * 200 * 0.95);
    expect(by('reshaped')[0].changedM2).toBeLessThan(30 * 200 * 1.05);
    expect(by('added')).toHaveLength(1);
    expect(by('added')[0].category).toBe('release');
    expect(by('removed')).toHaveLength(1);
    expect(by('removed')[0].previousCategory).toBe('release');
    expect((await sut.request('GET', `/api/zoning-plans/${v2.id}/diff`, { token: t.committee })).status).toBe(403);
  });

  it('ten concurrent issues get ten distinct, consecutive document numbers', async () => {
    const plans = [];
    for (let i = 0; i < 10; i++) plans.push((await approvedPlan(false)).plan);
    const results = await Promise.all(plans.map((p) => act(sut, t.reviewer, p.id, 'issue')));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const seqs = results.map((r) => Number(/〕(\d+)号/.exec(r.body.documentNumber)![1])).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(10);
    expect(seqs[9]! - seqs[0]!).toBe(9);
  }, 240_000);

  it('a large plan validates as a background job whose status and result the UI can follow', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    // 400 cells of 10 m × 10 m with one cell missing (a gap), written in one statement
    await sut.db.admin.query(
      `INSERT INTO zoning_areas (plan_id, category, geom)
       SELECT $1, 'exploration', ST_SnapToGrid(ST_SetSRID(ST_MakeEnvelope($2 + i * 10 / 89725.0, $3 + j * 10 / 110950.0, $2 + (i + 1) * 10 / 89725.0, $3 + (j + 1) * 10 / 110950.0), 4490), 1e-9)
         FROM generate_series(0, 19) i, generate_series(0, 19) j WHERE NOT (i = 5 AND j = 5)`,
      [plan.id, z.local.x0, z.local.y0],
    );
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(sut.config, new ManualClock()), { logger: ['error'] });
    await worker.init();
    try {
      const r = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/validate`, { token: t.assessor });
      expect(r.status).toBe(202);
      expect(r.body.jobId).toBeTruthy();
      let status: any;
      for (let i = 0; i < 120; i++) {
        status = (await sut.request<any>('GET', `/api/zoning-plans/${plan.id}/validation/${r.body.jobId}`, { token: t.assessor })).body;
        if (status.status === 'completed' || status.status === 'failed') break;
        await new Promise((res) => setTimeout(res, 250));
      }
      expect(status.status).toBe('completed');
      expect(status.progress).toBe(100);
      const codes = status.result.problems.map((p: any) => p.code);
      expect(codes.filter((c: string) => c !== 'sliver')).toEqual(['gap']);
      expect((await sut.request('GET', `/api/zoning-plans/${plan.id}/validation/${r.body.jobId}`, { token: t.committee })).status).toBe(403);
    } finally {
      await worker.get<Queue>(getQueueToken(QUEUES.zoning)).obliterate({ force: true });
      await worker.close();
    }
  });
});
