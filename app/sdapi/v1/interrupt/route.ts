import { a1111Route } from "@/lib/protocols/a1111/route";
import { interruptRunning } from "@/lib/protocols/a1111/status";

export const POST = a1111Route(async ({ principal, web }) => {
  await interruptRunning(web, principal);
  return {};
});
