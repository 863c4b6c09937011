/**
 * Browser journeys: `npx jest -c e2e/jest.config.js` from the repository root, after `npm run build`
 * (the journeys start the built backend, which serves the built frontend).
 */
module.exports = {
  rootDir: __dirname,
  testMatch: ['**/*.e2e.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 120000,
  // Each journey starts its own server and database; a few at a time keeps Chromium and Postgres responsive.
  maxWorkers: 2,
};
