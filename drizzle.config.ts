import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/db/schema.ts", "./src/db/schema-views.ts"],
  out: "./migrations",
  strict: true,
  verbose: true,
});
