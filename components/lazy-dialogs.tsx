"use client";

import dynamic from "next/dynamic";

/**
 * Dialogs that open on a click, loaded on first use instead of with the page
 * (docs/ui.md, "What the browser loads"): the large view, the Editor and
 * Describe, with everything they import. Import them from here, not from
 * their modules, so no page bundles them by accident.
 */
export const ImageViewer = dynamic(() => import("./create/image-viewer").then((module) => module.ImageViewer), { ssr: false });
export const EditorDialog = dynamic(() => import("./editor/editor-dialog").then((module) => module.EditorDialog), { ssr: false });
export const DescribeDialog = dynamic(() => import("./create/describe-dialog").then((module) => module.DescribeDialog), { ssr: false });
