"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "../ui/button";
import { HouseStyleNote, type THouseStyleNote } from "./house-style-note";

interface TShownImage {
  id: string;
  url: string;
}
interface TOfferedPair {
  pairId: string;
  kind: string;
  left: TShownImage;
  right: TShownImage;
}
interface TNextPair extends TOfferedPair {
  progress: TProgress;
  prefetch: TOfferedPair | null;
}
interface TProgress {
  ranked: number;
  required: number;
  skipped: number;
}
export interface TProfileView {
  unlocked: boolean;
  enabled: boolean;
  code: string | null;
  version: number | null;
  metrics: Record<string, unknown> | null;
  weights: number[] | null;
  axes: { id: string; negative: string; positive: string }[];
  progress: TProgress;
}
type TChoice = "left" | "right" | "skip";

/** Starts loading a pair's images so showing it is instant. */
function preload(pair: TOfferedPair | null) {
  if (!pair || typeof window === "undefined") return;
  for (const url of [pair.left.url, pair.right.url]) {
    const image = new window.Image();
    image.src = url;
  }
}

function errorText(failure: unknown) {
  return failure instanceof Error ? failure.message : String(failure);
}

/**
 * The ranking screen: two images of the same subject and seed that differ in
 * style; 1 = left, 2 = right, 3 = skip (or click / tap). Up to BUFFERED
 * pairs wait preloaded behind the one on screen, so fast keys always land on
 * a pair the person saw; answers go out one at a time, in the order given
 * (the fit is sequential), in the background.
 */
