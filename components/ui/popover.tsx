"use client";

import { Popover as RadixPopover } from "radix-ui";
import type { ComponentPropsWithoutRef, ReactNode } from "react";

/**
 * A non-modal popover dialog (Radix) anchored to its trigger: focus moves into it when it opens, Esc or a click
 * outside closes it, and focus goes back to the trigger. Name it with `aria-label` on PopoverContent.
 */
export const Popover = RadixPopover.Root;
export const PopoverTrigger = RadixPopover.Trigger;
export const PopoverClose = RadixPopover.Close;

export function PopoverContent({ children, className, ...props }: ComponentPropsWithoutRef<typeof RadixPopover.Content> & { children: ReactNode }) {
  return (
    <RadixPopover.Portal>
      <RadixPopover.Content
        sideOffset={8}
        collisionPadding={8}
        className={`z-50 rounded-xl border border-ink-700 bg-ink-900 p-3 text-xs text-ink-100 shadow-xl outline-none ${className ?? ""}`}
        {...props}
      >
        {children}
      </RadixPopover.Content>
    </RadixPopover.Portal>
  );
}
