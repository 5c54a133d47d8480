"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { formatPrompt, PROMPT_LIMITS, ZPromptRecipe } from "@/lib/prompt";
import type { TEditRequest } from "@/lib/schemas/editor";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import type { TUpload } from "@/lib/schemas/uploads";
import type { EditMove } from "../editor/edit-moves";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "../ui/button";
import { ImagineBar } from "./imagine-bar";
import { DescribeDialog, EditorDialog, ImageViewer } from "../lazy-dialogs";
import type { DescribeSource } from "./describe-dialog";
import { choiceFromJob, type ImagePromptChoice } from "./image-prompt";
import { JobCard, type ImageAction } from "./job-card";
import { DEFAULT_SETTINGS, type CreateSettings } from "./settings";
import { useJobActions } from "./use-job-actions";
import { useImageEdits } from "../editor/use-image-edits";
import type { TModelWords } from "@/lib/models/prompt-words";

/** The Create page: imagine bar on top, the job feed (newest first) below. */
export function CreateStudio(props: {
  initialJobs: TJobView[];
  initialCursor: string | null;
  initialText?: string;
  /** "Use image" from Organize arrives as ?image= */
  initialImagePrompt?: ImagePromptChoice | null;
  /** `canDescribe`: Describe works for the model (docs/describe.md); absent means it does not. */
  models: Array<{ id: string; name: string; canDescribe?: boolean; words?: TModelWords | null }>;
  /** The model used when the settings panel names none. */
  defaultModelId?: string;
  /** The settings panel as this user left it (kept on the server). */
  initialSettings?: CreateSettings;
}) {
  const { initialJobs, initialCursor, initialText = "" } = props;
  const [jobs, setJobs] = useState(initialJobs);
  const [cursor, setCursor] = useState(initialCursor);
  // "Use prompt" from other pages arrives as ?prompt=
  const [text, setText] = useState(initialText);
  const [settings, setSettingsState] = useState<CreateSettings>(props.initialSettings ?? DEFAULT_SETTINGS);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Every change of the panel is kept on the server (once the user stops moving a slider), so the next visit starts from it.
  const setSettings = useCallback((next: CreateSettings) => {
    setSettingsState(next);
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      void callApi(endpoints.updateMySettings, { body: { create: next } }).catch(() => undefined);
    }, 500);
  }, []);
  const [viewing, setViewing] = useState<{ jobId: string; imageId: string } | null>(null);
  const [imagePrompt, setImagePrompt] = useState<ImagePromptChoice | null>(props.initialImagePrompt ?? null);
  const promptRef = useRef<HTMLTextAreaElement>(null);
  // Describe: null = closed; { source: null } = open, asking for an upload.
  const [describing, setDescribing] = useState<{ source: DescribeSource | null } | null>(null);
  const describeModel = settings.model ?? props.defaultModelId ?? null;
  const canDescribe = props.models.some((model) => model.id === describeModel && model.canDescribe);

  // "/" focuses the imagine bar from anywhere on the page, as in Midjourney.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key === "/" && !viewing && target?.tagName !== "TEXTAREA" && target?.tagName !== "INPUT") {
        event.preventDefault();
        promptRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [viewing]);

  const upsert = useCallback((job: TJobView) => {
    setJobs((current) => (current.some((existing) => existing.id === job.id) ? current.map((existing) => (existing.id === job.id ? job : existing)) : [job, ...current]));
  }, []);

  const { error, setError, run, onImageAction, onRerun, onCancel } = useJobActions(upsert);
  // A server error is about the prompt that was sent: editing the prompt clears it.
  const changeText = useCallback((value: string) => {
    setText(value);
    setError(null);
  }, [setError]);

  async function submit(prompt: string) {
    const ok = await run(async () => {
      const created = await callApi(endpoints.submitJob, { body: { prompt, model: settings.model ?? undefined, imagePrompt: imagePrompt?.ref } });
      const others = await Promise.all(created.jobIds.slice(1).map((id) => callApi(endpoints.getJob, { params: { id } })));
      return [created, ...others];
    });
    if (ok) setText("");
  }

  const edits = useImageEdits({ remix: settings.remix, jobs, onJob: upsert, run });
  const [editingUpload, setEditingUpload] = useState<TUpload | null>(null);
  const { requestVary, requestMove, editImage } = edits;
  const openAction = useCallback((image: TImageView, action: ImageAction) => {
    setViewing(null);
    // With Remix on, Vary asks for the prompt first (docs/editor.md §8).
    if (action === "vary-subtle" || action === "vary-strong") requestVary(image, action === "vary-subtle" ? "subtle" : "strong");
    else onImageAction(image, action);
  }, [onImageAction, requestVary]);
  const onMove = useCallback((image: TImageView, move: EditMove) => {
    setViewing(null);
    requestMove(image, move);
  }, [requestMove]);
  const onEdit = useCallback(async (image: TImageView, request: TEditRequest) => {
    await editImage(image, request);
    setViewing(null);
  }, [editImage]);
  const onUseImage = useCallback((image: TImageView) => {
    setViewing(null);
    setImagePrompt({ ref: { imageId: image.id }, thumbUrl: image.thumbUrl });
    promptRef.current?.focus();
  }, []);
  const onUsePrompt = (job: TJobView) => {
    const recipe = ZPromptRecipe.safeParse(job.recipe);
    // The image prompt comes back with the text, so its --iw has something to weigh.
    const image = choiceFromJob(job.imagePrompt);
    setImagePrompt(image);
    const imageWeight = image ? undefined : { imageWeight: PROMPT_LIMITS.imageWeight.defaultValue };
    setText(recipe.success ? formatPrompt({ ...recipe.data, seed: null, repeat: 1, ...imageWeight }) : job.prompt);
    // For this prompt only: the saved panel stays as the user set it (and Remix, not a part of any prompt, stays as it is).
    setSettingsState((current) => ({ ...DEFAULT_SETTINGS, remix: current.remix }));
    promptRef.current?.focus();
  };

  async function loadMore() {
    if (!cursor) return;
    const page = await callApi(endpoints.listJobs, { query: { cursor } });
    setJobs((current) => [...current, ...page.jobs.filter((job) => !current.some((existing) => existing.id === job.id))]);
    setCursor(page.nextCursor);
  }

  const viewedJob = viewing ? jobs.find((job) => job.id === viewing.jobId) : undefined;
  const viewedIndex = viewedJob?.images.findIndex((image) => image.id === viewing?.imageId) ?? -1;
  const viewedImage = viewedJob?.images[viewedIndex];
  // ← → walk every image on the page: through a grid, then on to the next (older) or previous job.
  const step = useCallback((delta: number) => {
    if (!viewing) return;
    const all = jobs.flatMap((job) => job.images.map((image) => ({ jobId: job.id, imageId: image.id })));
    const at = all.findIndex((entry) => entry.jobId === viewing.jobId && entry.imageId === viewing.imageId);
    if (at < 0 || all.length === 0) return;
    const next = all[(at + delta + all.length) % all.length];
    if (next) setViewing(next);
  }, [jobs, viewing]);

  return (
    <div className="flex flex-col gap-8">
      <div className="sticky top-0 z-10 -mx-4 bg-ink-950/95 px-4 pb-2 pt-1 backdrop-blur md:-mx-10 md:px-10">
        <ImagineBar ref={promptRef} text={text} onTextChange={changeText} settings={settings} onSettingsChange={setSettings} onSubmit={submit} serverError={error} models={props.models} defaultModelId={props.defaultModelId}
          imagePrompt={imagePrompt} onImagePromptChange={setImagePrompt} onEditUpload={setEditingUpload} />
        {canDescribe && (
          <div className="mt-1 flex justify-end">
            <Button variant="ghost" size="xs" onClick={() => setDescribing({ source: null })}>
              Describe an image
            </Button>
          </div>
        )}
      </div>
      <section aria-label="Your jobs" className="flex flex-col gap-6">
        {jobs.length === 0 && <p className="text-sm text-ink-300">Nothing yet. Type a prompt above and press Enter.</p>}
        {jobs.map((job, index) => (
          <JobCard
            key={job.id}
            job={job}
            isFirst={index === 0}
            onUpdate={upsert}
            onOpen={(owner, image) => setViewing({ jobId: owner.id, imageId: image.id })}
            onImageAction={openAction}
            onRerun={onRerun}
            onCancel={onCancel}
            onUsePrompt={onUsePrompt}
          />
        ))}
        {cursor && (
          <Button variant="outline" size="lg" onClick={() => void loadMore()} className="self-center">
            Show older jobs
          </Button>
        )}
      </section>
      {viewedJob && viewedImage && (
        <ImageViewer job={viewedJob} image={viewedImage} onClose={() => setViewing(null)} onStep={step} onAction={openAction} onUseImage={onUseImage} onEdit={onEdit} onMove={onMove}
          onDescribe={canDescribe ? (image) => {
            setViewing(null);
            setDescribing({ source: { ref: { imageId: image.id }, thumbUrl: image.thumbUrl } });
          } : undefined} />
      )}
      {describing && (
        <DescribeDialog source={describing.source} model={describeModel} onClose={() => setDescribing(null)}
          onImagine={(prompt) => {
            setDescribing(null);
            void submit(prompt);
          }} />
      )}
      {edits.remixDialog}
      {editingUpload && (
        <EditorDialog
          target={{ url: editingUpload.url, alt: "Your upload", width: editingUpload.width, height: editingUpload.height, prompt: "" }}
          onClose={() => setEditingUpload(null)}
          onSubmit={(request) => edits.editUpload(editingUpload.id, request)}
        />
      )}
    </div>
  );
}
