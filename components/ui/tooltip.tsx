"use client";

import { Tooltip as RadixTooltip } from "radix-ui";
import type { ReactElement, ReactNode } from "react";

/**
 * A tooltip (Radix) shown on hover and on keyboard focus, dismissed with Esc. It describes its trigger;
 * it never names it, so an icon-only trigger still needs its own aria-label.
 */
export function Tooltip({ content, children, side = "top" }: { content: ReactNode; children: ReactElement; side?: "top" | "right" | "bottom" | "left" }) {
  return (
    // Each tooltip brings its own provider, so one can be used anywhere without a wrapper higher up.
    <RadixTooltip.Provider delayDuration={300}>
    <RadixTooltip.Root>
      <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
      <RadixTooltip.Portal>
        <RadixTooltip.Content side={side} sideOffset={6} collisionPadding={8} className="z-50 max-w-xs rounded-md border border-ink-700 bg-ink-800 px-2 py-1 text-xs text-ink-100 shadow-lg">
          {content}
        </RadixTooltip.Content>
      </RadixTooltip.Portal>
    </RadixTooltip.Root>
    </RadixTooltip.Provider>
  );
}
