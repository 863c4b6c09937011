import type { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { malformed } from './import-errors';
import { decodeText, xmlDeclaredEncoding } from './text-decode';

/** Parses KML/GPX text; any XML error is the user's malformed file, not our 500. */
/** The DOM type togeojson expects; the backend compiles without lib.dom, xmldom provides the object. */
export type XmlDocument = Parameters<typeof kml>[0];

export function parseXmlDocument(buffer: Buffer, format: string): XmlDocument {
  const { text } = decodeText(buffer, xmlDeclaredEncoding(buffer));
  try {
    const parser = new DOMParser({
      onError: (level: string, message: string) => {
        if (level !== 'warning') throw new Error(message);
      },
    });
    // strip the declaration: the text is already decoded, its encoding label would mislead nothing but is noise
    const doc = parser.parseFromString(text.replace(/^\s*<\?xml[^>]*\?>/, ''), 'text/xml');
    return doc as unknown as XmlDocument;
  } catch (error) {
    throw malformed(format, error instanceof Error ? error.message.split('\n')[0] ?? 'invalid XML' : 'invalid XML', error);
  }
}
