/**
 * Where files (photos, issued PDFs, uploads) live. Jobs and rows carry only the storage key and the
 * SHA-256, never the bytes. One adapter today (local disk); an S3-compatible adapter plugs in here.
 */
export abstract class StoragePort {
  /** Stores the bytes under a new key built from `prefix`; returns the key, size and SHA-256 (hex). */
  abstract put(prefix: string, bytes: Buffer, contentType: string): Promise<StoredObject>;
  abstract get(key: string): Promise<Buffer>;
  abstract exists(key: string): Promise<boolean>;
}

export interface StoredObject {
  key: string;
  sha256: string;
  bytes: number;
  contentType: string;
}
