import type { ComponentPropsWithoutRef } from "react";

/**
 * A semantic table in the studio's style: a bordered box whose header row sits on ink-900, rows split by lines.
 * Give every table an accessible name (`aria-label` or a <caption>); tests and screen readers find tables by it.
 * Cells do not wrap mid-value; a table wider than its column scrolls inside its own box instead of widening the page.
 * `className` sizes the box (e.g. a max width); the table fills it.
 */
export function Table({ className, ...props }: ComponentPropsWithoutRef<"table">) {
  // The scrolling box takes keyboard focus (arrow keys scroll it), named like its table, so a keyboard user can reach what is off to the side.
  // `relative`: it is the containing block of absolutely placed cell content (an `sr-only` label), which otherwise
  // escapes the scrolling box, sits where the wide table would put it and widens the whole page on a phone.
  return (
    <div role="region" tabIndex={0} aria-label={props["aria-label"]} aria-labelledby={props["aria-labelledby"]}
      className={`relative overflow-x-auto rounded-lg border border-ink-800 focus-visible:outline-2 focus-visible:outline-accent ${className ?? ""}`}>
      <table className="w-full text-left text-sm" {...props} />
    </div>
  );
}

export function TableHead({ className, ...props }: ComponentPropsWithoutRef<"thead">) {
  return <thead className={`bg-ink-900 text-ink-300 ${className ?? ""}`} {...props} />;
}

export function TableBody({ className, ...props }: ComponentPropsWithoutRef<"tbody">) {
  return <tbody className={`divide-y divide-ink-800 ${className ?? ""}`} {...props} />;
}

export function TableRow(props: ComponentPropsWithoutRef<"tr">) {
  return <tr {...props} />;
}

/** A column header (scope="col" unless told otherwise), or a row header with scope="row". */
export function TableHeader({ className, scope = "col", ...props }: ComponentPropsWithoutRef<"th">) {
  return <th scope={scope} className={`whitespace-nowrap px-3 py-2 font-normal ${className ?? ""}`} {...props} />;
}

export function TableCell({ className, ...props }: ComponentPropsWithoutRef<"td">) {
  return <td className={`whitespace-nowrap px-3 py-2 ${className ?? ""}`} {...props} />;
}
