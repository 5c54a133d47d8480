"use client";

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";

export interface ToastOptions {
  message: string;
  /** One action offered with the message, such as Undo; picking it dismisses the toast. */
  action?: { label: string; onAction: () => void };
  /** How long it shows while not hovered or focused. */
  durationMs?: number;
}

interface ShownToast extends ToastOptions {
  id: number;
}

const DEFAULT_DURATION_MS = 6_000;

const ToastContext = createContext<((toast: ToastOptions) => void) | null>(null);

/**
 * The studio's one toast area: a polite live region that is always in the page, so screen readers announce what
 * appears in it (a region inserted together with its text is often missed). The action button sits inside the
 * region, F8 moves focus to it, and the timer stops while the pointer or focus is on the toast.
 *
 * Radix's Toast was not used: it announces through a second, temporary role="status" copy of the text without the
 * action, so the visible toast and its Undo would not be one status region.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<ShownToast | null>(null);
  const [isPaused, setPaused] = useState(false);
  const nextId = useRef(0);
  const box = useRef<HTMLDivElement>(null);

  const show = useCallback((options: ToastOptions) => {
    nextId.current += 1;
    setToast({ ...options, id: nextId.current });
    // A new toast gets its full time, even if the pointer was left on the previous one.
    setPaused(false);
  }, []);
  const dismiss = useCallback(() => {
    setToast(null);
    setPaused(false);
  }, []);

  useEffect(() => {
    if (!toast || isPaused) return;
    const timer = setTimeout(dismiss, toast.durationMs ?? DEFAULT_DURATION_MS);
    return () => clearTimeout(timer);
  }, [toast, isPaused, dismiss]);

  useEffect(() => {
    if (!toast) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "F8") return;
      event.preventDefault();
      box.current?.querySelector<HTMLElement>("button")?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toast]);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <div role="status" aria-live="polite" aria-atomic="true" className="pointer-events-none fixed inset-x-0 bottom-20 z-50 flex justify-center px-4 md:bottom-6">
        {toast && (
          <div
            key={toast.id}
            ref={box}
            onMouseEnter={() => setPaused(true)}
            onMouseLeave={() => setPaused(false)}
            onFocus={() => setPaused(true)}
            onBlur={() => setPaused(false)}
            onKeyDown={(event) => event.key === "Escape" && dismiss()}
            className="pointer-events-auto flex items-center gap-3 rounded-lg border border-ink-700 bg-ink-900 px-4 py-2 text-sm text-ink-100 shadow-lg"
          >
            <span>{toast.message}</span>
            {toast.action && (
              <Button
                size="xs"
                className="font-medium"
                onClick={() => {
                  const action = toast.action;
                  dismiss();
                  action?.onAction();
                }}
              >
                {toast.action.label}
              </Button>
            )}
          </div>
        )}
      </div>
    </ToastContext.Provider>
  );
}

/** Shows a toast (replacing the one on screen). Needs the ToastProvider of the studio layout above it. */
export function useToast(): (toast: ToastOptions) => void {
  const show = useContext(ToastContext);
  if (!show) throw new Error("useToast needs a <ToastProvider> above it.");
  return show;
}

