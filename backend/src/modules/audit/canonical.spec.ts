import { GENESIS_HASH, canonicalJson, chainHash } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every level so equal objects serialise identically', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
  it('keeps Chinese text as is', () => {
    expect(canonicalJson({ 名称: '屯留' })).toBe('{"名称":"屯留"}');
  });
});

describe('chainHash', () => {
  const row = {
    id: '1', occurredAt: '2026-11-27T00:00:00.000Z', actorUserId: null, actorOrgId: null, actorLabel: 'seed', action: 'a',
    entityType: 'zone', entityId: 'z', reason: null, before: null, after: { n: 1 }, correlationId: null,
  };
  it('changes when the previous hash or any field changes', () => {
    const h = chainHash(GENESIS_HASH, row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash('1'.repeat(64), row)).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...row, after: { n: 2 } })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...row })).toBe(h);
  });
});
