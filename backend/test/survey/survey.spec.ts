import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AuthRepository } from '../../src/modules/auth/auth.repository';
import { ImportTargetRegistry } from '../../src/modules/imports/import-target.registry';
import { TestApp, createTestApp } from '../support/test-app';
import { assessmentOf, extraAssessor, pointInZone } from '../assessments/evidence-helpers';

function multipart(field: string, filename: string, contentType: string, bytes: Buffer): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----qz${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  return { body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Bytes that start like a JPEG (SOI + APP0 JFIF); the rest is noise. */
const fakeJpeg = (size: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), randomBytes(size - 11)]);

describe('sweep survey', () => {
  let sut: TestApp;
  const tokens: Record<string, string> = {};
  let jincheng: string; // seeded in `surveying`, the demo assessor leads it
  let origin: [number, number];
  beforeAll(async () => {
    sut = await createTestApp();
    for (const u of ['assessor', 'reviewer', 'authority', 'committee', 'contractor', 'admin']) tokens[u] = await sut.login(u);
    jincheng = await assessmentOf(sut, 'SX-JC-JCETDZ');
    origin = await pointInZone(sut, 'SX-JC-JCETDZ');
  });
  afterAll(() => sut.close());

  it('records a track for the team, and refuses outsiders, other roles, bare timestamps and planned assessments', async () => {
    const [x, y] = origin;
    const body = { name: 'A 线', geometry: { type: 'LineString', coordinates: [[x - 0.005, y], [x + 0.005, y]] }, recordedAt: '2026-11-20T09:00:00+08:00' };
    const res = await sut.request<any>('POST', `/api/assessments/${jincheng}/tracks`, { token: tokens.assessor, body });
    expect(res.status).toBe(201);
    expect(res.body.geometry.type).toBe('MultiLineString');
    expect(res.body.recordedAt).toBe('2026-11-20T09:00:00.000+08:00');
    // 0.01° of longitude at 35.47°N ≈ 907 m on the ellipsoid
    expect(res.body.lengthM).toBeGreaterThan(900);
    expect(res.body.lengthM).toBeLessThan(915);
    const list = (await sut.request<any[]>('GET', `/api/assessments/${jincheng}/tracks`, { token: tokens.reviewer })).body;
    expect(list.map((t) => t.id)).toContain(res.body.id);

    const outsider = await extraAssessor(sut, 'assessor_c');
    expect((await sut.request<any>('POST', `/api/assessments/${jincheng}/tracks`, { token: outsider.token, body })).body.code).toBe('assessment_not_team_member');
    for (const who of ['reviewer', 'authority', 'committee', 'contractor', 'admin']) {
      expect((await sut.request('POST', `/api/assessments/${jincheng}/tracks`, { token: tokens[who], body })).status).toBe(403);
    }
    for (const who of ['committee', 'contractor']) {
      expect((await sut.request('GET', `/api/assessments/${jincheng}/tracks`, { token: tokens[who] })).status).toBe(403);
    }
    // Tunliu's officer may not read Jincheng's survey
    expect((await sut.request('GET', `/api/assessments/${jincheng}/tracks`, { token: tokens.authority })).status).toBe(404);

    const bare = await sut.request<any>('POST', `/api/assessments/${jincheng}/tracks`, { token: tokens.assessor, body: { ...body, recordedAt: '2026-11-20T09:00:00' } });
    expect(bare.status).toBe(400);
    expect(bare.body.details[0].field).toBe('recordedAt');

    const planned = await assessmentOf(sut, 'SX-JC-YCETDZ');
    const closed = await sut.request<any>('POST', `/api/assessments/${planned}/tracks`, { token: tokens.assessor, body });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('assessment_not_recording');
  });

  it('computes coverage of the zone within the distance of the tracks, matching an independent Gauss–Krüger computation', async () => {
    const tunliu = await assessmentOf(sut, 'SX-CZ-TLETDZ');
    for (const d of [25, 50]) {
      const res = await sut.request<any>('GET', `/api/assessments/${tunliu}/coverage?distanceM=${d}`, { token: tokens.authority });
      expect(res.status).toBe(200);
      // independent: buffer and intersect in CGCS2000 / 3-degree GK CM 114E (EPSG:4547), planar areas
      const { rows } = await sut.db.admin.query<{ zone: number; covered: number }>(
        `SELECT ST_Area(ST_Transform(z.boundary, 4547)) AS zone,
                ST_Area(ST_Intersection(ST_Transform(z.boundary, 4547), ST_Buffer(ST_Union(ST_Transform(t.geom, 4547)), $2))) AS covered
           FROM assessments a JOIN zones z ON z.id = a.zone_id JOIN survey_tracks t ON t.assessment_id = a.id
          WHERE a.id = $1 GROUP BY z.boundary`,
        [tunliu, d],
      );
      const truth = rows[0]!;
      expect(res.body.distanceM).toBe(d);
      expect(Math.abs(res.body.zoneAreaM2 - truth.zone) / truth.zone).toBeLessThan(0.003);
      expect(Math.abs(res.body.coveredM2 - truth.covered) / truth.covered).toBeLessThan(0.005);
      expect(res.body.coveredShare).toBeCloseTo((100 * res.body.coveredM2) / res.body.zoneAreaM2, 1);
      expect(res.body.coveredMu).toBeCloseTo(res.body.coveredM2 / (10000 / 15), 0);
    }
    // the demo sweep at 100 m spacing covers (nearly) the whole zone at 50 m, about half at 25 m
    const at50 = (await sut.request<any>('GET', `/api/assessments/${tunliu}/coverage?distanceM=50`, { token: tokens.assessor })).body;
    expect(at50.coveredShare).toBeGreaterThan(95);
    expect((await sut.request('GET', `/api/assessments/${tunliu}/coverage?distanceM=0`, { token: tokens.assessor })).status).toBe(400);
    expect((await sut.request('GET', `/api/assessments/${tunliu}/coverage`, { token: tokens.committee })).status).toBe(403);
  });

  it('edits an observation only with the current ETag (428 without, 412 when stale)', async () => {
    const [x, y] = origin;
    const created = await sut.request<any>('POST', `/api/assessments/${jincheng}/observations`, {
      token: tokens.assessor, body: { geometry: { type: 'Point', coordinates: [x, y] }, kind: 'section_exposure', period: '汉', description: '断面见灰坑', observedAt: '2026-11-21T10:00:00+08:00' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const id = created.body.id as string;
    const patch = { period: '东汉' };
    expect((await sut.request<any>('PATCH', `/api/observations/${id}`, { token: tokens.assessor, body: patch })).status).toBe(428);
    const ok = await sut.request<any>('PATCH', `/api/observations/${id}`, { token: tokens.assessor, body: patch, headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ period: '东汉', kind: 'section_exposure', description: '断面见灰坑', rowVersion: 2 });
    expect(ok.headers.etag).toBe('"2"');
    const stale = await sut.request<any>('PATCH', `/api/observations/${id}`, { token: tokens.assessor, body: { period: '西汉' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('conflict_stale');
    expect((await sut.request<any>('GET', `/api/observations/${id}`, { token: tokens.reviewer })).body.period).toBe('东汉');
    for (const who of ['reviewer', 'committee', 'contractor']) {
      expect((await sut.request('PATCH', `/api/observations/${id}`, { token: tokens[who], body: patch, headers: { 'if-match': '"2"' } })).status).toBe(403);
    }
    for (const who of ['committee', 'contractor']) expect((await sut.request('GET', `/api/observations/${id}`, { token: tokens[who] })).status).toBe(403);
    expect((await sut.request('GET', `/api/observations/${id}`, { token: tokens.authority })).status).toBe(404);
    const history = (await sut.request<any[]>('GET', `/api/observations/${id}/history`, { token: tokens.reviewer })).body;
    expect(history.map((e) => e.action)).toEqual(['observation.create', 'observation.update']);
  });

  it('stores a photo with its SHA-256, serves it to evidence readers only, and refuses non-images and oversize files', async () => {
    const [x, y] = origin;
    const obs = (await sut.request<any>('POST', `/api/assessments/${jincheng}/observations`, {
      token: tokens.assessor, body: { geometry: { type: 'Point', coordinates: [x + 0.001, y] }, kind: 'surface_scatter' },
    })).body;
    const bytes = fakeJpeg(50_000);
    const up = multipart('file', '陶片.jpg', 'image/jpeg', bytes);
    const res = await sut.request<any>('POST', `/api/observations/${obs.id}/photos`, { token: tokens.assessor, body: up.body, headers: up.headers });
    expect([res.status, res.body.code]).toEqual([201, undefined]);
    const photo = res.body.photos[0];
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(photo).toMatchObject({ sha256: sha, bytes: 50_000, contentType: 'image/jpeg', originalName: '陶片.jpg' });
    // re-hash what storage really holds
    const { rows } = await sut.db.admin.query<{ storage_key: string; sha256: string }>(`SELECT storage_key, sha256 FROM stored_files WHERE id = $1`, [photo.fileId]);
    const onDisk = await readFile(resolve(sut.config.storageDir, rows[0]!.storage_key));
    expect(createHash('sha256').update(onDisk).digest('hex')).toBe(sha);

    const got = await sut.request('GET', photo.url, { token: tokens.reviewer });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.raw.equals(bytes)).toBe(true);
    for (const who of ['committee', 'contractor', 'authority']) expect((await sut.request('GET', photo.url, { token: tokens[who] })).status).toBe(404);

    const text = multipart('file', 'photo.jpg', 'image/jpeg', Buffer.from('这不是照片，只是一段文字。\n'));
    const refused = await sut.request<any>('POST', `/api/observations/${obs.id}/photos`, { token: tokens.assessor, body: text.body, headers: text.headers });
    expect(refused.status).toBe(415);
    expect(refused.body.code).toBe('photo_type_unsupported');
    expect(refused.body.message).toContain('JPEG、PNG 或 WebP');

    const big = multipart('file', 'big.jpg', 'image/jpeg', fakeJpeg(20 * 1024 * 1024 + 10));
    const tooBig = await sut.request<any>('POST', `/api/observations/${obs.id}/photos`, { token: tokens.assessor, body: big.body, headers: big.headers });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toContain('20 MB');
    const after = (await sut.request<any>('GET', `/api/observations/${obs.id}`, { token: tokens.assessor })).body;
    expect(after.photos).toHaveLength(1);

    const outsider = await extraAssessor(sut, 'assessor_d');
    expect((await sut.request('POST', `/api/observations/${obs.id}/photos`, { token: outsider.token, body: up.body, headers: up.headers })).status).toBe(403);
    expect((await sut.request('POST', `/api/observations/${obs.id}/photos`, { token: tokens.contractor, body: up.body, headers: up.headers })).status).toBe(403);
  });

  it('commits imported tracks and observations through the registry in one transaction, audited as one event each', async () => {
    const registry = sut.app.get(ImportTargetRegistry);
    const principal = (await sut.app.get(AuthRepository).findPrincipalByUserId((await sut.db.admin.query(`SELECT id FROM users WHERE username = 'assessor'`)).rows[0].id))!;
    const actor = { principal, correlationId: 'test-import' };
    const [x, y] = origin;
    const tracks = Array.from({ length: 3 }, (_, i) => ({ index: i, geometry: { type: 'LineString' as const, coordinates: [[x, y + i * 0.001], [x + 0.004, y + i * 0.001]] }, properties: { name: `GPX ${i}`, time: '2026-11-22T01:00:00Z' } }));
    const points = Array.from({ length: 5 }, (_, i) => ({ index: i, geometry: { type: 'Point' as const, coordinates: [x + i * 0.0005, y - 0.001] }, properties: i === 0 ? { kind: '断面', 时代: '唐' } : {} }));
    const before = (await sut.db.admin.query(`SELECT count(*)::int AS n FROM survey_observations WHERE assessment_id = $1`, [jincheng])).rows[0].n;
    const t = await sut.dataSource.transaction((m) => registry.get('survey-tracks')!.commit(m, actor, tracks, { assessmentId: jincheng }));
    const o = await sut.dataSource.transaction((m) => registry.get('observations')!.commit(m, actor, points, { assessmentId: jincheng }));
    expect(t.written).toBe(3);
    expect(o.written).toBe(5);
    const rows = (await sut.db.admin.query(`SELECT kind, period FROM survey_observations WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`, [o.ids])).rows;
    expect(rows.filter((r: any) => r.kind === 'section_exposure' && r.period === '唐')).toHaveLength(1);
    expect(rows.filter((r: any) => r.kind === 'surface_scatter')).toHaveLength(4);
    expect((await sut.db.admin.query(`SELECT count(*)::int AS n FROM survey_observations WHERE assessment_id = $1`, [jincheng])).rows[0].n).toBe(before + 5);
    const named = (await sut.db.admin.query(`SELECT name, recorded_at FROM survey_tracks WHERE id = ANY($1::uuid[]) ORDER BY name`, [t.ids])).rows;
    expect(named.map((r: any) => r.name)).toEqual(['GPX 0', 'GPX 1', 'GPX 2']);
    const events = (await sut.db.admin.query(`SELECT action, after FROM audit_events WHERE entity_id = $1 AND action LIKE '%.import' ORDER BY id`, [jincheng])).rows;
    expect(events.map((e: any) => [e.action, e.after.count])).toEqual([['survey_track.import', 3], ['observation.import', 5]]);
    expect(registry.get('observations')!.layers).toEqual(['observations']);

    // an unknown kind refuses the whole import; nothing is written
    await expect(sut.dataSource.transaction((m) => registry.get('observations')!.commit(m, actor, [{ ...points[1]!, properties: { kind: '瞎写' } }], { assessmentId: jincheng })))
      .rejects.toMatchObject({ code: 'import_observation_kind_unknown', status: 422 });
    // a committee officer may not import into an assessment
    const committee = (await sut.app.get(AuthRepository).findPrincipalByUserId((await sut.db.admin.query(`SELECT id FROM users WHERE username = 'committee'`)).rows[0].id))!;
    await expect(registry.get('survey-tracks')!.assertCanWrite(committee, { assessmentId: jincheng })).rejects.toMatchObject({ status: 403 });
  });

  it('imports a GPX track over HTTP: preview, then commit into survey-tracks; the track layer shows it', async () => {
    const [x, y] = origin;
    const gpx = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>GPX 拉网 B 线</name><trkseg>
<trkpt lat="${y + 0.002}" lon="${x - 0.003}"><time>2026-11-23T01:00:00Z</time></trkpt>
<trkpt lat="${y + 0.002}" lon="${x}"><time>2026-11-23T01:10:00Z</time></trkpt>
<trkpt lat="${y + 0.0025}" lon="${x + 0.003}"><time>2026-11-23T01:20:00Z</time></trkpt>
</trkseg></trk></gpx>`;
    const up = multipart('file', 'sweep.gpx', 'application/gpx+xml', Buffer.from(gpx));
    const preview = await sut.request<any>('POST', '/api/imports/preview', { token: tokens.assessor, body: up.body, headers: up.headers });
    expect(preview.status).toBe(200);
    const lines = preview.body.features.features.filter((f: any) => /LineString/.test(f.geometry.type));
    expect(lines.length).toBeGreaterThan(0);
    const denied = await sut.request<any>('POST', `/api/imports/${preview.body.importId}/commit`, {
      token: tokens.assessor, body: { target: 'survey-tracks', options: { assessmentId: await assessmentOf(sut, 'SX-JC-YCETDZ') } },
    });
    expect(denied.status).toBe(409); // Yangcheng's assessment is only planned
    const commit = await sut.request<any>('POST', `/api/imports/${preview.body.importId}/commit`, {
      token: tokens.assessor, body: { target: 'survey-tracks', featureIndexes: [lines[0].id], options: { assessmentId: jincheng } },
    });
    expect([commit.status, commit.body.written]).toEqual([200, 1]);
    const fc = (await sut.request<any>('GET', `/api/layers/survey-tracks?assessmentId=${jincheng}`, { token: tokens.reviewer })).body;
    expect(fc.features.map((f: any) => f.id)).toContain(commit.body.ids[0]);
    expect((await sut.request<any>('GET', `/api/layers/survey-tracks?assessmentId=${jincheng}`, { token: tokens.committee })).body.features).toEqual([]);
  });
});
