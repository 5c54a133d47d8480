import type { endpoints as registry } from "./index";
import { ENDPOINT_ROUTES } from "./routes.generated";

/**
 * What `@/lib/api/endpoints` is in the browser bundle (next.config.ts aliases
 * it here for the browser only): each endpoint's method and path, which is
 * all the client (`lib/api/client.ts`, `apiQuery`) reads at run time, typed
 * as the full registry so calls keep their body, params and answer types.
 * Building the registry's zod schemas cost the phone-class page load about
 * a third of a second of main-thread time (docs/ui.md, "What the browser
 * loads"), for schemas the browser never used.
 */
export const endpoints = ENDPOINT_ROUTES as unknown as typeof registry;
