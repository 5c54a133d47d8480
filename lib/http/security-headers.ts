/**
 * Response security headers, in one place for next.config.ts (static
 * headers) and proxy.ts (the per-request page policy with its nonce).
 */

/** On every response. */
export const COMMON_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
] as const;

/**
 * API answers (JSON, image files, zips, event streams) are never documents
 * that should run anything: if one is opened directly, nothing in it may
 * load, run or be framed.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/**
 * Pages: scripts only with this request's nonce (Next.js puts it on its own
 * script tags when it finds it in the request's CSP header) or loaded by such
 * a script ('strict-dynamic'), so injected markup cannot run script. Styles
 * stay 'unsafe-inline' because React style attributes cannot carry a nonce.
 * Development needs 'unsafe-eval' for React's error overlays.
 */
export function pageContentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
