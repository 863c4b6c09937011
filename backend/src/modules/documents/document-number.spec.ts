import { formatDocumentNumber, parseDocumentNumber } from './document-number';

describe('formatDocumentNumber', () => {
  it('prints the year in full-width hexagonal brackets 〔〕 and ends with 号', () => {
    const sut = formatDocumentNumber('晋文物函', 2026, 12);
    expect(sut).toBe('晋文物函〔2026〕12号');
    expect(sut).not.toMatch(/[\[\]【】()]/);
  });

  it('round-trips through parseDocumentNumber and rejects look-alikes', () => {
    expect(parseDocumentNumber('晋文物函〔2027〕1号')).toEqual({ series: '晋文物函', year: 2027, seq: 1 });
    expect(parseDocumentNumber('晋文物函[2027]1号')).toBeNull();
    expect(parseDocumentNumber('晋文物函〔2027〕01号')).toBeNull();
  });

  it('refuses a sequence below 1', () => {
    expect(() => formatDocumentNumber('晋文物函', 2026, 0)).toThrow(RangeError);
  });
});
