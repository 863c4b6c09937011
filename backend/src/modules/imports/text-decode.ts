import * as iconv from 'iconv-lite';

export type TextEncodingName = 'utf8' | 'gbk' | 'utf16le' | 'utf16be';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** True when nothing in the file said which encoding it uses and we fell back to GBK. */
  guessed: boolean;
}

const GBK_LABELS = /^(gbk|gb2312|gb18030|cp936|936|ms936|windows-936|euc-cn|x-gbk|ansi_936)$/i;

export function isGbkLabel(label: string): boolean {
  return GBK_LABELS.test(label.trim());
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** GBK decoding goes through GB18030, its superset, so rare characters outside GBK survive too. */
export function decodeGbk(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
}

/**
 * BOM first, then an explicit label (XML declaration, .cpg), then UTF-8 if the bytes are valid UTF-8,
 * else GBK — the encoding of Chinese Windows tools (Excel "CSV", older CAD and GIS exports).
 */
export function decodeText(buffer: Buffer, declared?: string | null): DecodedText {
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return { text: buffer.subarray(3).toString('utf8'), encoding: 'utf8', guessed: false };
  }
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return { text: iconv.decode(buffer.subarray(2), 'utf16le'), encoding: 'utf16le', guessed: false };
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return { text: iconv.decode(buffer.subarray(2), 'utf16be'), encoding: 'utf16be', guessed: false };
  }
  if (declared && isGbkLabel(declared)) return { text: decodeGbk(buffer), encoding: 'gbk', guessed: false };
  if (isValidUtf8(buffer)) return { text: buffer.toString('utf8'), encoding: 'utf8', guessed: false };
  return { text: decodeGbk(buffer), encoding: 'gbk', guessed: true };
}

/** The encoding named in an XML declaration, if any (`<?xml version="1.0" encoding="GB2312"?>`). */
export function xmlDeclaredEncoding(buffer: Buffer): string | null {
  const head = buffer.subarray(0, 200).toString('latin1');
  const match = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(head);
  return match?.[1] ?? null;
}
