import { toNextJsHandler } from "better-auth/next-js";
import { errorResponse, toErrorResponse } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";

// GET|POST /api/auth/* – better-auth (sign-up, sign-in, sign-out, session)

function clientAddress(req: Request): string | null {
  if (!getWebContext().config.TRUST_PROXY) return null;
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

async function limitSignIn(req: Request): Promise<Response | null> {
  if (!new URL(req.url).pathname.endsWith("/sign-in/email")) return null;
  const body: unknown = await req.clone().json().catch(() => null);
  const email = typeof body === "object" && body && "email" in body && typeof body.email === "string" ? body.email : "";
  const waitSeconds = await getWebContext().consumeSignIn(email, clientAddress(req));
  if (waitSeconds === null) return null;
  return errorResponse(
    "RATE_LIMITED",
    `Too many sign-in attempts. Wait ${Math.ceil(waitSeconds / 60)} minute(s) and try again.`,
    429,
    {},
    { "Retry-After": String(waitSeconds) },
  );
}

export async function GET(req: Request) {
  try {
    return await toNextJsHandler(getWebContext().auth).GET(req);
  } catch (error) {
    return toErrorResponse(error);
  }
}

export async function POST(req: Request) {
  try {
    return (await limitSignIn(req)) ?? (await toNextJsHandler(getWebContext().auth).POST(req));
  } catch (error) {
    return toErrorResponse(error);
  }
}
