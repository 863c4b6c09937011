import { mergeConfig, defineConfig } from 'vitest/config';
import viteConfig from './vite.config';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      include: ['src/**/*.spec.{ts,tsx}'],
      setupFiles: ['src/test/setup-jsdom.ts'],
      // OpenLayers ships ESM only; let Vite transform it for the Node test runner.
      server: { deps: { inline: ['ol'] } },
    },
  }),
);
