import { buildWorld, createCommitteeTestApp, World } from '../clearance/committee-world';
import { TestApp } from '../support/test-app';

describe('commitment letter preview (the form’s live preview)', () => {
  let sut: TestApp;
  let w: World;

  beforeAll(async () => {
    sut = await createCommitteeTestApp();
    w = await buildWorld(sut);
  });
  afterAll(() => sut.close());

  it('renders the same text a draft would get, with today’s Shanghai date, and writes nothing', async () => {
    const before = await sut.db.admin.query(`SELECT count(*)::int AS n FROM commitments`);
    const body = { planId: w.planV1Id, signatoryName: '孙管委', signatoryTitle: '管委会主任', extraClauses: ['每季度报送建设进展。'] };
    const preview = await sut.request<any>('POST', '/api/commitments/preview', { token: w.tokens.committee, body });
    expect(preview.status).toBe(200);
    expect(preview.body.planVersion).toBe(1);
    expect(preview.body.letterDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const [y, mo, d] = preview.body.letterDate.split('-').map(Number);
    expect(preview.body.letter.signature).toEqual([
      expect.stringMatching(/^承诺单位：.+（盖章）$/),
      '签署人：孙管委（管委会主任）',
      `日期：${y}年${mo}月${d}日`,
    ]);
    expect(preview.body.letter.clauses.join('')).toMatch(/必须立即停止施工/);
    expect(preview.body.letter.clauses.at(-1)).toBe('七、每季度报送建设进展。');
    expect((await sut.db.admin.query(`SELECT count(*)::int AS n FROM commitments`)).rows[0].n).toBe(before.rows[0].n);

    // the draft made from the same values reads exactly the same
    const draft = await sut.request<any>('POST', '/api/commitments', { token: w.tokens.committee, body });
    expect(draft.status).toBe(201);
    expect(draft.body.letter).toEqual(preview.body.letter);
    expect(preview.body.releaseMu).toBe(draft.body.releaseMu);
  });

  it('shows blanks to fill in while the signatory is still empty', async () => {
    const preview = await sut.request<any>('POST', '/api/commitments/preview', { token: w.tokens.committee, body: { planId: w.planV1Id } });
    expect(preview.status).toBe(200);
    expect(preview.body.letter.signature[1]).toBe('签署人：＿＿＿＿（＿＿＿＿）');
  });

  it('another zone’s committee gets 404, other roles 403, bad input 400 in Chinese (English on request)', async () => {
    const other = await sut.request<any>('POST', '/api/commitments/preview', { token: w.tokens.committee_b, body: { planId: w.planV1Id } });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('zoning_plan_not_found');
    for (const who of ['admin', 'assessor', 'reviewer', 'authority', 'contractor']) {
      const res = await sut.request<any>('POST', '/api/commitments/preview', { token: w.tokens[who], body: { planId: w.planV1Id } });
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
    expect((await sut.request<any>('POST', '/api/commitments/preview', { body: { planId: w.planV1Id } })).status).toBe(401);
    const bad = await sut.request<any>('POST', '/api/commitments/preview', { token: w.tokens.committee, body: { planId: 'x', signatoryName: 'a'.repeat(51) } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/[\u4e00-\u9fa5]/);
    const badEn = await sut.request<any>('POST', '/api/commitments/preview', { token: w.tokens.committee, body: { planId: 'x' }, lang: 'en' });
    expect(badEn.status).toBe(400);
    expect(badEn.body.message).not.toMatch(/[\u4e00-\u9fa5]/);
  });

  it('a plan that is not issued cannot be previewed (409 naming its state)', async () => {
    const draft = await sut.db.admin.query(`INSERT INTO zoning_plans (zone_id, version) VALUES ($1, 7) RETURNING id`, [w.industrialZoneId]);
    const res = await sut.request<any>('POST', '/api/commitments/preview', { token: w.tokens.committee, body: { planId: draft.rows[0].id } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('commitment_plan_not_issued');
  });
});
