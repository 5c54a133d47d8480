import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * Secrets the studio generates for itself on first start and keeps across
 * restarts (mode 0600 under MIRAGE_HOME): the auth signing secret and the
 * embedded Postgres password.
 */
const ZSecrets = z.object({ authSecret: z.string().min(32), postgresPassword: z.string().min(16) });
export type TSecrets = z.infer<typeof ZSecrets>;

export async function loadOrCreateSecrets(home: string): Promise<TSecrets> {
  const file = path.join(home, "secrets.json");
  const existing = await readFile(file, "utf8").then(
    (text) => ZSecrets.safeParse(JSON.parse(text)),
    () => null,
  );
  if (existing?.success) return existing.data;
  const secrets = { authSecret: randomBytes(32).toString("hex"), postgresPassword: randomBytes(18).toString("base64url") };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
