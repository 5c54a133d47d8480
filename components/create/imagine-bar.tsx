"use client";

import { forwardRef, useEffect, useMemo, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent } from "react";
import { PROMPT_PARAMETERS } from "@/lib/prompt";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { callApi } from "@/lib/api/client";
import type { BodyInput } from "@/lib/api/contract";
import { endpoints } from "@/lib/api/endpoints";
import { apiKey } from "../query/api-query";
import { PersonalizationToggle } from "../personalize/personalization-toggle";
import { formatGpuTime } from "../format";
import { Button } from "../ui/button";
import { SegmentedControl } from "../ui/segmented-control";
import { Switch } from "../ui/switch";
import type { TUpload } from "@/lib/schemas/uploads";
import { ImagePromptButton, imageFileOf, uploadImage, type ImagePromptChoice } from "./image-prompt";
import { ASPECT_CHOICES, composePrompt, type CreateSettings } from "./settings";
import { Dialog, DialogClose } from "../ui/dialog";
import { addModelWord, type TModelWords } from "@/lib/models/prompt-words";
import { ModelWords } from "./model-words";

interface ImagineBarProps {
  text: string;
  onTextChange: (text: string) => void;
  settings: CreateSettings;
  onSettingsChange: (settings: CreateSettings) => void;
  onSubmit: (prompt: string) => Promise<void>;
  serverError: string | null;
  models: Array<{ id: string; name: string; words?: TModelWords | null }>;
  /** The studio's default model: what "Studio default" in the settings means. */
  defaultModelId?: string;
  /** The image prompt the next job starts from (kept until removed, as in Midjourney). */
  imagePrompt: ImagePromptChoice | null;
  onImagePromptChange: (value: ImagePromptChoice | null) => void;
  /** Opens the Editor on an upload (from the recent uploads). */
  onEditUpload?: (upload: TUpload) => void;
}

/** The parameter being typed at the end of the text, for the inline hint. */
function currentParameter(text: string) {
  const match = /(?:--|—)([a-z]*)(?:\s+[^-—]*)?$/i.exec(text);
  if (!match) return null;
  const typed = `--${match[1]?.toLowerCase() ?? ""}`;
  return PROMPT_PARAMETERS.filter((parameter) => [parameter.name, ...parameter.aliases].some((name) => name.startsWith(typed))).slice(0, 4);
}

