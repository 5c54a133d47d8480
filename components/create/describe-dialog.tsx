"use client";

import { useEffect, useId, useState } from "react";
import { ApiError, callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { uploadImage, type ImagePromptChoice } from "./image-prompt";

/** What is being described: an upload or one of the user's images, with a thumbnail to show. */
export type DescribeSource = ImagePromptChoice;

type State = { step: "pick" } | { step: "working"; source: DescribeSource | null } | { step: "done"; source: DescribeSource; prompts: string[] } | { step: "error"; source: DescribeSource | null; message: string };

const messageOf = (error: unknown) => (error instanceof ApiError || error instanceof Error ? error.message : "Describe failed. Try again.");

/** The dialog's next state once the prompts for `source` arrive (or fail). */
async function requestPrompts(source: DescribeSource, model: string | null): Promise<State> {
  try {
    const result = await callApi(endpoints.describeImage, { body: { ...source.ref, model: model ?? undefined } });
    return { step: "done", source, prompts: result.prompts };
  } catch (error) {
    return { step: "error", source, message: messageOf(error) };
  }
}

/**
 * Describe (docs/describe.md §1): upload an image, or start from one of yours,
 * and get four prompts; choosing one imagines it and closes the dialog.
 */
export function DescribeDialog({ source: initialSource, model, onClose, onImagine }: {
  /** Describe this image at once; null asks for an upload first. */
  source: DescribeSource | null;
  /** The model the prompts are for (the settings panel's), or the default. */
  model: string | null;
  onClose: () => void;
  onImagine: (prompt: string) => void;
}) {
  const [state, setState] = useState<State>(initialSource ? { step: "working", source: initialSource } : { step: "pick" });
  const inputId = useId();

  async function describe(source: DescribeSource) {
    setState({ step: "working", source });
    setState(await requestPrompts(source, model));
  }

  // An image from the large view is described as soon as the dialog opens (the state starts as "working").
  useEffect(() => {
    if (!initialSource) return;
    let open = true;
    void requestPrompts(initialSource, model).then((next) => open && setState(next));
    return () => {
      open = false;
    };
    // Only on open: a later change of model does not re-describe behind the user's back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setState({ step: "working", source: null });
    try {
      const uploaded = await uploadImage(file);
      await describe(uploaded);
    } catch (error) {
      setState({ step: "error", source: null, message: messageOf(error) });
    }
  }

  const source = state.step === "pick" ? null : state.source;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Describe" description="Four prompts that would make something like an image. Choose one to imagine it.">
      <div className="flex items-start gap-4">
        {source ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={source.thumbUrl} alt="The image being described" className="h-24 w-24 shrink-0 rounded-lg object-cover" />
        ) : (
          <div className="flex h-24 w-24 shrink-0 items-center justify-center rounded-lg border border-dashed border-ink-700 text-xs text-ink-300">No image</div>
        )}
        <div className="flex flex-col gap-2">
          <label htmlFor={inputId} className="text-ink-100">
            {source ? "Describe another image" : "Image to describe"}
          </label>
          <input id={inputId} type="file" accept="image/png,image/jpeg,image/webp" disabled={state.step === "working"} onChange={(event) => void onFile(event.target.files?.[0])}
            className="text-xs text-ink-300 file:mr-2 file:rounded-md file:border file:border-ink-700 file:bg-ink-800 file:px-2 file:py-1 file:text-ink-100" />
        </div>
      </div>
      {state.step === "working" && <p role="status" className="text-ink-300">Describing…</p>}
      {state.step === "error" && <p role="alert" className="text-red-300">{state.message}</p>}
      {state.step === "done" && (
        <ol aria-label="Suggested prompts" className="flex flex-col gap-2">
          {state.prompts.map((prompt, index) => (
            <li key={prompt}>
              <button type="button" onClick={() => onImagine(prompt)} aria-label={`Imagine suggestion ${index + 1}: ${prompt}`}
                className="flex w-full items-start gap-3 rounded-lg border border-ink-700 bg-ink-950 p-3 text-left text-ink-100 hover:border-ink-300 hover:bg-ink-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-ink-100">
                <span aria-hidden className="font-mono text-xs text-ink-300">{index + 1}</span>
                <span className="flex-1">{prompt}</span>
                <span aria-hidden className="text-xs text-ink-300">Imagine ↵</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="flex justify-end">
        <Button variant="outline" onClick={onClose}>
          Close
        </Button>
      </div>
    </Dialog>
  );
}
