import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { QueryProvider } from "@/components/query/query-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Mirage", template: "%s · Mirage" },
  description: "A self-hosted image studio",
  // Files in public/ (icons made by scripts/make-icons.ts); they are served without sign-in.
  manifest: "/manifest.webmanifest",
  icons: {
    icon: [
      { url: "/icon.svg", type: "image/svg+xml" },
      { url: "/icon-192.png", sizes: "192x192", type: "image/png" },
    ],
    apple: { url: "/apple-touch-icon.png", sizes: "180x180" },
  },
  appleWebApp: { capable: true, title: "Mirage", statusBarStyle: "black-translucent" },
};

// Every page renders per request: the Content-Security-Policy nonce (proxy.ts)
// is only put on script tags at render time, so a prerendered page's scripts would be blocked.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { themeColor: "#09090b", width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
