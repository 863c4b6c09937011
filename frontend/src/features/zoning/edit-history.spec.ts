import type { LineString, Polygon } from 'geojson';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { EditHistory, HistoryBrokenError, type AreaPatch, type AreaSnapshot, type EditPort, type PlanVersion } from './edit-history';

/**
 * An in-memory stand-in for the zoning API's draft edits with the server's concurrency rules: every edit needs
 * If-Match equal to the current row revision (else 412), bumps it, and works only on a draft (else 409); new
 * areas get fresh ids. Enough to check what the stack sends and what it leaves behind.
 */
class DraftServer implements EditPort<PlanVersion> {
  areas = new Map<string, AreaSnapshot>();
  revision = 1;
  state: 'draft' | 'submitted' = 'draft';
  calls: string[] = [];
  private nextId = 1;
  failNext: ApiError | null = null;

  get version(): PlanVersion {
    return { etag: `"${this.revision}"`, areaIds: [...this.areas.keys()] };
  }

  /** somebody else's edit: moves the revision on */
  otherEdit(id: string, patch: AreaPatch): void {
    this.areas.set(id, { ...this.areas.get(id)!, ...patch });
    this.revision++;
  }

  private guard(call: string, etag: string): void {
    this.calls.push(call);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    if (etag !== `"${this.revision}"`) throw new ApiError(412, 'zoning_stale_revision', '方案已被修改');
    if (this.state !== 'draft') throw new ApiError(409, 'state_conflict', '方案状态为待审核');
    this.revision++;
  }

  seed(area: AreaSnapshot): string {
    const id = `area-${this.nextId++}`;
    this.areas.set(id, area);
    return id;
  }

  async add(etag: string, area: AreaSnapshot) {
    this.guard('add', etag);
    this.seed(structuredClone(area));
    return this.version;
  }
  async update(etag: string, id: string, patch: AreaPatch) {
    this.guard(`update ${id}`, etag);
    if (!this.areas.has(id)) throw new ApiError(404, 'zoning_area_not_found', '');
    this.areas.set(id, { ...this.areas.get(id)!, ...structuredClone(patch) });
    return this.version;
  }
  async remove(etag: string, id: string) {
    this.guard(`remove ${id}`, etag);
    if (!this.areas.delete(id)) throw new ApiError(404, 'zoning_area_not_found', '');
    return this.version;
  }
  async split(etag: string, id: string, _line: LineString) {
    this.guard(`split ${id}`, etag);
    const area = this.areas.get(id);
    if (!area) throw new ApiError(404, 'zoning_area_not_found', '');
    this.areas.delete(id);
    const [west, east] = halves(area.geometry);
    const pieces = [this.seed({ ...area, geometry: west }), this.seed({ ...area, geometry: east })];
    return { plan: this.version, pieces };
  }
}

const square = (x0: number, x1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, 0], [x1, 0], [x1, 1], [x0, 1], [x0, 0]]] });
function halves(p: Polygon): [Polygon, Polygon] {
  const xs = p.coordinates[0]!.map((c) => c[0]!);
  const [a, b] = [Math.min(...xs), Math.max(...xs)];
  return [square(a, (a + b) / 2), square((a + b) / 2, b)];
}
const area = (category: AreaSnapshot['category'], x0: number, x1: number): AreaSnapshot => ({
  category,
  geometry: square(x0, x1),
  rationale: `依据 ${category}`,
  label: null,
  evidence: category === 'avoidance' ? [{ type: 'relic', id: '9b2f8e0c-0000-4000-8000-000000000001' }] : [],
});
const isConflict = (e: unknown) => e instanceof ApiError && (e.status === 412 || e.status === 409);
const LINE: LineString = { type: 'LineString', coordinates: [[0.5, -1], [0.5, 2]] };

