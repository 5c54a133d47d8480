import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

/** Any unknown address: the studio's look, and the way back to Create (which sends a signed-out visitor to sign in). */
export default function NotFound() {
  return (
    <main className="flex min-h-dvh items-center justify-center px-4">
      <div className="flex w-full max-w-sm flex-col items-center gap-6 text-center">
        <span aria-hidden className="h-10 w-10 rounded-full bg-gradient-to-br from-accent to-fuchsia-400" />
        <h1 className="text-xl font-semibold tracking-tight">This page does not exist</h1>
        <p className="text-sm text-ink-300">The address may be mistyped, or the image or page was removed.</p>
        <Button asChild variant="primary" size="lg">
          <Link href="/create">Back to Create</Link>
        </Button>
      </div>
    </main>
  );
}
