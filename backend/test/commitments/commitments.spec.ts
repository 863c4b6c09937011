import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildWorld, createCommitteeTestApp, World } from '../clearance/committee-world';
import { TestApp } from '../support/test-app';

describe('commitment letters', () => {
  let sut: TestApp;
  let w: World;
  let letterId: string;

  beforeAll(async () => {
    sut = await createCommitteeTestApp();
    w = await buildWorld(sut);
  });
  afterAll(() => sut.close());

  it('the committee drafts a letter for its zone’s issued plan, with the obligations and the release land in 亩', async () => {
    const res = await sut.request<any>('POST', '/api/commitments', {
      token: w.tokens.committee, body: { planId: w.planV1Id, signatoryName: '孙管委', signatoryTitle: '主任', extraClauses: ['每季度向省文物局报送释放区建设进展。'] },
    });
    expect(res.status).toBe(201);
    letterId = res.body.id;
    expect(res.body).toMatchObject({ planId: w.planV1Id, state: 'draft', planVersion: 1, allowedActions: ['submit'] });
    expect(res.body.pdfSha256).toBeUndefined();
    const text = [res.body.letter.preamble, ...res.body.letter.clauses].join('');
    expect(text).toMatch(/必须立即停止施工/);
    expect(text).toMatch(/及时上报文物主管部门/);
    expect(text).toMatch(/采取文物保护措施后，方可恢复施工建设/);
    expect(res.body.letter.clauses.at(-1)).toMatch(/^七、每季度/);
    expect(res.body.releaseAreas).toHaveLength(1);
    expect(res.body.releaseMu).toBeGreaterThan(700); // 0.01° × 0.005° at 36.5°N ≈ 497,000 m²
    expect(res.body.releaseMu).toBe(res.body.releaseAreas[0].areaMu);
  });

  it('a draft can be edited; only an issued plan can be committed', async () => {
    const patched = await sut.request<any>('PATCH', `/api/commitments/${letterId}`, { token: w.tokens.committee, body: { signatoryTitle: '党工委书记、主任' } });
    expect(patched.status).toBe(200);
    expect(patched.body.letter.signature[1]).toBe('签署人：孙管委（党工委书记、主任）');
    const draft = await sut.db.admin.query(`INSERT INTO zoning_plans (zone_id, version) VALUES ($1, 9) RETURNING id`, [w.industrialZoneId]);
    const res = await sut.request<any>('POST', '/api/commitments', { token: w.tokens.committee, body: { planId: draft.rows[0].id, signatoryName: '孙', signatoryTitle: '主任' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('commitment_plan_not_issued');
  });

  it('submit freezes the letter: PDF stored with its SHA-256, PATCH is 409, the stored PDF re-hashes to the recorded value', async () => {
    const sub = await sut.request<any>('POST', `/api/commitments/${letterId}/submit`, { token: w.tokens.committee });
    expect(sub.status).toBe(200);
    expect(sub.body.state).toBe('submitted');
    expect(sub.body.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sub.body.signedAt).toMatch(/\+08:00$/);
    const got = await sut.request<any>('GET', `/api/commitments/${letterId}`, { token: w.tokens.reviewer });
    expect(got.body).toMatchObject({ id: letterId, planId: w.planV1Id, state: 'submitted', pdfSha256: sub.body.pdfSha256 });

    const pdf = await sut.request('GET', `/api/commitments/${letterId}/letter.pdf`, { token: w.tokens.authority });
    expect(pdf.status).toBe(200);
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf.raw).digest('hex')).toBe(sub.body.pdfSha256);
    expect((await sut.request<any>('GET', `/api/commitments/${letterId}/verify`, { token: w.tokens.committee })).body)
      .toMatchObject({ ok: true, recordedSha256: sub.body.pdfSha256, actualSha256: sub.body.pdfSha256 });

    const patch = await sut.request<any>('PATCH', `/api/commitments/${letterId}`, { token: w.tokens.committee, body: { signatoryName: '别人' } });
    expect(patch.status).toBe(409);
    expect(patch.body.code).toBe('commitment_frozen');
    expect((await sut.request<any>('POST', `/api/commitments/${letterId}/submit`, { token: w.tokens.committee })).status).toBe(409);
    // not even the database owner can rewrite what a submitted letter says
    await expect(sut.db.admin.query(`UPDATE commitments SET signatory_name = 'x' WHERE id = $1`, [letterId])).rejects.toThrow(/frozen/);
  });

  it('a tampered stored PDF no longer verifies', async () => {
    const { rows } = await sut.db.admin.query(`SELECT f.storage_key FROM commitments c JOIN stored_files f ON f.id = c.pdf_file_id WHERE c.id = $1`, [letterId]);
    const pdf = await sut.request('GET', `/api/commitments/${letterId}/letter.pdf`, { token: w.tokens.reviewer });
    await writeFile(join(sut.config.storageDir, rows[0].storage_key), Buffer.concat([pdf.raw, Buffer.from('%tampered')]));
    const v = await sut.request<any>('GET', `/api/commitments/${letterId}/verify`, { token: w.tokens.reviewer });
    expect(v.body.ok).toBe(false);
    await writeFile(join(sut.config.storageDir, rows[0].storage_key), pdf.raw);
    expect((await sut.request<any>('GET', `/api/commitments/${letterId}/verify`, { token: w.tokens.reviewer })).body.ok).toBe(true);
  });

  it('reviewers see the queue; reject needs a reason; every step is in the letter’s history', async () => {
    const queue = await sut.request<any[]>('GET', '/api/commitments?state=submitted', { token: w.tokens.reviewer });
    expect(queue.body.map((c) => c.id)).toContain(letterId);
    expect(queue.body.find((c) => c.id === letterId).allowedActions).toEqual(['accept', 'reject']);
    const noReason = await sut.request<any>('POST', `/api/commitments/${letterId}/reject`, { token: w.tokens.reviewer, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('commitment_reason_required');
    const rej = await sut.request<any>('POST', `/api/commitments/${letterId}/reject`, { token: w.tokens.reviewer, body: { reason: '附件缺少释放区坐标表' } });
    expect(rej.body).toMatchObject({ state: 'rejected', rejectReason: '附件缺少释放区坐标表', allowedActions: [] });
    const again = await sut.request<any>('POST', `/api/commitments/${letterId}/accept`, { token: w.tokens.reviewer });
    expect(again.status).toBe(409);
    expect(again.body.details.state).toBe('rejected');
    const history = await sut.request<any[]>('GET', `/api/commitments/${letterId}/history`, { token: w.tokens.committee });
    expect(history.body.map((e) => e.action)).toEqual(['commitment.create', 'commitment.update', 'commitment.submit', 'commitment.reject']);
    expect(history.body[3].reason).toBe('附件缺少释放区坐标表');
  });

  describe('denied access', () => {
    it('a committee of another zone cannot see, edit or submit this zone’s letters, nor draft one for its plan', async () => {
      const draft = await sut.request<any>('POST', '/api/commitments', { token: w.tokens.committee, body: { planId: w.planV1Id, signatoryName: '孙', signatoryTitle: '主任' } });
      const id = draft.body.id;
      expect((await sut.request('GET', `/api/commitments/${id}`, { token: w.tokens.committee_b })).status).toBe(404);
      expect((await sut.request('GET', `/api/commitments/${id}/letter.pdf`, { token: w.tokens.committee_b })).status).toBe(404);
      expect((await sut.request('PATCH', `/api/commitments/${id}`, { token: w.tokens.committee_b, body: { signatoryName: 'x' } })).status).toBe(404);
      expect((await sut.request('POST', `/api/commitments/${id}/submit`, { token: w.tokens.committee_b })).status).toBe(404);
      expect((await sut.request('POST', '/api/commitments', { token: w.tokens.committee_b, body: { planId: w.planV1Id, signatoryName: 'x', signatoryTitle: 'y' } })).status).toBe(404);
      expect((await sut.request<any[]>('GET', '/api/commitments', { token: w.tokens.committee_b })).body).toEqual([]);
    });

    it('roles outside the workflow are refused: contractors read nothing, reviewers do not sign, committees do not accept', async () => {
      expect((await sut.request('GET', `/api/commitments/${letterId}`, { token: w.tokens.contractor })).status).toBe(403);
      expect((await sut.request('GET', '/api/commitments', { token: w.tokens.contractor })).status).toBe(403);
      expect((await sut.request('POST', '/api/commitments', { token: w.tokens.reviewer, body: { planId: w.planV1Id, signatoryName: 'x', signatoryTitle: 'y' } })).status).toBe(403);
      const draft = await sut.request<any>('POST', '/api/commitments', { token: w.tokens.committee, body: { planId: w.planV1Id, signatoryName: '孙', signatoryTitle: '主任' } });
      expect((await sut.request('POST', `/api/commitments/${draft.body.id}/submit`, { token: w.tokens.reviewer })).status).toBe(403);
      await sut.request('POST', `/api/commitments/${draft.body.id}/submit`, { token: w.tokens.committee });
      expect((await sut.request('POST', `/api/commitments/${draft.body.id}/accept`, { token: w.tokens.committee })).status).toBe(403);
      expect((await sut.request('POST', `/api/commitments/${draft.body.id}/accept`, { token: w.tokens.assessor })).status).toBe(403);
      expect((await sut.request('POST', `/api/commitments/${draft.body.id}/accept`, { token: w.tokens.reviewer })).status).toBe(200);
    });
  });
});
