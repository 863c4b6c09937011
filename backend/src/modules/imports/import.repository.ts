import { Injectable } from '@nestjs/common';
import type { FeatureCollection } from 'geojson';
import { DataSource, EntityManager } from 'typeorm';
import { GeoJsonGeometry } from '../spatial/geojson';
import type { CrsSource, ImportFormat, ImportWarning } from './parsed-layer';

export interface ImportRecord {
  id: string;
  createdBy: string;
  filename: string;
  format: ImportFormat;
  crsEpsg: number;
  crsDetectedFrom: CrsSource | null;
  repaired: boolean;
  warnings: ImportWarning[];
  featureCount: number;
  createdAt: Date;
  expiresAt: Date;
  committedAt: Date | null;
  committedTarget: string | null;
  committedCount: number | null;
}

export interface NewImport {
  createdBy: string;
  filename: string;
  format: ImportFormat;
  crsEpsg: number;
  crsDetectedFrom: CrsSource | null;
  repaired: boolean;
  features: FeatureCollection;
  warnings: ImportWarning[];
  createdAt: Date;
  expiresAt: Date;
}

/** One stored feature as the commit step reads it back. */
export interface StoredFeature {
  index: number;
  geometry: GeoJsonGeometry;
  properties: Record<string, unknown>;
  /** validity of the geometry as it came from the file (before any repair) */
  valid: boolean;
  empty: boolean;
}

interface ImportRow {
  id: string;
  created_by: string;
  filename: string;
  format: ImportFormat;
  crs_epsg: number;
  crs_detected_from: CrsSource | null;
  repaired: boolean;
  warnings: ImportWarning[];
  feature_count: number;
  created_at: Date;
  expires_at: Date;
  committed_at: Date | null;
  committed_target: string | null;
  committed_count: number | null;
}

const COLUMNS = `id, created_by, filename, format, crs_epsg, crs_detected_from, repaired, warnings, feature_count,
                 created_at, expires_at, committed_at, committed_target, committed_count`;

function mapRow(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    createdBy: r.created_by,
    filename: r.filename,
    format: r.format,
    crsEpsg: r.crs_epsg,
    crsDetectedFrom: r.crs_detected_from,
    repaired: r.repaired,
    warnings: r.warnings,
    featureCount: r.feature_count,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    committedAt: r.committed_at,
    committedTarget: r.committed_target,
    committedCount: r.committed_count,
  };
}

@Injectable()
export class ImportRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Housekeeping run with each preview (two indexed statements): uncommitted previews go once expired;
   * committed ones keep their record (who imported what, when, where to) but drop the feature copy.
   */
  async purgeExpired(now: Date): Promise<void> {
    await this.db.query(`DELETE FROM imports WHERE expires_at < $1 AND committed_at IS NULL`, [now]);
    await this.db.query(`UPDATE imports SET features = NULL WHERE expires_at < $1 AND committed_at IS NOT NULL AND features IS NOT NULL`, [now]);
  }

  async insert(i: NewImport): Promise<string> {
    const rows: Array<{ id: string }> = await this.db.query(
      `INSERT INTO imports (created_by, filename, format, crs_epsg, crs_detected_from, repaired, features, warnings, feature_count, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11)
       RETURNING id`,
      [i.createdBy, i.filename, i.format, i.crsEpsg, i.crsDetectedFrom, i.repaired, JSON.stringify(i.features), JSON.stringify(i.warnings),
        i.features.features.length, i.createdAt, i.expiresAt],
    );
    return rows[0]!.id;
  }

  async findById(m: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<ImportRecord | null> {
    const rows: ImportRow[] = await m.query(`SELECT ${COLUMNS} FROM imports WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? mapRow(rows[0]) : null;
  }

  /** The chosen features (all when `indexes` is null), in file order; `_valid` moves out of the properties. */
  async selectFeatures(m: EntityManager, id: string, indexes: number[] | null): Promise<StoredFeature[]> {
    const rows: Array<{ idx: number; geometry: GeoJsonGeometry; properties: Record<string, unknown> | null; valid: boolean; empty: boolean }> = await m.query(
      `SELECT (f.ordinality - 1)::int AS idx,
              f.value -> 'geometry' AS geometry,
              (f.value -> 'properties') - '_valid' AS properties,
              coalesce((f.value #>> '{properties,_valid}')::boolean, true) AS valid,
              coalesce(jsonb_array_length(f.value #> '{geometry,coordinates}') = 0, false) AS empty
         FROM imports i, jsonb_array_elements(i.features -> 'features') WITH ORDINALITY AS f(value, ordinality)
        WHERE i.id = $1 AND ($2::int[] IS NULL OR (f.ordinality - 1) = ANY($2::int[]))
        ORDER BY f.ordinality`,
      [id, indexes],
    );
    return rows.map((r) => ({ index: r.idx, geometry: r.geometry, properties: r.properties ?? {}, valid: r.valid, empty: r.empty }));
  }

  /** Compare-and-set: 0 rows means someone committed it in the meantime. */
  async markCommitted(m: EntityManager, id: string, at: Date, target: string, count: number): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected]
    const [, affected] = (await m.query(
      `UPDATE imports SET committed_at = $2, committed_target = $3, committed_count = $4
        WHERE id = $1 AND committed_at IS NULL`,
      [id, at, target, count],
    )) as [unknown[], number];
    return affected === 1;
  }
}
