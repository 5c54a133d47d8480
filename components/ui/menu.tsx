"use client";

import { DropdownMenu } from "radix-ui";
import type { ComponentPropsWithoutRef, ReactNode } from "react";

/**
 * A dropdown menu (Radix): the trigger announces the menu, arrow keys and typeahead move between items,
 * Enter or Space picks one, Esc or a click outside closes it and focus goes back to the trigger.
 */
export const Menu = DropdownMenu.Root;

/** The element that opens the menu; pass your own button with asChild. */
export const MenuTrigger = DropdownMenu.Trigger;

export function MenuContent({ children, className, ...props }: ComponentPropsWithoutRef<typeof DropdownMenu.Content> & { children: ReactNode }) {
  return (
    <DropdownMenu.Portal>
      <DropdownMenu.Content
        sideOffset={6}
        collisionPadding={8}
        className={`z-50 min-w-48 rounded-lg border border-ink-700 bg-ink-900 p-1 text-sm text-ink-100 shadow-xl ${className ?? ""}`}
        {...props}
      >
        {children}
      </DropdownMenu.Content>
    </DropdownMenu.Portal>
  );
}

/** One item; use asChild to make a Link an item. `onSelect` runs when it is picked by pointer or keyboard. */
export function MenuItem({ className, ...props }: ComponentPropsWithoutRef<typeof DropdownMenu.Item>) {
  return (
    <DropdownMenu.Item
      className={`block w-full cursor-pointer select-none rounded-md px-3 py-2 text-left outline-none data-[highlighted]:bg-ink-800 data-[disabled]:opacity-40 ${className ?? ""}`}
      {...props}
    />
  );
}

export function MenuSeparator() {
  return <DropdownMenu.Separator className="my-1 h-px bg-ink-700" />;
}
