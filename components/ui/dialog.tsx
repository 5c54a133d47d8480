"use client";

import { Dialog as RadixDialog, VisuallyHidden } from "radix-ui";
import { useRef, type ComponentPropsWithoutRef, type ReactNode } from "react";

type ContentProps = ComponentPropsWithoutRef<typeof RadixDialog.Content>;

export interface DialogProps {
  open: boolean;
  /** Called with false on Esc, on a click outside (when `dismissOnOutsideClick`), and by a DialogClose. */
  onOpenChange: (open: boolean) => void;
  /** The dialog's accessible name; also shown as its heading unless `hideTitle`. */
  title: string;
  hideTitle?: boolean;
  /** Read after the title by screen readers. */
  description?: ReactNode;
  /** Layout of the content box; the default is a centred panel, the viewers pass a full-screen layout. */
  className?: string;
  /** Where focus goes when it opens (default: the first focusable element inside). */
  onOpenAutoFocus?: ContentProps["onOpenAutoFocus"];
  dismissOnOutsideClick?: boolean;
  children: ReactNode;
}

const PANEL = "fixed left-1/2 top-1/2 z-50 flex max-h-[90dvh] w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col gap-4 overflow-y-auto rounded-xl border border-ink-700 bg-ink-900 p-5 text-sm shadow-2xl";

/**
 * A modal dialog (Radix): focus is trapped inside while open and returns to the element that opened it,
 * Esc closes it, the rest of the page is hidden from assistive technology and does not scroll.
 */
export function Dialog({ open, onOpenChange, title, hideTitle = false, description, className, onOpenAutoFocus, dismissOnOutsideClick = true, children }: DialogProps) {
  // The studio opens dialogs from state, not from a Radix Trigger, and Radix returns focus only to its own
  // trigger; so remember what had focus when the dialog opened and give focus back to it on close.
  const opener = useRef<HTMLElement | null>(null);
  const heading = <RadixDialog.Title className="text-base font-semibold text-ink-100">{title}</RadixDialog.Title>;
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-ink-950/80" />
        <RadixDialog.Content
          className={`outline-none ${className ?? PANEL}`}
          onOpenAutoFocus={(event) => {
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
            onOpenAutoFocus?.(event);
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            if (opener.current?.isConnected) opener.current.focus();
            opener.current = null;
          }}
          onPointerDownOutside={dismissOnOutsideClick ? undefined : (event) => event.preventDefault()}
          // Without a description Radix would point aria-describedby at nothing.
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          {hideTitle ? <VisuallyHidden.Root asChild>{heading}</VisuallyHidden.Root> : heading}
          {description && <RadixDialog.Description className="text-ink-300">{description}</RadixDialog.Description>}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Wraps a button (asChild) so that it closes the dialog it is in. */
export const DialogClose = RadixDialog.Close;
