import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center px-4">
      <div className="flex w-full max-w-sm flex-col items-center gap-8">
        <div className="flex flex-col items-center gap-2">
          <span aria-hidden className="h-10 w-10 rounded-full bg-gradient-to-br from-accent to-fuchsia-400" />
          <p className="text-xl font-semibold tracking-tight">Mirage</p>
        </div>
        {children}
      </div>
    </main>
  );
}
