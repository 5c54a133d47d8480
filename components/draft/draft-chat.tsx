"use client";

import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import type { TDraftSession, TDraftTurn } from "@/lib/schemas/draft";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { ImageViewer } from "../lazy-dialogs";
import { JobCard } from "../create/job-card";
import { useJobActions } from "../create/use-job-actions";
import { formatGpuTime } from "../format";
import { Button } from "../ui/button";
import { useSpeech } from "./use-speech";

function ChangeList({ turn }: { turn: TDraftTurn }) {
  if (turn.source === "start" || turn.source === "clarify" || turn.source === "undo") return null;
  if (turn.source === "prompt") return <span className="text-ink-500">edited by hand</span>;
  if (turn.changes.length === 0) return <span className="text-ink-500">no change</span>;
  return (
    <span className="flex flex-wrap gap-1.5" aria-label="What changed">
      {turn.changes.map((change, index) => (
        <span key={index} className={change.kind === "removed" ? "text-red-300 line-through" : "text-emerald-300"}>
          {change.kind === "replaced" ? `${change.text} → ${change.with ?? ""}` : `${change.kind === "added" ? "+" : "−"} ${change.text}`}
        </span>
      ))}
      {turn.source === "llm" && <span className="text-ink-500">(rewritten by the language model)</span>}
    </span>
  );
}

/** What a turn cost in fast time: the reservation while its drafts are made, then what was charged. */
function TurnCost({ job }: { job: TJobView | null }) {
  if (!job) return null;
  if (job.status === "completed") return <span data-testid="turn-cost">charged {formatGpuTime(job.receipt.chargedMs ?? 0)}</span>;
  if (job.status === "queued" || job.status === "running") return <span data-testid="turn-cost">about {formatGpuTime(job.receipt.estimateMs * job.receipt.multiplier)}</span>;
  return <span data-testid="turn-cost">nothing charged</span>;
}

/** Where a turn came from, when it is not simply the turn above it: an undo, or a branch from an earlier turn. */
function Lineage({ turn, turns }: { turn: TDraftTurn; turns: readonly TDraftTurn[] }) {
  const parent = turns.find((candidate) => candidate.id === turn.parentId);
  if (!parent) return null;
  if (turn.source === "undo") return <span data-testid="turn-lineage" className="text-sky-300">↺ back to turn {parent.index + 1}</span>;
  // The turn above, skipping questions back, is the ordinary parent; anything else is a branch.
  const above = [...turns].reverse().find((candidate) => candidate.index < turn.index && candidate.source !== "clarify");
  const restored = above?.source === "undo" ? above.parentId : above?.id;
  if (restored === parent.id || turn.source === "clarify") return null;
  return <span data-testid="turn-lineage" className="text-sky-300">↳ branch from turn {parent.index + 1}</span>;
}

