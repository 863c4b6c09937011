import { hashPassword, passwordMeetsPolicy, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one; salts differ', async () => {
    const a = await hashPassword('Qianzhi@2026');
    const b = await hashPassword('Qianzhi@2026');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('Qianzhi@2026', a)).toBe(true);
    expect(await verifyPassword('Qianzhi@2027', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
  it('applies the configurable policy', () => {
    const policy = { minLength: 10, requireClasses: 3 };
    expect(passwordMeetsPolicy('Qianzhi@2026', policy)).toBe(true);
    expect(passwordMeetsPolicy('qianzhi2026', policy)).toBe(false);
    expect(passwordMeetsPolicy('Qz@1', policy)).toBe(false);
    expect(passwordMeetsPolicy('qianzhi2026', { minLength: 8, requireClasses: 2 })).toBe(true);
  });
});
