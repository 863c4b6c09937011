import { createHash } from 'node:crypto';
import { jpegWithExif, photoFixture, plainJpeg } from '../support/exif-jpeg';
import { TestApp } from '../support/test-app';
import { buildDiscoveryWorld, discoveryForm, DiscoveryWorld, newKey, reportBody } from './discovery-world';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('discoveries: photos (multipart, checked by content, EXIF, idempotent, scoped download)', () => {
  let sut: TestApp;
  let w: DiscoveryWorld;
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const gpsPhoto = photoFixture('find-tunliu-gps.jpg');
  const submit = (data: unknown, photos: Array<{ filename: string; data: Buffer }>, key: string | null = newKey(), token = w.tokens.contractor, lang: 'zh-CN' | 'en' = 'zh-CN') => {
    const form = discoveryForm(data, photos);
    return sut.request<any>('POST', '/api/discoveries', { token, body: form.body, headers: { ...form.headers, ...(key ? { 'idempotency-key': key } : {}) }, lang });
  };
  const count = async (table: string): Promise<number> => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    ({ sut, w } = await buildDiscoveryWorld());
  });
  afterAll(() => sut.close());

  it('a report with photos: stored with SHA-256, EXIF time and GPS read, the distance to the reported point measured', async () => {
    const plain = plainJpeg();
    const res = await submit(reportBody(w.projectId), [{ filename: '墓室一角.jpg', data: gpsPhoto }, { filename: 'plain.jpg', data: plain }]);
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('reported');
    expect(res.body.warnings).toBeUndefined();
    expect(res.body.photos).toHaveLength(2);
    const [withGps, without] = res.body.photos;
    expect(withGps).toMatchObject({
      step: 'report', sha256: sha(gpsPhoto), bytes: gpsPhoto.length, contentType: 'image/jpeg', originalName: '墓室一角.jpg',
      exifTakenAt: '2026-11-27T09:38:12.000+08:00', farFromReport: false, url: `/api/files/${withGps.fileId}`,
    });
    expect(withGps.exifLocation.coordinates[0]).toBeCloseTo(113.50815, 6);
    expect(withGps.exifLocation.coordinates[1]).toBeCloseTo(36.50705, 6);
    expect(withGps.distanceM).toBeGreaterThanOrEqual(5);
    expect(withGps.distanceM).toBeLessThanOrEqual(7);
    expect(without).toMatchObject({ sha256: sha(plain), exifTakenAt: null, exifLocation: null, distanceM: null, farFromReport: false });

    // the report shows them, and the stored bytes are the uploaded ones
    const d = await sut.request<any>('GET', `/api/discoveries/${res.body.id}`, { token: w.tokens.authority });
    expect(d.body.photos.map((p: any) => p.sha256)).toEqual([sha(gpsPhoto), sha(plain)]);
    const file = await sut.request('GET', withGps.url, { token: w.tokens.authority });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.headers['x-content-sha256']).toBe(sha(gpsPhoto));
    expect(sha(file.raw)).toBe(sha(gpsPhoto));
    const [row] = await q(`SELECT f.storage_key, f.sha256 FROM stored_files f WHERE f.id = $1`, [withGps.fileId]);
    expect(row.storage_key).toMatch(new RegExp(`^discovery-photos/${res.body.id}/`));

    // the audit event lists the photos with their checksums
    const history = await sut.request<any>('GET', `/api/discoveries/${res.body.id}/history`, { token: w.tokens.authority });
    const events = Array.isArray(history.body) ? history.body : history.body.events;
    const reported = events.find((e: any) => e.action === 'discovery.report');
    expect(JSON.stringify(reported)).toContain(sha(gpsPhoto));
  });

  it('GET /api/files/{id} of a photo: the reporting contractor and the authority, never another contractor, a committee or an integrator-less outsider', async () => {
    const res = await submit(reportBody(w.projectId, { description: '照片读取权限' }), [{ filename: 'a.jpg', data: gpsPhoto }]);
    const url = res.body.photos[0].url;
    expect((await sut.request('GET', url, { token: w.tokens.contractor })).status).toBe(200);
    expect((await sut.request('GET', url, { token: w.tokens.authority_city })).status).toBe(200);
    expect((await sut.request('GET', url, { token: w.tokens.reviewer })).status).toBe(200);
    const other = await sut.request<any>('GET', url, { token: w.tokens.contractor_b });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('file_not_found');
    expect((await sut.request('GET', url, { token: w.tokens.committee })).status).toBe(404);
    expect((await sut.request('GET', url)).status).toBe(401);
  });

  it('a photo taken far from the reported point is flagged, with a warning in Chinese', async () => {
    const far = jpegWithExif({ takenAt: '2026:11:27 09:30:00', lat: 36.517, lon: 113.50812 }); // ≈ 1.1 km north
    const res = await submit(reportBody(w.projectId, { description: '位置不符的照片' }), [{ filename: '远处.jpg', data: far }]);
    expect(res.status).toBe(201);
    expect(res.body.photos[0]).toMatchObject({ farFromReport: true, exifTakenAt: '2026-11-27T09:30:00.000+08:00' });
    expect(res.body.photos[0].distanceM).toBeGreaterThan(1000);
    expect(res.body.photos[0].distanceM).toBeLessThan(1200);
    expect(res.body.warnings).toEqual([
      expect.objectContaining({ code: 'photo_far_from_report', photoId: res.body.photos[0].id, message: expect.stringContaining('远处.jpg') }),
    ]);
    expect(res.body.warnings[0].message).toMatch(/距报告位置约 1\d{3} 米/);
  });

  it('a text file named .jpg → 415 in Chinese (English on request), nothing created', async () => {
    const before = await count('discovery_reports');
    const text = photoFixture('not-a-photo.jpg');
    const res = await submit(reportBody(w.projectId), [{ filename: 'IMG_0001.jpg', data: gpsPhoto }, { filename: '现场照片.jpg', data: text }]);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('discovery_photo_type_unsupported');
    expect(res.body.message).toContain('现场照片.jpg');
    expect(res.body.message).toContain('不是 JPEG、PNG、WebP 或 HEIC 图片');
    const en = await submit(reportBody(w.projectId), [{ filename: 'x.jpg', data: text }], newKey(), w.tokens.contractor, 'en');
    expect(en.status).toBe(415);
    expect(en.body.message).toContain('is not a JPEG, PNG, WebP or HEIC image');
    expect(await count('discovery_reports')).toBe(before);
  });

  it('size limits: one photo over 15 MB → 413, photos together over 40 MB → 413, more than 10 → 400, each in Chinese', async () => {
    const before = await count('discovery_reports');
    const big = Buffer.concat([plainJpeg(), Buffer.alloc(15 * 1024 * 1024)]);
    const one = await submit(reportBody(w.projectId), [{ filename: '大图.jpg', data: big }]);
    expect(one.status).toBe(413);
    expect(one.body).toMatchObject({ code: 'discovery_photo_too_large' });
    expect(one.body.message).toContain('单张上限 15 MB');
    const chunk = Buffer.concat([plainJpeg(), Buffer.alloc(10 * 1024 * 1024)]);
    const total = await submit(reportBody(w.projectId), [1, 2, 3, 4, 5].map((i) => ({ filename: `${i}.jpg`, data: chunk })));
    expect(total.status).toBe(413);
    expect(total.body.code).toBe('discovery_photos_total_too_large');
    expect(total.body.message).toContain('40 MB');
    const many = await submit(reportBody(w.projectId), Array.from({ length: 11 }, (_, i) => ({ filename: `${i}.jpg`, data: plainJpeg() })));
    expect(many.status).toBe(400);
    expect(many.body.message).toBe('一次最多上传 10 张照片');
    expect(await count('discovery_reports')).toBe(before);
  });

  it('the form itself: no data → 400, data not JSON → 400, an unknown field → 400, an invalid report → 400 naming the field', async () => {
    const noData = await submit(undefined, [{ filename: 'a.jpg', data: gpsPhoto }]);
    expect(noData.status).toBe(400);
    expect(noData.body.code).toBe('discovery_multipart_data_missing');
    expect((await submit('{not json', [])).body.code).toBe('discovery_multipart_data_malformed');
    const form = discoveryForm(reportBody(w.projectId), [], { note: 'x' });
    const unknown = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body: form.body, headers: { ...form.headers, 'idempotency-key': newKey() } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('note');
    const invalid = await submit(reportBody(w.projectId, { description: '' }), [{ filename: 'a.jpg', data: gpsPhoto }]);
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('validation_failed');
    expect(invalid.body.details.map((d: any) => d.field)).toContain('description');
  });

  it('five concurrent multipart submissions with one key → one report, its photos stored once; other photos with that key → 422', async () => {
    const key = newKey();
    const body = reportBody(w.projectId, { description: '并发照片提交' });
    const photos = [{ filename: 'a.jpg', data: gpsPhoto }, { filename: 'b.jpg', data: plainJpeg() }];
    const filesBefore = await count('stored_files');
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => submit(body, photos, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
    const id = answers[0]!.body.id;
    expect((await q(`SELECT id FROM discovery_reports WHERE description = '并发照片提交'`)).length).toBe(1);
    expect((await q(`SELECT id FROM discovery_photos WHERE report_id = $1`, [id])).length).toBe(2);
    expect(await count('stored_files')).toBe(filesBefore + 2);
    expect((await q(`SELECT id FROM stop_work_orders WHERE report_id = $1`, [id])).length).toBe(1);

    // the same body with other photos (or none, or in JSON) under that key is another request
    const other = await submit(body, [{ filename: 'a.jpg', data: gpsPhoto }], key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const json = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body, headers: { 'idempotency-key': key } });
    expect(json.status).toBe(422);
    // the same photos under other names are the same photos
    const renamed = await submit(body, [{ filename: 'IMG_1.jpg', data: gpsPhoto }, { filename: 'IMG_2.jpg', data: plainJpeg() }], key);
    expect(renamed.status).toBe(200);
    expect(renamed.body.id).toBe(id);
    expect(await count('stored_files')).toBe(filesBefore + 2);
  });

  it('a JSON report and a multipart one without photos are the same request', async () => {
    const key = newKey();
    const body = reportBody(w.projectId, { description: '无照片的表单' });
    const json = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body, headers: { 'idempotency-key': key } });
    expect(json.status).toBe(201);
    const form = await submit(body, [], key);
    expect(form.status).toBe(200);
    expect(form.body).toEqual(json.body);
  });

  it('the authority’s arrival carries site photos (multipart); the contractor sees them on its report', async () => {
    const created = await submit(reportBody(w.projectId, { description: '到场照片' }), []);
    const id = created.body.id;
    const site = jpegWithExif({ takenAt: '2026:11:27 12:55:00', offset: '+08:00', lat: 36.50701, lon: 113.50813 });
    const form = discoveryForm({ arrivedAt: '2026-11-27T10:00:00+08:00', people: ['赵文保'], notes: '已拍照取证' }, [{ filename: '到场.jpg', data: site }]);
    const arrived = await sut.request<any>('POST', `/api/discoveries/${id}/record-arrival`, { token: w.tokens.authority, body: form.body, headers: form.headers });
    expect(arrived.status).toBe(200);
    expect(arrived.body.state).toBe('on_site');
    expect(arrived.body.photos).toEqual([
      expect.objectContaining({ step: 'arrival', sha256: sha(site), exifTakenAt: '2026-11-27T12:55:00.000+08:00', farFromReport: false }),
    ]);
    const mine = await sut.request<any>('GET', `/api/discoveries/${id}`, { token: w.tokens.contractor });
    expect(mine.body.photos.map((p: any) => p.step)).toEqual(['arrival']);
    expect((await sut.request('GET', mine.body.photos[0].url, { token: w.tokens.contractor })).status).toBe(200);

    // a text file on the arrival is refused as well, and the state does not move
    const other = (await submit(reportBody(w.projectId, { description: '到场照片 2' }), [])).body.id;
    const bad = discoveryForm({ arrivedAt: '2026-11-27T10:00:00+08:00', people: ['赵文保'] }, [{ filename: 'x.jpg', data: photoFixture('not-a-photo.jpg') }]);
    const refused = await sut.request<any>('POST', `/api/discoveries/${other}/record-arrival`, { token: w.tokens.authority, body: bad.body, headers: bad.headers });
    expect(refused.status).toBe(415);
    expect((await sut.request<any>('GET', `/api/discoveries/${other}`, { token: w.tokens.authority })).body.state).toBe('reported');
  });
});
