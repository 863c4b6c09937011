import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/roles';

export interface ReadableFile {
  bytes: Buffer;
  sha256: string;
  contentType: string;
  originalName: string | null;
}

/** A feature whose records own stored files: answers the file when the principal may read its owner, else null. */
export type FileSource = (principal: Principal, fileId: string) => Promise<ReadableFile | null>;

/**
 * `GET /api/files/{id}` is one route for every stored file; each feature that owns files (observation
 * photos, discovery photos, …) registers the same scope check its own reads use. A file no source
 * answers for is a 404.
 */
@Injectable()
export class FileSourceRegistry {
  private readonly sources = new Map<string, FileSource>();

  register(name: string, source: FileSource): void {
    if (this.sources.has(name)) throw new Error(`file source "${name}" registered twice`);
    this.sources.set(name, source);
  }

  async read(principal: Principal, fileId: string): Promise<ReadableFile | null> {
    for (const source of this.sources.values()) {
      const f = await source(principal, fileId);
      if (f) return f;
    }
    return null;
  }
}