describe('EditHistory', () => {
  let server: DraftServer;
  let sut: EditHistory<PlanVersion>;
  let existing: string;

  beforeEach(() => {
    server = new DraftServer();
    existing = server.seed(area('exploration', 0, 1));
    sut = new EditHistory(server, isConflict);
  });

  const snapshot = () => [...server.areas.values()].map((a) => `${a.category}:${JSON.stringify(a.geometry.coordinates[0]![0])}-${JSON.stringify(a.geometry.coordinates[0]![2])}`).sort();

  it('undoes a draw by deleting the area and redoes it by creating it again, with everything it had', async () => {
    const drawn = area('avoidance', 1, 2);
    await sut.run('draw', server.version, [{ kind: 'add', area: drawn }]);
    expect(server.areas.size).toBe(2);
    expect(sut.undoKind).toBe('draw');

    await sut.undo();
    expect([...server.areas.keys()]).toEqual([existing]);
    expect(sut.canUndo).toBe(false);
    expect(sut.redoKind).toBe('draw');

    await sut.redo();
    const recreated = [...server.areas.values()].find((a) => a.category === 'avoidance');
    expect(recreated).toEqual(drawn); // rationale and evidence links too
    expect(sut.canRedo).toBe(false);
  });

  it('follows an area through a new id: draw, reshape, undo both, redo both reshapes the re-created area', async () => {
    await sut.run('draw', server.version, [{ kind: 'add', area: area('release', 1, 2) }]);
    const firstId = [...server.areas.keys()].find((id) => id !== existing)!;
    await sut.run('reshape', server.version, [{ kind: 'update', id: firstId, before: { geometry: square(1, 2) }, after: { geometry: square(1, 3) } }]);

    await sut.undo();
    await sut.undo();
    expect(server.areas.size).toBe(1);
    await sut.redo();
    const secondId = [...server.areas.keys()].find((id) => id !== existing)!;
    expect(secondId).not.toBe(firstId);
    await sut.redo();
    expect(server.areas.get(secondId)!.geometry).toEqual(square(1, 3));
    expect(sut.idOf(firstId)).toBe(secondId);

    // and a new edit made on the re-created area (by its new id) undoes on it too
    await sut.run('recategorise', server.version, [{ kind: 'update', id: secondId, before: { category: 'release' }, after: { category: 'avoidance' } }]);
    expect(server.areas.get(secondId)!.category).toBe('avoidance');
    await sut.undo();
    expect(server.areas.get(secondId)!.category).toBe('release');
  });

  it('undoes a delete by re-creating the area, and redoes it by deleting the re-created one', async () => {
    const before = snapshot();
    await sut.run('delete', server.version, [{ kind: 'remove', id: existing, area: server.areas.get(existing)! }]);
    expect(server.areas.size).toBe(0);
    await sut.undo();
    expect(snapshot()).toEqual(before);
    await sut.redo();
    expect(server.areas.size).toBe(0);
  });

  it('undoes a split by removing the pieces and restoring the area; redo splits it again', async () => {
    const before = snapshot();
    await sut.run('split', server.version, [{ kind: 'split', id: existing, area: server.areas.get(existing)!, line: LINE }]);
    expect(server.areas.size).toBe(2);
    const split = snapshot();

    await sut.undo();
    expect(snapshot()).toEqual(before);
    await sut.redo();
    expect(snapshot()).toEqual(split);
    // the pieces are known again under their new ids: undo once more restores the single area
    await sut.undo();
    expect(snapshot()).toEqual(before);
    expect(server.calls.filter((c) => c.startsWith('split'))).toHaveLength(2);
  });

  it('a reshape of two neighbours at once is one step', async () => {
    const other = server.seed(area('release', 1, 2));
    await sut.run('reshape', server.version, [
      { kind: 'update', id: existing, before: { geometry: square(0, 1) }, after: { geometry: square(0, 1.5) } },
      { kind: 'update', id: other, before: { geometry: square(1, 2) }, after: { geometry: square(1.5, 2) } },
    ]);
    await sut.undo();
    expect(server.areas.get(existing)!.geometry).toEqual(square(0, 1));
    expect(server.areas.get(other)!.geometry).toEqual(square(1, 2));
    expect(sut.canUndo).toBe(false);
  });

  it('an undo after someone else changed the plan is refused by the server (412), changes nothing and empties the history', async () => {
    await sut.run('recategorise', server.version, [{ kind: 'update', id: existing, before: { category: 'exploration' }, after: { category: 'release' } }]);
    server.otherEdit(existing, { category: 'avoidance' });

    const error = await sut.undo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryBrokenError);
    expect(((error as HistoryBrokenError).cause as ApiError).status).toBe(412);
    expect((error as HistoryBrokenError).partial).toBe(false);
    expect(server.areas.get(existing)!.category).toBe('avoidance'); // their edit stands
    expect(sut.canUndo).toBe(false);
    expect(sut.canRedo).toBe(false);
  });

  it('a redo after the server moved on is refused (412), never replayed over the other edit', async () => {
    await sut.run('reshape', server.version, [{ kind: 'update', id: existing, before: { geometry: square(0, 1) }, after: { geometry: square(0, 3) } }]);
    await sut.undo();
    server.otherEdit(existing, { geometry: square(0, 2) });

    await expect(sut.redo()).rejects.toBeInstanceOf(HistoryBrokenError);
    expect(server.areas.get(existing)!.geometry).toEqual(square(0, 2));
    expect(sut.canRedo).toBe(false);
  });

  it('a redo once the plan is submitted surfaces the 409', async () => {
    await sut.run('delete', server.version, [{ kind: 'remove', id: existing, area: server.areas.get(existing)! }]);
    await sut.undo();
    server.state = 'submitted';
    const error = (await sut.redo().catch((e: unknown) => e)) as HistoryBrokenError;
    expect((error.cause as ApiError).status).toBe(409);
    expect(server.areas.size).toBe(1);
  });

  it('sends the ETag its own last call produced, not a reloaded one', async () => {
    await sut.run('recategorise', server.version, [{ kind: 'update', id: existing, before: { category: 'exploration' }, after: { category: 'release' } }]);
    server.otherEdit(existing, { label: '别人改的' });
    // the workspace reloads and shows the newer plan: the history cannot describe the way back any more
    sut.observe(server.version.etag);
    expect(sut.canUndo).toBe(false);
    expect(await sut.undo()).toBeNull();
    expect(server.areas.get(existing)!.category).toBe('release');
  });

  it('keeps the history when the plan shown is the one the stack produced', async () => {
    await sut.run('draw', server.version, [{ kind: 'add', area: area('release', 1, 2) }]);
    sut.observe(server.version.etag);
    expect(sut.canUndo).toBe(true);
  });

  it('a network failure before anything changed keeps the history for another try', async () => {
    await sut.run('recategorise', server.version, [{ kind: 'update', id: existing, before: { category: 'exploration' }, after: { category: 'release' } }]);
    server.failNext = new ApiError(0, 'network', '');
    await expect(sut.undo()).rejects.toMatchObject({ status: 0 });
    expect(sut.canUndo).toBe(true);
    await sut.undo();
    expect(server.areas.get(existing)!.category).toBe('exploration');
  });

  it('an undo that fails half-way (split undo: pieces removed, re-creating refused) says so and drops the history', async () => {
    await sut.run('split', server.version, [{ kind: 'split', id: existing, area: server.areas.get(existing)!, line: LINE }]);
    const realAdd = server.add.bind(server);
    server.add = async () => {
      throw new ApiError(422, 'invalid_geometry', '');
    };
    const error = (await sut.undo().catch((e: unknown) => e)) as HistoryBrokenError;
    expect(error).toBeInstanceOf(HistoryBrokenError);
    expect(error.partial).toBe(true);
    expect(sut.canUndo || sut.canRedo).toBe(false);
    server.add = realAdd;
  });

  it('a new edit after an undo forgets what was undone', async () => {
    await sut.run('recategorise', server.version, [{ kind: 'update', id: existing, before: { category: 'exploration' }, after: { category: 'release' } }]);
    await sut.undo();
    expect(sut.canRedo).toBe(true);
    await sut.run('recategorise', server.version, [{ kind: 'update', id: existing, before: { category: 'exploration' }, after: { category: 'avoidance' } }]);
    expect(sut.canRedo).toBe(false);
    expect(await sut.redo()).toBeNull();
  });

  it('a refused edit records nothing', async () => {
    server.otherEdit(existing, { label: 'x' });
    const stale = { etag: '"1"', areaIds: [existing] };
    await expect(sut.run('recategorise', stale, [{ kind: 'update', id: existing, before: {}, after: { category: 'release' } }])).rejects.toMatchObject({ status: 412 });
    expect(sut.canUndo).toBe(false);
  });
});