const BUFFERED = 3;
export function RankingScreen({ initial, house = null }: { initial: TProfileView; house?: THouseStyleNote | null }) {
  const [profile, setProfile] = useState(initial);
  const [current, setCurrent] = useState<TOfferedPair | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [celebrate, setCelebrate] = useState<string | null>(null);
  /** The answer just given, shown under the pair so a fast ranker sees each key was taken. */
  const [lastAnswer, setLastAnswer] = useState<{ choice: TChoice; image: TShownImage | null; count: number } | null>(null);
  const upcoming = useRef<TOfferedPair[]>([]);
  /** How many pairs wait behind the one on screen (rendered as data-waiting: tests wait for a full buffer). */
  const [waiting, setWaiting] = useState(0);
  const onScreen = useRef<TOfferedPair | null>(null);
  const shownAt = useRef(0);
  /** Answers are chained so they reach the server in the order they were given. */
  const sending = useRef<Promise<void>>(Promise.resolve());

  const show = useCallback((pair: TOfferedPair | null) => {
    onScreen.current = pair;
    shownAt.current = performance.now();
    setCurrent(pair);
  }, []);

  /** Fills the empty slots (on screen, then waiting) with freshly offered pairs. */
  const place = useCallback(
    (next: TNextPair) => {
      setError(null);
      const taken = new Set([onScreen.current?.pairId, ...upcoming.current.map((pair) => pair.pairId)]);
      for (const pair of [next as TOfferedPair, next.prefetch]) {
        if (!pair || taken.has(pair.pairId)) continue;
        taken.add(pair.pairId);
        if (!onScreen.current) show(pair);
        else if (upcoming.current.length < BUFFERED) {
          upcoming.current.push(pair);
          preload(pair);
        }
      }
      setWaiting(upcoming.current.length);
    },
    [show],
  );

  const refill = useCallback(async () => {
    try {
      place(await callApi(endpoints.nextPairs));
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [place]);

  useEffect(() => {
    let cancelled = false;
    callApi(endpoints.nextPairs).then(
      (next) => {
        if (!cancelled) place(next);
      },
      (failure: unknown) => {
        if (!cancelled) setError(errorText(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [place]);

  const answer = useCallback(
    async (choice: TChoice) => {
      const pair = onScreen.current;
      if (!pair) return;
      const latencyMs = Math.max(0, Math.round(performance.now() - shownAt.current));
      show(upcoming.current.shift() ?? null);
      setWaiting(upcoming.current.length);
      setLastAnswer((previous) => ({ choice, image: choice === "skip" ? null : pair[choice], count: (previous?.count ?? 0) + 1 }));
      const send = async () => {
        try {
          const result = await callApi(endpoints.answerPair, { params: { id: pair.pairId }, body: { choice, latencyMs } });
          setProfile(result);
          if (result.unlockedNow && result.code) setCelebrate(result.code);
        } catch (failure) {
          setError(errorText(failure));
        }
        // Offered pairs come from the server's current fit, so more are asked for after each answer lands.
        if (upcoming.current.length < BUFFERED || !onScreen.current) await refill();
      };
      sending.current = sending.current.then(send);
      await sending.current;
    },
    [refill, show],
  );

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
      if (celebrate) return;
      const choice = ({ "1": "left", "2": "right", "3": "skip" } as const)[event.key as "1" | "2" | "3"];
      if (!choice) return;
      event.preventDefault();
      void answer(choice);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [answer, celebrate]);

  async function toggle() {
    try {
      setProfile(await callApi(endpoints.setProfileEnabled, { body: { enabled: !profile.enabled } }));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  const { ranked, required } = profile.progress;
  const share = Math.min(100, (ranked / required) * 100);
  const imageClass = "aspect-square w-full rounded-xl bg-ink-900 object-contain [image-rendering:pixelated]";
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-4">
        <div
          role="progressbar"
          aria-label="Pairs ranked"
          aria-valuemin={0}
          aria-valuemax={required}
          aria-valuenow={Math.min(ranked, required)}
          className="h-2 w-64 overflow-hidden rounded-full bg-ink-800"
        >
          <div className="h-full bg-accent transition-all" style={{ width: `${share}%` }} />
        </div>
        <p data-testid="ranking-progress" className="text-sm tabular-nums text-ink-300">
          {ranked} / {required}
        </p>
        {profile.unlocked && profile.code && (
          <p className="text-sm text-ink-300">
            Profile <code data-testid="profile-code" className="rounded bg-ink-800 px-1.5 py-0.5 text-ink-100">{profile.code}</code> · use it with{" "}
            <code className="rounded bg-ink-800 px-1.5 py-0.5">--p {profile.code}</code>
          </p>
        )}
        {profile.unlocked && (
          <button type="button" role="switch" aria-checked={profile.enabled} onClick={() => void toggle()} data-testid="ranking-personalization-toggle"
            className="rounded-md border border-ink-700 px-3 py-1 text-sm text-ink-300 hover:bg-ink-800">
            Personalization {profile.enabled ? "on" : "off"}
          </button>
        )}
      </div>

      {house && <HouseStyleNote house={house} ownCode={profile.unlocked ? profile.code : null} required={required} />}

      {celebrate && (
        <div role="dialog" aria-modal="false" aria-labelledby="unlocked-heading" data-testid="profile-unlocked" className="flex flex-col gap-3 rounded-2xl border border-accent bg-ink-900 p-6">
          <h2 id="unlocked-heading" className="text-xl font-semibold">Profile unlocked</h2>
          <p className="text-sm text-ink-300">
            You ranked {required} pairs. Personalization is now {profile.enabled ? "on" : "off"} for your new images; your profile code is{" "}
            <code className="rounded bg-ink-800 px-1.5 py-0.5 text-ink-100">{celebrate}</code>. Share it, or use it in a prompt with{" "}
            <code className="rounded bg-ink-800 px-1.5 py-0.5">--p {celebrate}</code>. Keep ranking to refine it.
          </p>
          <div className="flex gap-3">
            <Button variant="primary" autoFocus onClick={() => setCelebrate(null)}>
              Keep ranking
            </Button>
            <Button asChild variant="outline">
              <a href="/create">Create with it</a>
            </Button>
          </div>
        </div>
      )}

      {error && <p role="alert" className="text-sm text-red-300">{error}</p>}

      {current ? (
        <section aria-label="Which image do you prefer?" data-waiting={waiting} className="flex flex-col gap-4">
          <p className="text-sm text-ink-300">Which image do you prefer? Press 1 for left, 2 for right, 3 to skip.</p>
          <div className="mx-auto grid w-full max-w-3xl grid-cols-2 gap-4">
            {(["left", "right"] as const).map((side, index) => (
              <button
                key={`${current.pairId}-${side}`}
                type="button"
                onClick={() => void answer(side)}
                aria-label={`Prefer the ${side} image (key ${index + 1})`}
                data-testid={`ranking-${side}`}
                className="group rounded-2xl border border-ink-800 p-2 hover:border-ink-500 focus-visible:border-accent"
              >
                {/* eslint-disable-next-line @next/next/no-img-element -- authenticated API image, not optimisable */}
                <img src={current[side].url} alt={`${side === "left" ? "Left" : "Right"} option`} className={imageClass} draggable={false} />
              </button>
            ))}
          </div>
          <p aria-live="polite" data-testid="last-answer" className="flex min-h-8 items-center justify-center gap-2 text-sm text-ink-300">
            {lastAnswer && (
              <>
                {lastAnswer.image && (
                  // eslint-disable-next-line @next/next/no-img-element -- authenticated API image, not optimisable
                  <img src={lastAnswer.image.url} alt="" width={32} height={32} className="h-8 w-8 rounded object-contain [image-rendering:pixelated]" />
                )}
                <span key={lastAnswer.count}>
                  Answer {lastAnswer.count}: {lastAnswer.choice === "skip" ? "skipped" : `${lastAnswer.choice} chosen`}
                </span>
              </>
            )}
          </p>
          <div className="flex justify-center gap-3 text-sm">
            <Button onClick={() => void answer("left")}><kbd>1</kbd> Left</Button>
            <Button onClick={() => void answer("skip")}><kbd>3</kbd> Skip</Button>
            <Button onClick={() => void answer("right")}><kbd>2</kbd> Right</Button>
          </div>
        </section>
      ) : (
        !error && <p className="text-sm text-ink-300">Loading the next pair…</p>
      )}
    </div>
  );
}
