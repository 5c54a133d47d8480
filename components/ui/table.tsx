import type { ComponentPropsWithoutRef } from "react";

/**
 * A semantic table in the studio's style. Give every table an accessible name (`aria-label` or a <caption>);
 * tests and screen readers find tables by it. Wide tables scroll inside their own box instead of widening the page.
 */
export function Table({ className, ...props }: ComponentPropsWithoutRef<"table">) {
  return (
    <div className="max-w-full overflow-x-auto">
      <table className={`w-full text-left text-sm ${className ?? ""}`} {...props} />
    </div>
  );
}

export function TableHead({ className, ...props }: ComponentPropsWithoutRef<"thead">) {
  return <thead className={`text-xs text-ink-300 ${className ?? ""}`} {...props} />;
}

export function TableBody(props: ComponentPropsWithoutRef<"tbody">) {
  return <tbody {...props} />;
}

export function TableRow({ className, ...props }: ComponentPropsWithoutRef<"tr">) {
  return <tr className={`border-b border-ink-800 last:border-b-0 ${className ?? ""}`} {...props} />;
}

/** A column header (scope="col" unless told otherwise), or a row header with scope="row". */
export function TableHeader({ className, scope = "col", ...props }: ComponentPropsWithoutRef<"th">) {
  return <th scope={scope} className={`px-2 py-1.5 font-medium ${className ?? ""}`} {...props} />;
}

export function TableCell({ className, ...props }: ComponentPropsWithoutRef<"td">) {
  return <td className={`px-2 py-1.5 ${className ?? ""}`} {...props} />;
}
