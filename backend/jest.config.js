/** Backend tests: unit specs next to the code, integration/API specs in test/ against real PostGIS and Redis. */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true, diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // the full demo seed (zoning with two issued opinions and a commitment letter, rendered as PDFs) runs in
  // each test file's beforeAll; on a loaded 2-core machine that alone can take half a minute
  testTimeout: 180000,
  maxWorkers: 2,
};
