import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartBody {
  body: Buffer;
  headers: Record<string, string>;
}

const fieldPart = (boundary: string, name: string, value: string): Buffer =>
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);

const fileHead = (boundary: string, filename: string): Buffer =>
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);

/** A multipart/form-data body as a browser sends it: option fields first, then the file. */
export function multipart(file: { filename: string; data: Buffer } | null, fields: Record<string, string> = {}): MultipartBody {
  const boundary = `----qianzhi-${randomUUID()}`;
  const parts = Object.entries(fields).map(([k, v]) => fieldPart(boundary, k, v));
  if (file) parts.push(fileHead(boundary, file.filename), file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * A multipart upload of `size` bytes produced lazily, 1 MiB at a time, with no Content-Length (as a
 * chunked upload arrives): the server has to count while it reads. `produced()` tells how much was pulled.
 */
export function streamingUpload(filename: string, size: number): { stream: Readable; headers: Record<string, string>; produced: () => number } {
  const boundary = `----qianzhi-${randomUUID()}`;
  const chunk = Buffer.alloc(1024 * 1024, 0x41);
  let produced = 0;
  async function* generate(): AsyncGenerator<Buffer> {
    yield fileHead(boundary, filename);
    while (produced < size) {
      const n = Math.min(chunk.length, size - produced);
      produced += n;
      yield n === chunk.length ? chunk : chunk.subarray(0, n);
    }
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return { stream: Readable.from(generate()), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, produced: () => produced };
}