/** One draft session as a chat: each turn shows what was said, the prompt it became, and its drafts. */
export function DraftChat({ initial }: { initial: TDraftSession }) {
  const [session, setSession] = useState(initial);
  const [text, setText] = useState("");
  const [isEditingPrompt, setEditingPrompt] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Continue from this turn instead of the head (a branch); null = the head. */
  const [fromTurnId, setFromTurnId] = useState<string | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const turnCount = session.turns.length;
  // The newest turn scrolls into view, like any chat.
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: "end" });
  }, [turnCount]);

  // A job changed (progress finished) or was made from a draft: put it where it belongs.
  const onJob = useCallback((job: TJobView) => {
    setSession((current) => ({
      ...current,
      turns: current.turns.map((turn) => {
        if (turn.job?.id === job.id) return { ...turn, job };
        const isFollowUp = turn.followUps.some((existing) => existing.id === job.id) || turn.job?.images.some((image) => image.id === job.parentImageId);
        if (!isFollowUp) return turn;
        const others = turn.followUps.filter((existing) => existing.id !== job.id);
        return { ...turn, followUps: turn.followUps.some((existing) => existing.id === job.id) ? turn.followUps.map((existing) => (existing.id === job.id ? job : existing)) : [...others, job] };
      }),
    }));
  }, []);
  const actions = useJobActions(onJob);
  // The same large view as Create, over every grid of the conversation in order (← → walk across turns).
  const [viewing, setViewing] = useState<{ jobId: string; imageId: string } | null>(null);
  const jobs = session.turns.flatMap((turn) => [...(turn.job ? [turn.job] : []), ...turn.followUps]);
  const openImage = useCallback((job: TJobView, image: TImageView) => setViewing({ jobId: job.id, imageId: image.id }), []);
  const viewedJob = viewing ? jobs.find((job) => job.id === viewing.jobId) : undefined;
  const viewedImage = viewedJob?.images.find((image) => image.id === viewing?.imageId);
  function step(delta: number) {
    const all = jobs.flatMap((job) => job.images.map((image) => ({ jobId: job.id, imageId: image.id })));
    const at = all.findIndex((entry) => entry.jobId === viewing?.jobId && entry.imageId === viewing?.imageId);
    const next = at < 0 ? undefined : all[(at + delta + all.length) % all.length];
    if (next) setViewing(next);
  }
  const speech = useSpeech(useCallback((transcript: string) => setText((current) => (current ? `${current} ${transcript}` : transcript)), []));

  async function submit(say: string, asPrompt: boolean) {
    if (!say.trim()) return;
    setPending(true);
    setError(null);
    try {
      const from = fromTurnId === null ? {} : { fromTurnId };
      const body = asPrompt ? { prompt: say, ...from } : { message: say, ...from };
      setSession(await callApi(endpoints.sendDraftMessage, { params: { id: session.id }, body }));
      setText("");
      setEditingPrompt(false);
      setFromTurnId(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
    }
  }

  function send(event: FormEvent) {
    event.preventDefault();
    void submit(text, isEditingPrompt);
  }

  const continuingFrom = session.turns.find((turn) => turn.id === fromTurnId);

  const noop = () => undefined;
  return (
    <div className="flex flex-col gap-6">
      <ol className="flex flex-col gap-8" aria-label="Conversation">
        {session.turns.map((turn) => (
          <li key={turn.id} data-testid="draft-turn" data-source={turn.source} className={`flex flex-col gap-3 ${turn.id === session.headTurnId ? "" : "opacity-90"}`}>
            <p className="self-end rounded-2xl rounded-br-sm bg-ink-800 px-4 py-2 text-sm">{turn.message}</p>
            {turn.reply ? (
              <div data-testid="turn-question" className="flex flex-col gap-2 text-sm">
                <p>{turn.reply.question}</p>
                <div className="flex flex-wrap gap-2">
                  {turn.reply.readings.map((reading) => (
                    <Button key={reading.message} variant="ghost" size="sm" disabled={pending} onClick={() => void submit(reading.message, false)}>
                      {reading.label}
                    </Button>
                  ))}
                </div>
              </div>
            ) : (
              <div className="flex flex-col gap-1 text-xs">
                <span className="flex flex-wrap items-center gap-2 text-ink-300">
                  <span>Turn {turn.index + 1}</span>
                  <TurnCost job={turn.job} />
                  <Lineage turn={turn} turns={session.turns} />
                  {turn.source !== "undo" && (
                    <Button variant="ghost" size="sm" aria-pressed={fromTurnId === turn.id} onClick={() => setFromTurnId(turn.id === fromTurnId ? null : turn.id)}>
                      Continue from here
                    </Button>
                  )}
                </span>
                <span className="text-ink-300">
                  Prompt: <code data-testid="turn-prompt" className="text-ink-100">{turn.prompt}</code>
                </span>
                <ChangeList turn={turn} />
                {turn.note && <span className="text-ink-400">{turn.note}</span>}
              </div>
            )}
            {turn.job && (
              <JobCard job={turn.job} onUpdate={onJob} onOpen={openImage} onImageAction={actions.onImageAction} onRerun={actions.onRerun} onCancel={actions.onCancel}
                onUsePrompt={() => { setText(turn.prompt); setEditingPrompt(true); }} />
            )}
            {turn.followUps.map((job) => (
              <div key={job.id} className="ml-6 border-l border-ink-800 pl-4">
                <JobCard job={job} onUpdate={onJob} onOpen={openImage} onImageAction={actions.onImageAction} onRerun={actions.onRerun} onCancel={actions.onCancel} onUsePrompt={noop} />
              </div>
            ))}
          </li>
        ))}
      </ol>
      <div ref={endRef} />
      {viewedJob && viewedImage && (
        <ImageViewer job={viewedJob} image={viewedImage} onClose={() => setViewing(null)} onStep={step}
          onAction={(image, action) => { setViewing(null); actions.onImageAction(image, action); }} />
      )}
      <form onSubmit={send} className="sticky bottom-16 flex flex-col gap-2 rounded-2xl border border-ink-700 bg-ink-900 p-2 md:bottom-2">
        <div className="flex items-end gap-2">
          <label htmlFor="draft-message" className="sr-only">{isEditingPrompt ? "Prompt" : "Message"}</label>
          <textarea id="draft-message" rows={1} value={text} onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => { if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); event.currentTarget.form?.requestSubmit(); } }}
            placeholder={isEditingPrompt ? "Edit the prompt" : "Say what to change: \"make the house red\", \"no clouds\", \"make it wide\"…"}
            className="min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-sm outline-none placeholder:text-ink-500" />
          {speech.isSupported && (
            <button type="button" onClick={speech.toggle} aria-pressed={speech.isListening} aria-label={speech.isListening ? "Stop listening" : "Speak"}
              className={`rounded-lg px-3 py-2 text-sm ${speech.isListening ? "bg-red-500/30 text-red-100" : "text-ink-300 hover:bg-ink-800"}`}>
              <svg aria-hidden viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
                <rect x="9" y="3" width="6" height="11" rx="3" />
                <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
              </svg>
            </button>
          )}
          <Button variant="ghost" size="lg" onClick={() => { setEditingPrompt((value) => !value); setText(isEditingPrompt ? "" : session.prompt); }}>
            {isEditingPrompt ? "Back to chat" : "Edit prompt"}
          </Button>
          <Button type="submit" variant="primary" size="lg" disabled={!text.trim() || pending}>
            {pending ? "Drafting…" : "Draft"}
          </Button>
        </div>
        {continuingFrom && (
          <p className="flex items-center gap-2 px-2 text-xs text-sky-300" data-testid="continuing-from">
            Continuing from turn {continuingFrom.index + 1}
            <Button variant="ghost" size="sm" onClick={() => setFromTurnId(null)}>Cancel</Button>
          </p>
        )}
        {(error ?? actions.error ?? speech.error) && <p role="alert" className="px-2 text-xs text-red-300">{error ?? actions.error ?? speech.error}</p>}
        <p className="px-2 text-xs text-ink-500">Each turn makes four drafts at a fraction of the cost; Enhance or Vary (Subtle) a draft for full quality.</p>
      </form>
    </div>
  );
}
