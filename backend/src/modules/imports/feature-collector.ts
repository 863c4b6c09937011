import type { Geometry } from 'geojson';
import { ImportError } from './import-errors';
import type { ImportLimits } from './import-limits';
import type { ImportWarning, ParsedFeature } from './parsed-layer';
import { countVertices, normalizeGeometry } from './geometry-coords';

/**
 * Every parser pushes its features through one collector, so the feature and vertex limits are the same
 * code path for every format and stop a parse as soon as they are exceeded (not after it).
 */
export class FeatureCollector {
  readonly features: ParsedFeature[] = [];
  private totalVertices = 0;
  private readonly skipped = new Map<string, number>();

  constructor(private readonly limits: ImportLimits) {}

  add(geometry: unknown, properties: Record<string, unknown> = {}): void {
    const normalized = normalizeGeometry(geometry);
    if (typeof normalized === 'string') {
      this.skip(normalized);
      return;
    }
    this.addValid(normalized, properties);
  }

  skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  private addValid(geometry: Geometry, properties: Record<string, unknown>): void {
    if (this.features.length >= this.limits.maxFeatures) {
      throw new ImportError('too_many_features', { limit: this.limits.maxFeatures });
    }
    const vertices = countVertices(geometry);
    if (vertices > this.limits.maxVerticesPerFeature) {
      throw new ImportError('too_many_vertices', {
        limitKind: 'per_feature',
        limit: this.limits.maxVerticesPerFeature,
        featureNumber: this.features.length + 1,
      });
    }
    this.totalVertices += vertices;
    if (this.totalVertices > this.limits.maxTotalVertices) {
      throw new ImportError('too_many_vertices', { limitKind: 'total', limit: this.limits.maxTotalVertices });
    }
    this.features.push({ geometry, properties });
  }

  skippedWarnings(): ImportWarning[] {
    if (this.skipped.size === 0) return [];
    const count = [...this.skipped.values()].reduce((a, b) => a + b, 0);
    const detail = [...this.skipped.entries()].map(([reason, n]) => `${reason} × ${n}`).join('; ');
    return [{ code: 'features_skipped', params: { count, detail } }];
  }
}
