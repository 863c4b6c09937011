import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/roles';

export interface HistorySource {
  /** audit entity_type of the documents in this collection */
  entityType: string;
  /** throws (403/404) unless the principal may read the document */
  assertCanRead(principal: Principal, id: string): Promise<void>;
}

/**
 * `GET /api/<collection>/<id>/history` is one route for every document type; each feature module
 * registers its collection here with the same read check its own GET uses.
 */
@Injectable()
export class HistoryRegistry {
  private readonly sources = new Map<string, HistorySource>();

  register(collection: string, source: HistorySource): void {
    if (this.sources.has(collection)) throw new Error(`history collection "${collection}" registered twice`);
    this.sources.set(collection, source);
  }

  get(collection: string): HistorySource | undefined {
    return this.sources.get(collection);
  }
}
