import { defineConfig } from 'vite';

// The bundle goes where Maven packs classpath resources, so the jar serves it (StaticFiles).
export default defineConfig({
  base: './',
  build: {
    outDir: '../target/classes/dev/cairn/ui/static',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 400,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  server: { proxy: { '/api': 'http://127.0.0.1:7777' } },
});
