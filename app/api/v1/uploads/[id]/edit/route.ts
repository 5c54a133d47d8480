import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createUploadEditJob } from "@/lib/server/jobs/edit-jobs";

export const POST = route(endpoints.editUpload, async ({ principal, params, body }) => {
  const { jobs, storage } = getWebContext();
  return { status: 202, body: await createUploadEditJob({ ...jobs, storage }, principal, params.id, body) };
});
