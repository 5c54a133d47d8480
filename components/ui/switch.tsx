"use client";

import { Switch as RadixSwitch } from "radix-ui";
import type { ComponentPropsWithoutRef } from "react";

/**
 * An on/off switch (Radix): role="switch" with aria-checked, Space and Enter toggle it. Name it with
 * `aria-labelledby` (or `aria-label`); the accent track on ink-700 marks the state, not colour alone (the thumb moves).
 */
export function Switch({ className, ...props }: ComponentPropsWithoutRef<typeof RadixSwitch.Root>) {
  return (
    <RadixSwitch.Root
      className={`relative h-6 w-11 shrink-0 rounded-full bg-ink-700 transition-colors disabled:opacity-40 data-[state=checked]:bg-accent ${className ?? ""}`}
      {...props}
    >
      <RadixSwitch.Thumb className="block h-5 w-5 translate-x-0.5 rounded-full bg-white transition-transform data-[state=checked]:translate-x-[1.375rem]" />
    </RadixSwitch.Root>
  );
}
