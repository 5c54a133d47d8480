"use client";

import { useEffect, useState } from "react";
import { Button, type ButtonProps } from "./button";

interface CopyButtonProps extends Omit<ButtonProps, "onClick" | "children"> {
  /** What goes on the clipboard. */
  text: string;
  /** The button's text before copying ("Copy --p code"). */
  children: string;
}

/**
 * Copies `text` and says "Copied" on the button for a moment. The change is
 * announced (aria-live), and a refused clipboard (no permission, an insecure
 * origin) says so instead of failing silently.
 */
export function CopyButton({ text, children, size = "sm", ...props }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "refused">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("refused");
    }
  }

  return (
    <Button size={size} {...props} onClick={() => void copy()}>
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "refused" ? "Copy refused: select and copy by hand" : children}</span>
    </Button>
  );
}
