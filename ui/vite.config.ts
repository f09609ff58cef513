// Vite builds the SPA into the Python package (src/mltrail/server/ui_static) so that
// `pip install` users get the UI without Node. MLTRAIL_UI_OUT_DIR overrides the output
// directory (for parallel builds); `npm run dev` proxies API calls to a running server.
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

const outDir = process.env.MLTRAIL_UI_OUT_DIR ?? resolve(import.meta.dirname, "../src/mltrail/server/ui_static");
const backend = process.env.MLTRAIL_UI_BACKEND ?? "http://127.0.0.1:5000";

export default defineConfig({
  base: "./",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      "/ajax-api": backend,
      "/api": backend,
      "/get-artifact": backend,
      "/model-versions/get-artifact": backend,
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
