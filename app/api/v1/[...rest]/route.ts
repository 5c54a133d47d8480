import { apiRoute, errorResponse } from "@/lib/api/route";

// ANY /api/v1/* – unknown routes: 401 before anything else, then 404, so the
// API never reveals which paths exist to someone who is not signed in.
const notFound = apiRoute("user", async ({ req }) =>
  errorResponse("NOT_FOUND", `No API route ${req.method} ${new URL(req.url).pathname}. See /api/v1/openapi.json.`, 404),
);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
