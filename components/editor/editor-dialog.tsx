"use client";

import { useEffect, useId, useReducer, useState } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TEditRequest } from "@/lib/schemas/editor";
import { Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";
import type { EditMove } from "./edit-moves";
import { EMPTY_HISTORY, maskHistory } from "./mask-history";
import { MaskCanvas } from "./mask-canvas";
import { renderMaskPng, type MaskTool } from "./mask-strokes";
import { OutpaintActions } from "./outpaint-actions";

/** What the Editor edits: an image of a job or an upload, at its own size. */
export interface EditorTarget {
  url: string;
  alt: string;
  width: number;
  height: number;
  /** The prompt field starts from this (the image's prompt; empty for an upload). */
  prompt: string;
}

interface EditorDialogProps {
  target: EditorTarget;
  onClose: () => void;
  /** Sends the edit; resolves once the job was accepted (the Editor then closes), throws the refusal to show. */
  onSubmit: (request: TEditRequest) => Promise<void>;
}

const TOOLS: Array<{ tool: MaskTool; label: string; glyph: string }> = [
  { tool: "brush", label: "Brush", glyph: "✎" },
  { tool: "eraser", label: "Eraser", glyph: "⌫" },
  { tool: "rectangle", label: "Rectangle", glyph: "▭" },
  { tool: "lasso", label: "Lasso", glyph: "◌" },
];

/**
 * A JSON body holds at most 64 KiB (docs/editor.md §3); a mask whose base64
 * would not fit with room to spare goes up as an upload instead.
 */
const MAX_INLINE_MASK_BYTES = 44 * 1024;

async function maskField(png: Blob): Promise<{ mask: string } | { maskUploadId: string; cleanup: () => Promise<void> }> {
  if (png.size <= MAX_INLINE_MASK_BYTES) {
    const bytes = new Uint8Array(await png.arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return { mask: btoa(binary) };
  }
  const upload = await callApi(endpoints.createUpload, { file: new File([png], "mask.png", { type: "image/png" }) });
  // The server copies the mask next to the job's images, so the upload is not needed once the edit is accepted.
  return { maskUploadId: upload.id, cleanup: () => callApi(endpoints.deleteUpload, { params: { id: upload.id } }).then(() => undefined) };
}

/**
 * The Editor (Vary Region): the picture with a mask canvas over it, brush,
 * eraser, rectangle and lasso, undo/redo (buttons, Ctrl/⌘+Z, Shift+Ctrl/⌘+Z),
 * the prompt (Remix), Submit, and the outpainting moves. Full screen on every
 * size; on a phone the controls sit below the picture.
 */
export function EditorDialog({ target, onClose, onSubmit }: EditorDialogProps) {
  const [tool, setTool] = useState<MaskTool>("brush");
  const [brushSize, setBrushSize] = useState(40);
  const [history, dispatch] = useReducer(maskHistory, EMPTY_HISTORY);
  const [prompt, setPrompt] = useState(target.prompt);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sizeId = useId();
  const promptId = useId();

  // Undo/redo keys act on strokes, except in the prompt field, whose own undo they would steal.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.tagName === "TEXTAREA" || (target?.tagName === "INPUT" && (target as HTMLInputElement).type !== "range")) return;
      const key = event.key.toLowerCase();
      if (key === "z") dispatch({ type: event.shiftKey ? "redo" : "undo" });
      else if (key === "y") dispatch({ type: "redo" });
      else return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, []);

  /** The prompt is sent only when it was changed: an unchanged one keeps the image's exact recipe. */
  const remixPrompt = () => (prompt.trim() && prompt.trim() !== target.prompt.trim() ? { prompt: prompt.trim() } : {});

  async function send(request: () => Promise<TEditRequest & { cleanup?: () => Promise<void> }>) {
    setBusy(true);
    setError(null);
    try {
      const { cleanup, ...body } = await request();
      try {
        await onSubmit(body as TEditRequest);
      } finally {
        await cleanup?.().catch(() => undefined);
      }
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  async function submitRegion() {
    await send(async () => {
      const { png, coverage } = await renderMaskPng(history.done, target);
      if (coverage === 0) throw new Error("Paint the area to repaint first.");
      if (coverage === 1) throw new Error("The mask covers the whole image: leave part of it unpainted, or use Vary.");
      return { kind: "region", ...(await maskField(png)), ...remixPrompt() };
    });
  }

  const submitMove = (move: EditMove) => void send(async () => ({ ...move, ...remixPrompt() }));

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Editor"
      hideTitle
      className="fixed inset-0 z-50 flex h-dvh w-screen max-w-full flex-col overflow-hidden bg-ink-950 md:flex-row"
    >
      <div className="relative flex min-h-0 flex-1 items-center justify-center p-2 pt-12 md:p-8">
        <MaskCanvas
          imageUrl={target.url}
          imageAlt={target.alt}
          width={target.width}
          height={target.height}
          tool={tool}
          brushSize={brushSize}
          strokes={history.done}
          onStroke={(stroke) => dispatch({ type: "add", stroke })}
        />
        <DialogClose asChild>
          <Button variant="secondary" size="icon" aria-label="Close editor" className="absolute right-2 top-2">
            <span aria-hidden>✕</span>
          </Button>
        </DialogClose>
      </div>
      <aside aria-label="Editor tools" className="flex max-h-[46dvh] w-full shrink-0 flex-col gap-3 overflow-y-auto border-t border-ink-800 p-4 text-sm md:max-h-none md:w-96 md:border-l md:border-t-0">
        <h2 className="font-semibold text-ink-100">Vary (Region)</h2>
        <div role="toolbar" aria-label="Mask tools" className="flex flex-wrap items-center gap-2">
          {TOOLS.map((entry) => (
            <Button key={entry.tool} size="sm" variant={tool === entry.tool ? "primary" : "secondary"} aria-pressed={tool === entry.tool} onClick={() => setTool(entry.tool)}>
              <span aria-hidden>{entry.glyph}</span> {entry.label}
            </Button>
          ))}
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor={sizeId} className="text-ink-300">Brush size</label>
          <input id={sizeId} type="range" min={4} max={160} step={2} value={brushSize} onChange={(event) => setBrushSize(Number(event.target.value))} className="flex-1" />
          <span className="w-10 text-right text-xs text-ink-300" aria-hidden>{brushSize}px</span>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="outline" disabled={history.done.length === 0} onClick={() => dispatch({ type: "undo" })} aria-keyshortcuts="Control+Z Meta+Z">
            Undo
          </Button>
          <Button size="sm" variant="outline" disabled={history.undone.length === 0} onClick={() => dispatch({ type: "redo" })} aria-keyshortcuts="Shift+Control+Z Shift+Meta+Z">
            Redo
          </Button>
          <Button size="sm" variant="outline" disabled={history.done.length === 0} onClick={() => dispatch({ type: "clear" })}>
            Clear mask
          </Button>
        </div>
        <label htmlFor={promptId} className="text-ink-300">Prompt</label>
        <textarea
          id={promptId}
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          rows={3}
          maxLength={6000}
          // shrink-0: in the phone's scrolling tools box a flex child would otherwise be squeezed to a sliver.
          className="min-h-20 shrink-0 rounded-lg border border-ink-700 bg-ink-900 p-2 text-ink-100"
        />
        {error && <p role="alert" className="text-red-300">{error}</p>}
        <Button variant="primary" size="lg" disabled={busy || history.done.length === 0} onClick={() => void submitRegion()}>
          {busy ? "Submitting…" : "Submit"}
        </Button>
        <p className="text-xs text-ink-300">Paint over what should change; the rest of the picture stays as it is. Four results appear in Create.</p>
        <OutpaintActions isSquare={target.width === target.height} disabled={busy} onMove={submitMove} />
      </aside>
    </Dialog>
  );
}
