import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { precompress } from './vite-precompress.js';

/** Where `npm run dev` sends API and WebSocket traffic: a running `cricket serve`. */
const backend = process.env.CRICKET_URL ?? 'http://127.0.0.1:8080';

/**
 * The dev server's proxy drops the `Origin` header: the chat server only accepts same-origin
 * state-changing requests, and requests without an Origin (like curl's) pass its check.
 */
const proxy = (ws = false): ProxyOptions => ({
  target: backend,
  changeOrigin: true,
  ws,
  configure: (server) => {
    server.on('proxyReq', (request) => request.removeHeader('origin'));
    server.on('proxyReqWs', (request) => request.removeHeader('origin'));
  },
});

export default defineConfig({
  // Relative asset URLs: the same build works at `/` and under `cricket serve --root /prefix/`.
  base: './',
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Highlighting grammars are lazy chunks; only the app shell is on the critical path.
    chunkSizeWarningLimit: 700,
  },
  // ES module workers: the highlighting worker loads each grammar as its own chunk.
  worker: { format: 'es' },
  server: {
    proxy: {
      '/chat': proxy(),
      '/api': proxy(),
      '/timeline': proxy(),
      '/turns': proxy(),
      '/healthz': proxy(),
      '/ws': proxy(true),
    },
  },
});
