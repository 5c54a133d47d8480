import Link from "next/link";
import type { ReactNode } from "react";
import { AccountMenu } from "@/components/account-menu";
import { SideNav } from "@/components/side-nav";
import { ToastProvider } from "@/components/ui/toast";
import { getWebContext } from "@/lib/server/context";
import { requirePageUser } from "@/lib/server/session";
import { getMe } from "@/lib/server/users";

export const dynamic = "force-dynamic";

export default async function StudioLayout({ children }: { children: ReactNode }) {
  const principal = await requirePageUser();
  const me = await getMe(getWebContext().db, principal.userId);
  return (
    <ToastProvider>
      <div className="flex min-h-dvh flex-col md:flex-row">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-ink-800 focus:px-3 focus:py-2">
          Skip to content
        </a>
        <aside className="order-last flex items-center gap-2 border-t border-ink-800 bg-ink-950 px-2 py-1.5 md:order-first md:h-dvh md:w-56 md:flex-col md:items-stretch md:justify-between md:border-r md:border-t-0 md:px-3 md:py-5 sticky bottom-0 z-30 md:top-0">
          <div className="flex min-w-0 flex-1 items-center gap-2 md:flex-none md:flex-col md:items-stretch md:gap-6">
            <Link href="/create" className="hidden items-center gap-2 px-3 md:flex">
              <span aria-hidden className="h-6 w-6 rounded-full bg-gradient-to-br from-accent to-fuchsia-400" />
              <span className="font-semibold tracking-tight">Mirage</span>
            </Link>
            <div className="min-w-0 flex-1 md:flex-none">
              <SideNav isAdmin={me.role === "admin"} />
            </div>
          </div>
          <AccountMenu email={me.email} plan={me.plan} />
        </aside>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-10 md:py-8">
          {children}
        </main>
      </div>
    </ToastProvider>
  );
}
