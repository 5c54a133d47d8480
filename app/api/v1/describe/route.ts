import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getDescribeContext } from "@/lib/server/describe/describe-context";
import { describeImage } from "@/lib/server/describe/describe-image";

// Four prompts for one of the caller's uploads or images.
export const POST = route(endpoints.describeImage, async ({ principal, body }) => ({ status: 200, body: await describeImage(getDescribeContext(), principal.userId, body) }));
