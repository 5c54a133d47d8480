import { z } from "zod";

/**
 * In the browser, zod must not try to compile parsers. Its first object
 * schema probes whether eval is allowed (`Function("")`); the pages' CSP
 * forbids eval, so the probe is blocked and reported as a CSP violation in
 * the browser's Issues panel (Lighthouse's best-practices audit counts it),
 * and compiling would be refused anyway. The probe runs when the first object
 * schema is built, so this module is imported before any schema: first by
 * the root layout's client provider (components/query/query-provider.tsx),
 * and by lib/schemas/common.ts. The server keeps compiled parsers: no CSP
 * applies there.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
