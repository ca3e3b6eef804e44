import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The PostgreSQL server of the run, for the tests that need one (see test/support/postgres-global.ts).
    globalSetup: ["test/support/postgres-global.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
