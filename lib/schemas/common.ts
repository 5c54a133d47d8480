import "@/lib/zod-jitless";
import { z } from "zod";

export const ZErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "UNAUTHORIZED" }),
      message: z.string().meta({ example: "Sign in, or send an API token as `Authorization: Bearer <token>`." }),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: "Error" });

export const ZRole = z.enum(["user", "admin"]);
export type TRole = z.infer<typeof ZRole>;

/*
 * Strings and dates that reach Postgres. Postgres refuses NUL in text
 * (22021), invalid UTF-8 such as a lone surrogate encodes to (22P05 / 22021)
 * and dates outside what it stores (22008), and each of those used to surface
 * as a 500. Every request schema builds its strings, ids and dates from these,
 * so such input is a 400 that names the field, whatever route it came in by.
 */

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls other than tab, newline and carriage return, and DEL.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Why a string cannot be stored, or null when it can. */
export function unsafeStringReason(value: string): string | null {
  if (value.includes("\u0000")) return "must not contain NUL characters";
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode (it has a lone surrogate)";
  if (CONTROL.test(value)) return "must not contain control characters";
  return null;
}

/** Any user text (names, prompts, messages, search words): no NUL, control characters or lone surrogates. */
export const ZSafeString = z.string().check((ctx) => {
  const reason = unsafeStringReason(ctx.value);
  if (reason) ctx.issues.push({ code: "custom", message: reason, input: ctx.value });
});

/** Trimmed, non-empty, at most `max` characters; `label` names the field in messages. */
export function safeText(label: string, max: number) {
  return ZSafeString.trim()
    .min(1, { error: `${label} must not be empty` })
    .max(max, { error: `${label} must be at most ${max} characters` });
}

/** Ids in paths and bodies: uuids and better-auth ids, nothing that needs escaping. */
export const ZId = z.string().regex(/^[\w-]{1,64}$/, { error: "must be an id (letters, digits, - and _)" });

/** Paging cursors are the id of the last item seen. */
export const ZCursor = ZId.meta({ description: "nextCursor from the previous page" });

export const MIN_DATE = "1900-01-01";
export const MAX_DATE = "9999-12-31";

/** A calendar day, `YYYY-MM-DD`, between 1900-01-01 and 9999-12-31 (Postgres has no year 0). */
export function dayString(label: string) {
  return z.iso
    .date({ error: `${label} must be a date (YYYY-MM-DD)` })
    .refine((day) => day >= MIN_DATE && day <= MAX_DATE, { error: `${label} must be between ${MIN_DATE} and ${MAX_DATE}` });
}
