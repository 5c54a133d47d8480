import { a1111Route } from "@/lib/protocols/a1111/route";
import { progressOf } from "@/lib/protocols/a1111/status";

export const GET = a1111Route(async ({ principal, web }) => progressOf(web, principal));
