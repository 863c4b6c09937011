import type { LineString, Polygon } from 'geojson';

/**
 * Undo/redo of a draft plan's area edits, kept in the client as a stack of commands whose inverses are replayed
 * through the same API (there is no server-side history to rewind).
 *
 * Concurrency: every call carries the ETag that the stack's own last call produced, never a freshly reloaded
 * one, so an undo or redo after someone else changed the plan is refused by the server (412, or 409 once the
 * plan is no longer a draft) instead of silently overwriting their change. A refusal, or a plan the workspace
 * reloads with an ETag the stack did not produce, empties the history.
 *
 * Ids: re-creating an area (undoing a delete or a split, redoing a draw) gives it a new server id. Commands
 * name areas by the id they had when the command was first run ("ref"); the stack maps each ref to the area's
 * current id.
 */

export type Category = 'avoidance' | 'exploration' | 'release';

export interface EvidenceRef {
  type: 'relic' | 'core' | 'observation';
  id: string;
}

/** Everything needed to create an area again. */
export interface AreaSnapshot {
  category: Category;
  geometry: Polygon;
  rationale: string | null;
  label: string | null;
  evidence: EvidenceRef[];
}

export type AreaPatch = Partial<Pick<AreaSnapshot, 'category' | 'geometry' | 'rationale' | 'label'>>;

/** One primitive change. `ref` names an area by its first id (see above). */
export type EditOp =
  | { kind: 'add'; ref: string; area: AreaSnapshot }
  | { kind: 'remove'; ref: string; area: AreaSnapshot }
  | { kind: 'update'; ref: string; before: AreaPatch; after: AreaPatch }
  /** cut `ref` along `line` into `parts` (refs, in the order the server returns the pieces) */
  | { kind: 'split'; ref: string; area: AreaSnapshot; line: LineString; parts: string[] }
  /** the inverse of a split: remove the parts, create the original area again */
  | { kind: 'unsplit'; ref: string; area: AreaSnapshot; line: LineString; parts: string[] };

/** A first run of an edit, before refs are known: areas by their current server ids; a new area has no id yet. */
export type EditRequest =
  | { kind: 'add'; area: AreaSnapshot }
  | { kind: 'remove'; id: string; area: AreaSnapshot }
  | { kind: 'update'; id: string; before: AreaPatch; after: AreaPatch }
  | { kind: 'split'; id: string; area: AreaSnapshot; line: LineString };

/** What the server answers to an edit: the plan's area ids and the ETag for the next edit. */
export interface PlanVersion {
  etag: string;
  areaIds: readonly string[];
}

/** The API, one call per primitive change; each sends `etag` as If-Match and rejects with the server's error. */
export interface EditPort<P extends PlanVersion> {
  add(etag: string, area: AreaSnapshot): Promise<P>;
  update(etag: string, id: string, patch: AreaPatch): Promise<P>;
  remove(etag: string, id: string): Promise<P>;
  /** the new pieces' ids in the server's order */
  split(etag: string, id: string, line: LineString): Promise<{ plan: P; pieces: string[] }>;
}

export type EditKind = 'draw' | 'reshape' | 'split' | 'delete' | 'recategorise' | 'edit';

export interface HistoryEntry {
  kind: EditKind;
  ops: EditOp[];
}

/** The server refused (or a step failed half-way): the plan is not what the history believed. */
export class HistoryBrokenError extends Error {
  constructor(override readonly cause: unknown, readonly partial: boolean) {
    super(partial ? 'an undo/redo failed half-way' : 'the plan changed elsewhere');
    this.name = 'HistoryBrokenError';
  }
}

export function invert(op: EditOp): EditOp {
  switch (op.kind) {
    case 'add':
      return { kind: 'remove', ref: op.ref, area: op.area };
    case 'remove':
      return { kind: 'add', ref: op.ref, area: op.area };
    case 'update':
      return { kind: 'update', ref: op.ref, before: op.after, after: op.before };
    case 'split':
      return { kind: 'unsplit', ref: op.ref, area: op.area, line: op.line, parts: op.parts };
    case 'unsplit':
      return { kind: 'split', ref: op.ref, area: op.area, line: op.line, parts: op.parts };
  }
}

/** How the server said no: a stale ETag or a plan that left the draft state. Anything else leaves the plan as it was. */
export type IsConflict = (error: unknown) => boolean;

export class EditHistory<P extends PlanVersion> {
  private done: HistoryEntry[] = [];
  private undone: HistoryEntry[] = [];
  /** ref → current server id, only for areas re-created under a new id */
  private current = new Map<string, string>();
  /** the ETag the last call of this stack produced; null until the first edit */
  private etag: string | null = null;
  /** the area ids of the plan that call answered (to tell which area an add created) */
  private areaIds: readonly string[] = [];
  private listeners = new Set<() => void>();

