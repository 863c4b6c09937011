import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/audit.service';
import { Principal } from '../auth/roles';
import { GeoJsonGeometry, GeoJsonGeometryType } from '../spatial/geojson';

/** One feature of a previewed import, already in EPSG:4490 lon/lat. */
export interface ImportFeature {
  index: number;
  geometry: GeoJsonGeometry;
  properties: Record<string, unknown>;
}

/**
 * A layer that accepts imported features (zone boundary, survey tracks, observations, cores, relics,
 * zoning areas, parcels …). The import service checks the geometry types, then calls `commit` inside the
 * one transaction that writes every chosen feature — or none.
 */
export interface ImportTarget {
  name: string;
  geometryTypes: GeoJsonGeometryType[];
  /** map layers whose cached tiles the import service invalidates once the commit transaction is done */
  layers?: string[];
  /** throws 403/404/409 unless the principal may write into this target with these options */
  assertCanWrite(p: Principal, options: Record<string, unknown>): Promise<void>;
  /** writes the features (multi-row SQL, not a loop of INSERTs) and audits; returns how many rows it wrote */
  commit(m: EntityManager, actor: Actor, features: ImportFeature[], options: Record<string, unknown>): Promise<{ written: number; ids?: string[] }>;
}

@Injectable()
export class ImportTargetRegistry {
  private readonly targets = new Map<string, ImportTarget>();

  register(target: ImportTarget): void {
    if (this.targets.has(target.name)) throw new Error(`import target "${target.name}" registered twice`);
    this.targets.set(target.name, target);
  }

  get(name: string): ImportTarget | undefined {
    return this.targets.get(name);
  }

  names(): string[] {
    return [...this.targets.keys()];
  }
}
