import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/roles';
import { BBox } from '../spatial/bbox';

export interface LayerQuery {
  bbox: BBox | null;
  /** extra query parameters a layer understands (e.g. planId for zoning-areas) */
  params: Record<string, string | undefined>;
}

/**
 * A map layer served both as vector tiles and as bbox GeoJSON. Each provider applies the caller's scope
 * inside its SQL; a caller who may see nothing gets an empty tile or collection, never an error.
 */
export interface LayerProvider {
  name: string;
  /** FeatureCollection JSON text (built in SQL) */
  geojson(p: Principal, q: LayerQuery): Promise<string>;
  /** Mapbox Vector Tile bytes (ST_AsMVT); empty buffer when nothing is visible */
  tile(p: Principal, z: number, x: number, y: number, q: LayerQuery): Promise<Buffer>;
}

@Injectable()
export class LayerRegistry {
  private readonly layers = new Map<string, LayerProvider>();

  register(provider: LayerProvider): void {
    if (this.layers.has(provider.name)) throw new Error(`layer "${provider.name}" registered twice`);
    this.layers.set(provider.name, provider);
  }

  get(name: string): LayerProvider | undefined {
    return this.layers.get(name);
  }

  names(): string[] {
    return [...this.layers.keys()];
  }
}
