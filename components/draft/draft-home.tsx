"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "../ui/button";

interface SessionSummary {
  id: string;
  title: string;
  prompt: string;
  turns: number;
  updatedAt: string;
  thumbUrl: string | null;
}

/** The /draft page: start a session from a prompt, or open an earlier one. */
export function DraftHome({ sessions }: { sessions: SessionSummary[] }) {
  const router = useRouter();
  const [prompt, setPrompt] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const session = await callApi(endpoints.startDraftSession, { body: { prompt } });
      router.push(`/draft/${session.id}`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setPending(false);
    }
  }

  return (
    <div className="flex flex-col gap-8">
      <form onSubmit={start} className="flex max-w-3xl flex-col gap-2">
        <label htmlFor="draft-start" className="text-sm text-ink-300">Start a draft session with a prompt</label>
        <div className="flex gap-2">
          <input id="draft-start" value={prompt} onChange={(event) => setPrompt(event.target.value)} placeholder="a star over a boat at sea"
            className="flex-1 rounded-xl border border-ink-700 bg-ink-900 px-3 py-2.5 text-sm" />
          <Button type="submit" variant="primary" size="lg" disabled={!prompt.trim() || pending}>
            {pending ? "Starting…" : "Start drafting"}
          </Button>
        </div>
        {error && <p role="alert" className="text-sm text-red-300">{error}</p>}
      </form>
      <section aria-label="Draft sessions" className="flex flex-col gap-2">
        {sessions.length === 0 && <p className="text-sm text-ink-300">No sessions yet.</p>}
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {sessions.map((session) => (
            <li key={session.id}>
              <Link href={`/draft/${session.id}`} className="flex gap-3 rounded-xl border border-ink-800 p-3 hover:bg-ink-900">
                {session.thumbUrl ? (
                  // eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API
                  <img src={session.thumbUrl} alt="" width={64} height={64} className="h-16 w-16 rounded-md object-cover" />
                ) : (
                  <span className="h-16 w-16 rounded-md bg-ink-800" />
                )}
                <span className="flex min-w-0 flex-col text-sm">
                  <span className="truncate">{session.title}</span>
                  <span className="text-xs text-ink-300">{session.turns} turn(s) · {new Date(session.updatedAt).toLocaleString()}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
