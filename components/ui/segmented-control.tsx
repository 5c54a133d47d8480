"use client";

import { RadioGroup } from "radix-ui";

/**
 * A row of mutually exclusive choices drawn as segments (Radix RadioGroup): one tab stop, arrow keys move and pick,
 * each segment is a radio with its label as its name. Name the group with `labelledBy` (the id of its visible label).
 */
export function SegmentedControl<T extends string>({ value, options, onValueChange, labelledBy, className, itemClassName }: {
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onValueChange: (value: T) => void;
  labelledBy: string;
  className?: string;
  /** Added to each segment (e.g. `capitalize`: buttons do not inherit text-transform). */
  itemClassName?: string;
}) {
  return (
    <RadioGroup.Root
      value={value}
      onValueChange={(next) => {
        const picked = options.find((option) => option.value === next);
        if (picked) onValueChange(picked.value);
      }}
      aria-labelledby={labelledBy}
      orientation="horizontal"
      loop
      className={`flex flex-wrap gap-1 ${className ?? ""}`}
    >
      {options.map((option) => (
        <RadioGroup.Item
          key={option.value}
          value={option.value}
          className={`rounded-md bg-ink-800 px-2.5 py-1 text-ink-300 hover:bg-ink-700 data-[state=checked]:bg-ink-100 data-[state=checked]:text-ink-950 ${itemClassName ?? ""}`}
        >
          {option.label}
        </RadioGroup.Item>
      ))}
    </RadioGroup.Root>
  );
}
