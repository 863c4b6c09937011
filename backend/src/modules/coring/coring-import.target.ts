import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ISO_WITH_OFFSET } from '../../infra/clock/time';
import { AppException } from '../../infra/http/app-exception';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal } from '../auth/roles';
import { ImportFeature, ImportTarget, ImportTargetRegistry } from '../imports/import-target.registry';
import { CODE_KEYS, DEPTH_KEYS, RESULT_KEYS, STRATIGRAPHY_KEYS, parseCoreResult, pickProperty } from './core-result';
import { CoreRow } from './coring.repository';
import { CORING_LAYER, CoringService, IMPORT_NEAR_ZONE_M } from './coring.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CORED_AT_KEYS = ['coredAt', 'cored_at', 'date', '日期', '钻探日期'] as const;

function badValue(index: number, field: string, value: unknown): AppException {
  return new AppException('cores_bad_value', 422, { index: index + 1, field, value: String(value) }, { featureIndex: index, field, value });
}

/**
 * Imported attributes → core rows. Attribute names in English or Chinese (code/编号, depth/深度,
 * result/结果 with 阴性/文化层/墓葬/遗迹/扰乱, stratigraphy/地层); a feature with a result is cored.
 */
export function coreRowsFromFeatures(features: ImportFeature[]): CoreRow[] {
  return features.map((f) => {
    const [lon, lat] = f.geometry.coordinates as number[];
    const props = f.properties ?? {};
    const rawResult = pickProperty(props, RESULT_KEYS);
    const result = parseCoreResult(rawResult);
    if (result === undefined) throw badValue(f.index, 'result/结果', rawResult);
    const rawDepth = pickProperty(props, DEPTH_KEYS);
    let depthM: number | null = null;
    if (rawDepth !== undefined) {
      depthM = Number(String(rawDepth).replace(/\s*m$/i, '').replace(/米$/, ''));
      if (!Number.isFinite(depthM) || depthM < 0 || depthM > 9999) throw badValue(f.index, 'depth/深度', rawDepth);
      depthM = Math.round(depthM * 100) / 100;
    }
    const rawCoredAt = pickProperty(props, CORED_AT_KEYS);
    let coredAt: string | null = null;
    if (rawCoredAt !== undefined && result !== null) {
      coredAt = String(rawCoredAt).trim();
      if (!ISO_WITH_OFFSET.test(coredAt) || Number.isNaN(Date.parse(coredAt))) throw badValue(f.index, 'coredAt/日期', rawCoredAt);
    }
    const code = pickProperty(props, CODE_KEYS);
    const strat = pickProperty(props, STRATIGRAPHY_KEYS);
    return {
      lon: lon!, lat: lat!,
      code: code === undefined ? null : String(code).trim().slice(0, 100),
      depthM, result,
      stratigraphy: strat === undefined ? null : String(strat).slice(0, 4000),
      coredAt,
    };
  });
}

/** Import target `cores`: Point features into an assessment (options `{ assessmentId }`). */
@Injectable()
export class CoringImportTarget implements ImportTarget, OnModuleInit {
  readonly name = 'cores';
  readonly geometryTypes = ['Point' as const];
  readonly layers = [CORING_LAYER];

  constructor(
    private readonly db: DataSource,
    private readonly coring: CoringService,
    private readonly audit: AuditService,
    private readonly registry: ImportTargetRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private assessmentId(options: Record<string, unknown>): string {
    const id = options.assessmentId;
    if (typeof id !== 'string' || !UUID.test(id)) {
      throw new AppException('validation_failed', 400, {}, [{ field: 'options.assessmentId', constraint: 'isUuid', fallback: 'assessmentId must be a UUID' }]);
    }
    return id;
  }

  async assertCanWrite(p: Principal, options: Record<string, unknown>): Promise<void> {
    const id = this.assessmentId(options);
    await this.db.transaction((m) => this.coring.assertCanWrite(m, p, id));
  }

  async commit(m: EntityManager, actor: Actor, features: ImportFeature[], options: Record<string, unknown>): Promise<{ written: number }> {
    const id = this.assessmentId(options);
    // checked again under the assessment's row lock: its state or team may have changed since the preview
    await this.coring.assertCanWrite(m, actor.principal!, id);
    const rows = coreRowsFromFeatures(features);
    const written = await this.coring.bulkInsert(m, id, rows, { recordedBy: actor.principal?.userId ?? null, nearZoneM: IMPORT_NEAR_ZONE_M });
    const cored = rows.filter((r) => r.result !== null).length;
    await this.audit.record(m, actor, {
      action: 'cores.import', entityType: 'assessment', entityId: id,
      after: { written, cored, planned: written - cored },
    });
    return { written };
  }
}
