import type { EndpointSpec } from "../contract";
import * as account from "./account";
import * as admin from "./admin";
import * as describe from "./describe";
import * as audit from "./audit";
import * as draft from "./draft";
import * as editor from "./editor";
import * as houseStyle from "./house-style";
import * as images from "./images";
import * as jobs from "./jobs";
import * as moderation from "./moderation";
import * as moodboards from "./moodboards";
import * as personalization from "./personalization";
import * as system from "./system";
import * as teams from "./teams";
import * as uploads from "./uploads";

/**
 * Every /api/v1 endpoint by name. Route files bind to these
 * (`export const GET = route(endpoints.getJob, …)`), the browser client calls
 * them, and a unit test fails when a route file and this registry disagree.
 */
export const endpoints = { ...system, ...account, ...admin, ...jobs, ...images, ...editor, ...draft, ...personalization, ...uploads, ...audit, ...moderation, ...describe, ...moodboards, ...teams, ...houseStyle };

export type EndpointName = keyof typeof endpoints;

/** The registry as a list, in a stable order (the OpenAPI document and the test router walk it). */
export const ENDPOINTS: readonly EndpointSpec[] = Object.values(endpoints);