export const ImagineBar = forwardRef<HTMLTextAreaElement, ImagineBarProps>(function ImagineBar(props, ref) {
  const { text, settings } = props;
  const selectedModel = props.models.find((model) => model.id === (settings.model ?? props.defaultModelId)) ?? (props.models.length === 1 ? props.models[0] : undefined);
  const [showSettings, setShowSettings] = useState(false);
  const [pending, setPending] = useState(false);
  /** A permutation prompt waiting for the user to confirm how many jobs it makes. */
  const [confirming, setConfirming] = useState(false);
  const composed = useMemo(() => (text.trim() ? composePrompt(text, settings) : null), [text, settings]);
  const hints = useMemo(() => currentParameter(text), [text]);
  const localError = composed && !composed.ok ? composed.message : null;
  const [estimateInput, setEstimateInput] = useState<BodyInput<typeof endpoints.estimateJob> | null>(null);
  const composedPrompt = composed?.ok ? composed.prompt : null;
  const [upload, setUpload] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const imagePromptRef = props.imagePrompt?.ref;
  const imagePromptKey = imagePromptRef ? JSON.stringify(imagePromptRef) : null;

  // The cost before submitting: asked for once typing pauses; the last answer stays up while the next is on its way.
  useEffect(() => {
    if (!composedPrompt) return;
    const timer = setTimeout(() => {
      const model = settings.model ?? undefined;
      const imagePrompt = imagePromptKey ? (JSON.parse(imagePromptKey) as ImagePromptChoice["ref"]) : undefined;
      setEstimateInput({ prompt: composedPrompt, model, imagePrompt });
    }, 300);
    return () => clearTimeout(timer);
  }, [composedPrompt, settings.model, imagePromptKey]);
  const { data: estimate } = useQuery({
    queryKey: [...apiKey(endpoints.estimateJob), estimateInput],
    queryFn: ({ signal }) => callApi(endpoints.estimateJob, { body: estimateInput ?? { prompt: "" }, signal }),
    enabled: estimateInput !== null,
    placeholderData: keepPreviousData,
  });

  // An upload error belongs to that upload: anything the user does next clears it.
  const clearUploadError = () => setUpload((current) => (current.error ? { ...current, error: null } : current));
  const changeImagePrompt = (value: ImagePromptChoice | null) => {
    clearUploadError();
    props.onImagePromptChange(value);
  };

  /**
   * The attached image as a style reference instead (Midjourney's "Style reference"): its id goes
   * into the prompt as `--sref`, where the user sees and can edit it, and it stops being the image prompt.
   */
  function attachAsStyleReference() {
    const ref = props.imagePrompt?.ref;
    const id = ref?.uploadId ?? ref?.imageId;
    if (!id) return;
    props.onTextChange(`${text.trimEnd()} --sref ${id}`.trimStart());
    changeImagePrompt(null);
  }

  async function attach(file: File) {
    setUpload({ busy: true, error: null });
    try {
      props.onImagePromptChange(await uploadImage(file));
      setUpload({ busy: false, error: null });
    } catch (error) {
      setUpload({ busy: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  // An image dropped on the bar or pasted into the prompt becomes the image prompt.
  function onDrop(event: DragEvent<HTMLFormElement>) {
    const file = imageFileOf(event.dataTransfer);
    if (!file) return;
    event.preventDefault();
    void attach(file);
  }
  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const file = imageFileOf(event.clipboardData);
    if (!file) return;
    event.preventDefault();
    void attach(file);
  }

  async function submit(event?: FormEvent, confirmed = false) {
    event?.preventDefault();
    if (!composed?.ok || pending) return;
    // Permutations make several jobs at once: say how many and what they cost before sending.
    if (composed.jobs > 1 && composed.prompt.startsWith("{") && !confirmed) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    clearUploadError();
    setPending(true);
    try {
      await props.onSubmit(composed.prompt);
    } finally {
      setPending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  }

  const set = <K extends keyof CreateSettings>(key: K, value: CreateSettings[K]) => props.onSettingsChange({ ...settings, [key]: value });

  return (
    <form onSubmit={submit} onDragOver={(event) => event.preventDefault()} onDrop={onDrop} className="flex flex-col gap-2" aria-label="Imagine">
      <div className="flex flex-wrap items-end justify-end gap-2 rounded-2xl border border-ink-700 bg-ink-900 p-2 focus-within:border-ink-500 md:flex-nowrap">
        <label htmlFor="imagine-prompt" className="sr-only">Prompt</label>
        <textarea
          id="imagine-prompt"
          ref={ref}
          rows={1}
          value={text}
          onChange={(event) => {
            clearUploadError();
            props.onTextChange(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          placeholder="What will you imagine?  e.g. a large red house on the left under a sunset sky --ar 16:9"
          aria-invalid={Boolean(localError)}
          aria-describedby="imagine-feedback"
          className="max-h-40 min-h-10 min-w-0 flex-1 basis-full resize-none md:basis-auto bg-transparent px-2 py-2 text-sm outline-none placeholder:text-ink-300"
        />
        <ImagePromptButton value={props.imagePrompt} busy={upload.busy} onFile={(file) => void attach(file)} onPick={changeImagePrompt} onRemove={() => changeImagePrompt(null)} onEditUpload={props.onEditUpload} onUseAsStyle={attachAsStyleReference} />
        <Button variant="ghost" size="lg" onClick={() => setShowSettings((value) => !value)} aria-expanded={showSettings} aria-controls="imagine-settings">
          Settings
        </Button>
        <Button type="submit" variant="primary" size="lg" disabled={!composed?.ok || pending}>
          {pending ? "Sending…" : "Imagine"}
        </Button>
      </div>
      <div id="imagine-feedback" aria-live="polite" className="min-h-9 px-2 text-xs">
        {localError ? (
          <span role="alert" className="block text-red-300">{localError}</span>
        ) : upload.error ? (
          <span role="alert" className="block text-red-300">{upload.error}</span>
        ) : props.serverError ? (
          <span role="alert" className="block text-red-300">{props.serverError}</span>
        ) : composed?.ok && estimate?.limit ? (
          <span role="alert" data-testid="plan-limit" className="block text-amber-200">{estimate.limit}</span>
        ) : null}
        {hints && hints.length > 0 && (
          <span className="block text-ink-300">
            {hints.map((hint) => (
              <span key={hint.name} className="mr-4">
                <code className="text-ink-100">{hint.name}</code> {hint.takes} — {hint.description}
              </span>
            ))}
          </span>
        )}
        {/* What Imagine sends, always in view while the prompt is valid (the panel's settings applied). */}
        {composed?.ok && (
          <span data-testid="sends" className="block break-words text-ink-300">Sends: <code className="text-ink-100">{composed.prompt}</code></span>
        )}
        {composed?.ok && composed.recipe.ignored.length > 0 && (
          <span data-testid="ignored-parameters" className="block text-amber-200">
            Not applied:{" "}
            {composed.recipe.ignored.map((parameter) => (
              <span key={parameter.name} className="mr-3">
                <code>{parameter.name}</code> — {parameter.reason}
              </span>
            ))}
          </span>
        )}
        {composed?.ok && estimate && (
          <span data-testid="estimate" className="block text-ink-300">
            Cost ≈ {formatGpuTime(estimate.gpuMs)} GPU · {estimate.mode} ×{estimate.multiplier} → {formatGpuTime(estimate.chargeMs)} of your {formatGpuTime(estimate.remainingMs)} fast time
          </span>
        )}
      </div>
      {selectedModel?.words && (
        <ModelWords modelName={selectedModel.name} words={selectedModel.words} onAdd={(group, phrase) => props.onTextChange(addModelWord(text, group, phrase))} />
      )}
      <Dialog open={confirming} onOpenChange={setConfirming} title={`Make ${composed?.ok ? composed.jobs : 0} jobs?`} description="The braces in this prompt make one job for each combination.">
        {estimate && <p>Cost ≈ {formatGpuTime(estimate.chargeMs)} of your {formatGpuTime(estimate.remainingMs)} fast time ({estimate.mode}).</p>}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="ghost">Cancel</Button>
          </DialogClose>
          <Button variant="primary" onClick={() => void submit(undefined, true)}>
            Make {composed?.ok ? composed.jobs : 0} jobs
          </Button>
        </div>
      </Dialog>
      {showSettings && (
        <fieldset id="imagine-settings" className="grid gap-4 rounded-2xl border border-ink-800 bg-ink-900 p-4 text-sm md:grid-cols-2">
          <legend className="sr-only">Image settings</legend>
          <div className="flex flex-col gap-2">
            <span className="text-ink-300" id="aspect-label">Aspect ratio</span>
            <SegmentedControl labelledBy="aspect-label" value={settings.aspect} options={ASPECT_CHOICES.map((aspect) => ({ value: aspect, label: aspect }))} onValueChange={(aspect) => set("aspect", aspect)} />
          </div>
          <div className="flex flex-col gap-2">
            <span className="text-ink-300" id="mode-label">Speed</span>
            <SegmentedControl labelledBy="mode-label" value={settings.mode} options={(["turbo", "fast", "relax"] as const).map((mode) => ({ value: mode, label: mode }))} onValueChange={(mode) => set("mode", mode)} itemClassName="capitalize" />
          </div>
          <label className="flex flex-col gap-1 text-ink-300">
            Stylize <span className="text-xs text-ink-300">{settings.stylize}</span>
            <input type="range" min={0} max={1000} step={25} value={settings.stylize} onChange={(event) => set("stylize", Number(event.target.value))} />
          </label>
          <label className="flex flex-col gap-1 text-ink-300">
            Chaos <span className="text-xs text-ink-300">{settings.chaos}</span>
            <input type="range" min={0} max={100} step={5} value={settings.chaos} onChange={(event) => set("chaos", Number(event.target.value))} />
          </label>
          <label className="flex items-center gap-2 text-ink-300">
            <input type="checkbox" checked={settings.draft} onChange={(event) => set("draft", event.target.checked)} />
            Draft mode (fast, low-cost drafts; Enhance the one you like)
          </label>
          {props.models.length > 1 && (
            <label className="flex flex-col gap-1 text-ink-300">
              Model
              <select value={settings.model ?? ""} onChange={(event) => set("model", event.target.value || null)} className="rounded-md border border-ink-700 bg-ink-800 px-2 py-1">
                <option value="">Studio default</option>
                {props.models.map((model) => <option key={model.id} value={model.id}>{model.name}</option>)}
              </select>
            </label>
          )}
          <PersonalizationToggle />
          <div className="flex items-center justify-between gap-4 text-ink-300 md:col-span-2">
            {/* Named "Remix" alone (the explanation is its description), so the switch's name never reads like the prompt box's. */}
            <span>
              <span id="remix-label">Remix</span>
              <span id="remix-help" className="block text-xs text-ink-300">Vary, Zoom Out, Pan and Make Square ask for the prompt first, so you can change it.</span>
            </span>
            <Switch checked={settings.remix} onCheckedChange={(remix) => set("remix", remix)} aria-labelledby="remix-label" aria-describedby="remix-help" />
          </div>
          <p className="text-xs text-ink-300 md:col-span-2">Parameters typed in the prompt win over these settings.</p>
        </fieldset>
      )}
    </form>
  );
});
