import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../src/modules/auth/password';
import { buildWorld, commitAndAccept, createCommitteeTestApp, createParcel, World } from '../clearance/committee-world';
import { DEMO_PASSWORD, TestApp } from '../support/test-app';

export interface DiscoveryWorld extends World {
  projectId: string;
  parcelId: string;
  /** a transferred, cleared parcel right next to the project's (≈ 20 m east) */
  neighbourParcelId: string;
  /** a cleared parcel ≈ 400 m away from the find */
  farParcelId: string;
  otherContractorOrgId: string;
}

/**
 * The committee world (zone T-IND, division 140405 Tunliu) with an accepted commitment, the project
 * parcel P-1 transferred and a project of the demo contractor on it, two more cleared parcels, and a
 * second contractor organisation (`contractor_b`) with a project of its own elsewhere.
 */
export async function buildDiscoveryWorld(): Promise<{ sut: TestApp; w: DiscoveryWorld }> {
  const sut = await createCommitteeTestApp();
  const w = await buildWorld(sut);
  await commitAndAccept(sut, w, w.planV1Id);
  const parcel = await createParcel(sut, w, w.industrialZoneId, 'P-1', [113.506, 36.506, 113.508, 36.508]);
  const neighbour = await createParcel(sut, w, w.industrialZoneId, 'P-2', [113.50825, 36.506, 113.5095, 36.508]);
  const far = await createParcel(sut, w, w.industrialZoneId, 'P-3', [113.501, 36.506, 113.503, 36.508]);
  const transfer = (id: string) => sut.request('POST', `/api/parcels/${id}/transfer`, { token: w.tokens.committee, body: { transferredAt: '2026-11-20T10:00:00+08:00' } });
  await transfer(parcel.id);
  await transfer(far.id);
  const project = await sut.request<any>('POST', '/api/projects', { token: w.tokens.committee, body: { parcelId: parcel.id, name: '晋通新材料厂房一期', contractorOrgId: w.contractorOrgId } });
  if (project.status !== 201) throw new Error(`project: ${project.status} ${JSON.stringify(project.body)}`);
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const [org] = await q<{ id: string }>(`INSERT INTO organizations (type, name, division_code) VALUES ('contractor', '测试乙施工公司', '140405') RETURNING id`);
  const [u] = await q<{ id: string }>(
    `INSERT INTO users (username, display_name, password_hash, org_id, password_changed_at) VALUES ('contractor_b', '乙施工', $1, $2, now()) RETURNING id`,
    [await hashPassword(DEMO_PASSWORD), org!.id],
  );
  await q(`INSERT INTO role_assignments (user_id, role, scope_type, org_id) VALUES ($1, 'contractor', 'org', $2)`, [u!.id, org!.id]);
  await q(`INSERT INTO projects (parcel_id, zone_id, name, contractor_org_id) VALUES ($1, $2, '乙公司仓库', $3)`, [far.id, w.industrialZoneId, org!.id]);
  for (const who of ['contractor_b', 'authority_city']) w.tokens[who] = await sut.login(who);
  return {
    sut,
    w: { ...w, projectId: project.body.id, parcelId: parcel.id, neighbourParcelId: neighbour.id, farParcelId: far.id, otherContractorOrgId: org!.id },
  };
}

/** A report body on the project: the find ≈ 10 m outside P-1's east edge, so the 50 m hold reaches P-1 and P-2. */
export function reportBody(projectId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    projectId,
    location: { type: 'Point', coordinates: [113.50812, 36.507] },
    accuracyM: 4.5,
    foundAt: '2026-11-27T09:40:00+08:00',
    depthM: 2.3,
    description: '挖掘机开挖基槽时发现青砖墓室一角，已停止作业',
    suspectedType: 'tomb',
    ...over,
  };
}

export const newKey = (): string => randomUUID();

/** API.md's multipart form: the JSON in `data`, each file in a `photos` part (as a browser's FormData sends them). */
export function discoveryForm(data: unknown, photos: Array<{ filename: string; data: Buffer; type?: string }>, extra: Record<string, string> = {}): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----qianzhi-${randomUUID()}`;
  const parts: Buffer[] = [];
  if (data !== undefined) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${typeof data === 'string' ? data : JSON.stringify(data)}\r\n`));
  for (const [k, v] of Object.entries(extra)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const p of photos) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'image/jpeg'}\r\n\r\n`), p.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
