import { safeText } from "./common";

/** Built-in plans, modelled on Midjourney's published tiers. Admins can edit them later. */
export const DEFAULT_PLANS = [
  { name: "Basic", fastHours: 3.3, concurrentJobs: 3, queuedJobs: 10, relaxAllowed: false, maxRepeat: 2, priceUsdPerMonth: 10, sortOrder: 1 },
  { name: "Standard", fastHours: 15, concurrentJobs: 3, queuedJobs: 10, relaxAllowed: true, maxRepeat: 4, priceUsdPerMonth: 30, sortOrder: 2 },
  { name: "Pro", fastHours: 30, concurrentJobs: 12, queuedJobs: 10, relaxAllowed: true, maxRepeat: 40, priceUsdPerMonth: 60, sortOrder: 3 },
  { name: "Mega", fastHours: 60, concurrentJobs: 12, queuedJobs: 10, relaxAllowed: true, maxRepeat: 40, priceUsdPerMonth: 120, sortOrder: 4 },
] as const;

export const DEFAULT_PLAN_NAME = "Standard";

export const ZPlanName = safeText("plan", 40);
