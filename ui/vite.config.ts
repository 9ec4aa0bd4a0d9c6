import { defineConfig } from 'vitest/config';

// Tauri loads the dev server on a fixed port and the built files from ui/dist.
export default defineConfig({
  clearScreen: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  server: { port: 1420, strictPort: true, host: 'localhost' },
  preview: { port: 1420, strictPort: true },
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline <script>, no data: module preload polyfill; CSS goes to its own file (strict CSP).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
