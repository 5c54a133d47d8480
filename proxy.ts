import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy } from "@/lib/http/security-headers";

/**
 * A fresh nonce and Content-Security-Policy for every page request. Next.js
 * reads the policy from the request headers while it renders and puts the
 * nonce on its script tags; the same policy goes out on the response. /api and
 * the protocol APIs (/v1, /sdapi, /mcp: lib/protocols) are left out: their
 * policy is static (next.config.ts), and a proxy on them would make Next.js
 * buffer request bodies before the routes' own size caps.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = pageContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Where the visitor was going, so a page that needs a sign-in can come back to it (lib/server/session.ts).
  requestHeaders.set("x-mirage-path", request.nextUrl.pathname + request.nextUrl.search);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|v1/|sdapi/|mcp$|_next/static|_next/image|favicon.ico|icon|apple-touch-icon|manifest.webmanifest).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
