"use client";

import dynamic from "next/dynamic";

/**
 * The usage chart's bars, loaded once the page is up (no server render: the
 * chart measures its container). The frame around it keeps its height, so
 * nothing moves when it arrives.
 */
export const LazyUsageBars = dynamic(() => import("./usage-bars"), { ssr: false });
