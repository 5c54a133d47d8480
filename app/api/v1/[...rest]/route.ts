import { unknownRoute } from "@/lib/api/route-handler";

// ANY /api/v1/* – unknown routes: 401 before anything else, then 404, so the
// API never reveals which paths exist to someone who is not signed in.
export { unknownRoute as GET, unknownRoute as POST, unknownRoute as PUT, unknownRoute as PATCH, unknownRoute as DELETE };