  constructor(
    private readonly port: EditPort<P>,
    private readonly isConflict: IsConflict,
    private readonly limit = 100,
  ) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  /** what the next undo / redo would revert / repeat */
  get undoKind(): EditKind | null {
    return this.done.at(-1)?.kind ?? null;
  }
  get redoKind(): EditKind | null {
    return this.undone.at(-1)?.kind ?? null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The workspace shows a plan: if the stack did not produce its ETag (a reload after someone else's edit, a
   * workflow action), the history no longer describes the way back and is dropped.
   */
  observe(etag: string): void {
    if (this.etag !== null && etag !== this.etag) this.clear();
  }

  clear(): void {
    const had = this.done.length + this.undone.length > 0;
    this.done = [];
    this.undone = [];
    this.current.clear();
    this.etag = null;
    this.areaIds = [];
    if (had) this.emit();
  }

  /** Runs a new edit from the plan the user sees, records it, and forgets what had been undone. */
  async run(kind: EditKind, from: PlanVersion, requests: EditRequest[]): Promise<P> {
    if (this.etag !== null && from.etag !== this.etag) this.clear();
    this.etag = from.etag;
    this.areaIds = from.areaIds;
    const ops: EditOp[] = [];
    let plan: P | null = null;
    try {
      for (const request of requests) {
        switch (request.kind) {
          case 'add': {
            const id = await this.call((etag) => this.port.add(etag, request.area), (p) => (plan = p)).then(() => this.created());
            ops.push({ kind: 'add', ref: this.refOf(id), area: request.area });
            break;
          }
          case 'remove':
            await this.call((etag) => this.port.remove(etag, request.id), (p) => (plan = p));
            ops.push({ kind: 'remove', ref: this.refOf(request.id), area: request.area });
            break;
          case 'update':
            await this.call((etag) => this.port.update(etag, request.id, request.after), (p) => (plan = p));
            ops.push({ kind: 'update', ref: this.refOf(request.id), before: request.before, after: request.after });
            break;
          case 'split': {
            let pieces: string[] = [];
            await this.call(
              (etag) => this.port.split(etag, request.id, request.line).then((r) => ((pieces = r.pieces), r.plan)),
              (p) => (plan = p),
            );
            ops.push({ kind: 'split', ref: this.refOf(request.id), area: request.area, line: request.line, parts: pieces.map((p) => this.refOf(p)) });
            break;
          }
        }
      }
    } finally {
      // what went through is recorded, even when a later step of a multi-step edit failed
      if (ops.length > 0) this.push({ kind, ops });
      else if (this.done.length === 0 && this.undone.length === 0) this.etag = null;
    }
    return plan!;
  }

  /** One API call with the stack's ETag; remembers the ETag and area ids it answers. */
  private async call(request: (etag: string) => Promise<P>, seen?: (plan: P) => void): Promise<P> {
    this.lastIds = this.areaIds;
    const plan = await request(this.etag!);
    this.etag = plan.etag;
    this.areaIds = plan.areaIds;
    seen?.(plan);
    return plan;
  }

  /** ids of the plan before the last call */
  private lastIds: readonly string[] = [];

  /** The one area the last call (an add) created. */
  private created(): string {
    const before = new Set(this.lastIds);
    const created = this.areaIds.filter((id) => !before.has(id));
    if (created.length !== 1) throw new Error('EditHistory: could not tell which area was created');
    return created[0]!;
  }

  /** Reverts the last edit; null when there is none. Rejects with HistoryBrokenError when the server refused. */
  async undo(): Promise<P | null> {
    const entry = this.done.at(-1);
    if (!entry) return null;
    const plan = await this.replay([...entry.ops].reverse().map(invert));
    this.done.pop();
    this.undone.push(entry);
    this.emit();
    return plan;
  }

  /** Repeats the last undone edit; null when there is none. */
  async redo(): Promise<P | null> {
    const entry = this.undone.at(-1);
    if (!entry) return null;
    const plan = await this.replay(entry.ops);
    this.undone.pop();
    this.done.push(entry);
    this.emit();
    return plan;
  }

  private async replay(ops: EditOp[]): Promise<P> {
    if (this.etag === null) throw new Error('EditHistory: nothing recorded');
    let plan: P | null = null;
    let steps = 0;
    try {
      for (const op of ops) {
        for (const step of this.steps(op)) {
          plan = await this.call(step);
          step.after?.();
          steps++;
        }
      }
    } catch (error) {
      // refused before anything changed and not a conflict (e.g. the network down): the history still holds
      if (steps === 0 && !this.isConflict(error)) throw error;
      this.clear();
      throw new HistoryBrokenError(error, steps > 0);
    }
    return plan!;
  }

  /** The API calls of one op, each sent with the ETag the previous one produced. */
  private steps(op: EditOp): Array<((etag: string) => Promise<P>) & { after?: () => void }> {
    const create = (ref: string, area: AreaSnapshot) =>
      Object.assign((etag: string) => this.port.add(etag, area), { after: () => this.bind(ref, this.created()) });
    switch (op.kind) {
      case 'add':
        return [create(op.ref, op.area)];
      case 'remove':
        return [(etag) => this.port.remove(etag, this.idOf(op.ref))];
      case 'update':
        return [(etag) => this.port.update(etag, this.idOf(op.ref), op.after)];
      case 'split':
        return [
          async (etag) => {
            const { plan, pieces } = await this.port.split(etag, this.idOf(op.ref), op.line);
            if (pieces.length !== op.parts.length) throw new Error(`split gave ${pieces.length} pieces, expected ${op.parts.length}`);
            op.parts.forEach((ref, i) => this.bind(ref, pieces[i]!));
            return plan;
          },
        ];
      case 'unsplit':
        return [...op.parts.map((ref) => (etag: string) => this.port.remove(etag, this.idOf(ref))), create(op.ref, op.area)];
    }
  }

  private bind(ref: string, id: string): void {
    if (ref === id) this.current.delete(ref);
    else this.current.set(ref, id);
  }

  idOf(ref: string): string {
    return this.current.get(ref) ?? ref;
  }

  /** the ref an area known by its current id goes by in the recorded commands */
  refOf(id: string): string {
    for (const [ref, now] of this.current) if (now === id) return ref;
    return id;
  }

  private push(entry: HistoryEntry): void {
    this.done.push(entry);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    this.emit();
  }

  private emit(): void {
    this.listeners.forEach((l) => l());
  }
}
