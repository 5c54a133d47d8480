"use client";

// First, before any module builds a schema: zod must not probe for eval under the pages' CSP.
import "@/lib/zod-jitless";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/**
 * One query cache per browser tab. Failed requests are not retried and
 * focusing the window does not refetch: the pages show an API error as soon
 * as it happens and reload only when the user acts, as they did before.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
