import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { AppConfig, APP_CONFIG } from '../config/config';
import { StoragePort, StoredObject } from './storage.port';

/** Files under STORAGE_DIR; keys are relative paths `<prefix>/<yyyy>/<uuid>`. Writes are atomic (tmp + rename). */
@Injectable()
export class LocalDiskStorage extends StoragePort {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.root = resolve(config.storageDir);
  }

  private pathOf(key: string): string {
    const p = resolve(this.root, key);
    if (!p.startsWith(this.root + sep)) throw new Error(`storage key escapes the storage root: ${key}`);
    return p;
  }

  async put(prefix: string, bytes: Buffer, contentType: string): Promise<StoredObject> {
    const safePrefix = prefix.replace(/[^a-z0-9/_-]/gi, '_').replace(/^\/+|\/+$/g, '');
    const key = `${safePrefix}/${new Date().getUTCFullYear()}/${randomUUID()}`;
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return { key, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, contentType };
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }
}

export function storageRoot(config: AppConfig): string {
  return join(config.storageDir);
}
