import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The shim templates and Python helpers are text, as esbuild bundles them (scripts/build.mjs).
  plugins: [
    {
      name: 'shell-templates-as-text',
      transform: (code, id) => (/\.(sh|fish|py)$/.test(id) ? `export default ${JSON.stringify(code)};` : undefined),
    },
  ],
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Builds the wheels, writes shims with the built binary, and guards the system site-packages.
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
