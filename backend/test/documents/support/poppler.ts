import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A decoded Netpbm image: P5 (grey, 1 channel) or P6 (colour, 3 channels), 8 bits per sample. */
export interface Pnm {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Buffer;
}

/** Parses the binary PGM/PPM that pdftoppm writes (header tokens may be separated by any whitespace or comments). */
export function parsePnm(buf: Buffer): Pnm {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]!))) pos++;
      if (buf[pos] === 0x23) while (pos < buf.length && buf[pos] !== 0x0a) pos++;
      else break;
    }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    return buf.toString('latin1', start, pos);
  };
  const magic = token();
  if (magic !== 'P5' && magic !== 'P6') throw new Error(`not a binary PGM/PPM: ${magic}`);
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  if (max !== 255) throw new Error(`unsupported maxval ${max}`);
  pos++; // the single whitespace byte after maxval
  const channels = magic === 'P5' ? 1 : 3;
  const data = buf.subarray(pos, pos + width * height * channels);
  if (data.length !== width * height * channels) throw new Error('truncated PNM');
  return { width, height, channels, data };
}

async function withPdfFile<T>(pdf: Buffer, fn: (dir: string, file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'qz-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    await writeFile(file, pdf);
    return await fn(dir, file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Text of the whole document, or of one page (1-based), via poppler's pdftotext. */
export function pdfText(pdf: Buffer, page?: number): Promise<string> {
  return withPdfFile(pdf, async (_dir, file) => {
    const args = page ? ['-f', String(page), '-l', String(page)] : [];
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', ...args, file, '-'], { maxBuffer: 64 << 20 });
    return stdout;
  });
}

export async function pdfPageCount(pdf: Buffer): Promise<number> {
  return withPdfFile(pdf, async (_dir, file) => {
    const { stdout } = await run('pdfinfo', [file]);
    const m = /^Pages:\s+(\d+)/m.exec(stdout);
    if (!m) throw new Error('pdfinfo gave no page count');
    return Number(m[1]);
  });
}

/** One page rasterised by pdftoppm: grey PGM (`-gray`) or colour PPM (the default), at `dpi`. */
export function renderPage(pdf: Buffer, page: number, opts: { dpi: number; gray?: boolean }): Promise<Pnm> {
  return withPdfFile(pdf, async (dir, file) => {
    const out = join(dir, 'page');
    await run('pdftoppm', [...(opts.gray ? ['-gray'] : []), '-r', String(opts.dpi), '-f', String(page), '-l', String(page), '-singlefile', file, out]);
    return parsePnm(await readFile(`${out}.${opts.gray ? 'pgm' : 'ppm'}`));
  });
}
