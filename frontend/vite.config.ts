// Build and test configuration. Preact's JSX goes through Oxc's automatic runtime, so no
// framework plugin is needed. `npm run dev` proxies the API to a local backend.
import { defineConfig } from "vitest/config";

const apiOrigin = process.env.TD_API_ORIGIN ?? "http://localhost:8000";

export default defineConfig({
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  build: {
    outDir: "dist",
    target: "es2022",
    sourcemap: true,
  },
  server: {
    proxy: {
      "/api": apiOrigin,
      "/config.json": apiOrigin,
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
