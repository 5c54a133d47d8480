import { Slot } from "radix-ui";
import type { ComponentPropsWithRef } from "react";

/**
 * The studio's buttons. Colours are chosen for WCAG AA contrast on the ink backgrounds:
 * primary is near-black on near-white, the others keep ink-100 (or red-50) text on dark fills.
 */
const VARIANTS = {
  /** The one main action of a form or screen. */
  primary: "bg-ink-100 font-medium text-ink-950 hover:bg-white",
  /** Filled, quieter: the actions in a row of actions. */
  secondary: "bg-ink-800 text-ink-100 hover:bg-ink-700",
  /** Bordered, no fill: cancel, close, and the small actions next to content. */
  outline: "border border-ink-700 text-ink-100 hover:bg-ink-800",
  /** No border and no fill until hovered: menu-like and icon buttons. */
  ghost: "text-ink-300 hover:bg-ink-800 hover:text-ink-100",
  /** Deletes something. */
  danger: "bg-red-900/70 text-red-50 hover:bg-red-800",
} as const;

const SIZES = {
  xs: "rounded-md px-2 py-1 text-xs",
  sm: "rounded-md px-2.5 py-1 text-sm",
  md: "rounded-md px-3 py-1.5 text-sm",
  lg: "rounded-lg px-4 py-2 text-sm",
  /** A single glyph (×, ▾) next to a large button. */
  icon: "rounded-lg px-1.5 py-2 text-sm",
} as const;

export type ButtonVariant = keyof typeof VARIANTS;
export type ButtonSize = keyof typeof SIZES;

/**
 * The class list of a button. `className` adds layout (self-start, font-medium); it must not restate a padding,
 * radius or text size, because two Tailwind utilities for one property do not win by their order in the list.
 */
export function buttonClassName({ variant = "secondary", size = "md", className }: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return ["inline-flex items-center justify-center gap-1.5 whitespace-nowrap transition-colors disabled:pointer-events-none disabled:opacity-40", VARIANTS[variant], SIZES[size], className]
    .filter(Boolean)
    .join(" ");
}

export interface ButtonProps extends ComponentPropsWithRef<"button"> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Renders the single child (a Link or an anchor) with the button's look instead of a <button>. */
  asChild?: boolean;
}

/** A button (type="button" unless told otherwise, so it never submits a form by accident). */
export function Button({ variant, size, asChild = false, className, type, ...props }: ButtonProps) {
  const classes = buttonClassName({ variant, size, className });
  if (asChild) return <Slot.Root className={classes} {...props} />;
  return <button type={type ?? "button"} className={classes} {...props} />;
}
