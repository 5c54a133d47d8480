import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createImageEditJob } from "@/lib/server/jobs/edit-jobs";

export const POST = route(endpoints.editImage, async ({ principal, params, body }) => {
  const { jobs, storage } = getWebContext();
  return { status: 202, body: await createImageEditJob({ ...jobs, storage }, principal, params.id, body) };
});
