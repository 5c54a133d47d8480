// Prisma CLI configuration. Mirage applies migrations itself (lib/db/migrate.ts,
// through Prisma's WebAssembly schema engine), so the CLI is only used for
// `prisma generate` here; `prisma migrate deploy` also works where the native
// engine is available.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../prisma/schema.prisma",
  migrations: { path: "../prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/mirage" },
});
