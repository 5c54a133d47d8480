import type { Db } from "@/lib/db/client";
import { ZStudioSettings, type TStudioSettings } from "@/lib/schemas/admin";

const DEFAULTS: TStudioSettings = { signupOpen: true };

/** Studio-wide settings; rows that were never written read as their defaults. */
export async function getStudioSettings(db: Db): Promise<TStudioSettings> {
  const rows = await db.appSetting.findMany({ select: { key: true, value: true } });
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  return ZStudioSettings.parse({ ...DEFAULTS, ...stored });
}

export async function updateStudioSettings(db: Db, changes: Partial<TStudioSettings>): Promise<TStudioSettings> {
  await db.$transaction(
    Object.entries(changes).map(([key, value]) =>
      db.appSetting.upsert({ where: { key }, create: { key, value }, update: { value } }),
    ),
  );
  return getStudioSettings(db);
}
