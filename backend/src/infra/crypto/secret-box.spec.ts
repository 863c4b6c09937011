import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('k'.repeat(48));

  it('seals to an opaque, prefixed value that opens to the secret, differently each time', () => {
    const a = box.seal('whsec-0123456789abcdef');
    const b = box.seal('whsec-0123456789abcdef');
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('0123456789abcdef');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('whsec-0123456789abcdef');
    expect(box.open(b)).toBe('whsec-0123456789abcdef');
  });

  it('refuses a changed value and a value sealed under another key', () => {
    const sealed = box.seal('secret value');
    // flip one bit of each part in turn (iv, tag, ciphertext): GCM refuses every one
    for (const at of [0, 12, 28, 39]) {
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      raw[at]! ^= 1;
      expect(() => box.open('v1:' + raw.toString('base64url'))).toThrow();
    }
    expect(() => new SecretBox('x'.repeat(48)).open(sealed)).toThrow();
  });

  it('reads a value stored before sealing existed as it is', () => {
    expect(box.open('plain-legacy-secret-1234')).toBe('plain-legacy-secret-1234');
  });
});
