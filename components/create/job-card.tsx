"use client";

import { isActiveStatus } from "@/lib/jobs/model";
import { JOB_TYPE_LABELS } from "@/lib/jobs/type-labels.generated";
import type { TImageView, TJobType, TJobView } from "@/lib/schemas/jobs";
import { apiUrl } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { formatGpuTime } from "../format";
import { Button } from "../ui/button";
import { Tooltip } from "../ui/tooltip";
import { expectedTiles, liveStatusLabel } from "./live-status";
import { useJobStream } from "./use-job-stream";
import { ImagePromptThumb } from "./image-prompt";

/** The one-click actions on a grid image (each a job type of the registry). */
export type ImageAction = Extract<TJobType, "vary-subtle" | "vary-strong" | "upscale-subtle" | "upscale-creative" | "enhance">;

interface JobCardProps {
  job: TJobView;
  /** The newest job: its images are what the page shows first (its largest paint), so they load at once, not lazily. */
  isFirst?: boolean;
  onUpdate: (job: TJobView) => void;
  onOpen: (job: TJobView, image: TImageView) => void;
  onImageAction: (image: TImageView, action: ImageAction) => void;
  onRerun: (job: TJobView) => void;
  onCancel: (job: TJobView) => void;
  onUsePrompt: (job: TJobView) => void;
}

const TYPE_LABELS = JOB_TYPE_LABELS;

/** Display width of a tile: small models' images are shown enlarged, big ones scaled down. */
function tileWidth(job: TJobView, tiles: number): number {
  const perImage = tiles > 1 ? 256 : 512;
  return Math.round((perImage * job.size.width) / Math.max(job.size.width, job.size.height));
}

/** Two columns of tiles at their display width, shrunk together to fit a phone's screen (any aspect ratio). */
function gridProps(width: number, tiles: number) {
  return { className: `grid max-w-full gap-2 ${tiles > 1 ? "grid-cols-2" : "grid-cols-1"}`, style: { width: tiles > 1 ? width * 2 + 8 : width } };
}

export function JobCard(props: JobCardProps) {
  const { job } = props;
  const live = useJobStream(job, props.onUpdate);
  const isActive = isActiveStatus(job.status);
  const percent = Math.round((job.status === "completed" ? 1 : live.fraction) * 100);
  const liveTiles = expectedTiles(job, live.preview);
  const width = tileWidth(job, isActive ? liveTiles : job.images.length);
  const statusLabel = liveStatusLabel(job.status, live);

  return (
    <article aria-label={`Job: ${job.prompt}`} data-testid="job-card" data-status={job.status} className="flex flex-col gap-3 border-b border-ink-800 pb-6">
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
        {job.imagePrompt && <ImagePromptThumb imagePrompt={job.imagePrompt} className="h-6 w-6 self-center rounded object-cover" />}
        {job.parentImageId && (
          // eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API
          <img
            src={apiUrl(endpoints.imageFile, { params: { id: job.parentImageId }, query: { size: "thumb" } })}
            alt={`Source image of this ${TYPE_LABELS[job.type]}`}
            data-testid="source-thumb"
            width={32}
            height={32}
            className="h-8 w-8 self-center rounded object-cover"
          />
        )}
        <p className="max-w-3xl text-ink-100">{job.prompt}</p>
        <span className="text-xs text-ink-300">
          {TYPE_LABELS[job.type]} · {job.size.width}×{job.size.height} · {job.mode}
          {job.isDraft && <span className="ml-2 rounded bg-amber-500/20 px-1.5 py-0.5 text-amber-200">Draft</span>}
        </span>
      </header>

      {isActive && (
        <div className="flex items-center gap-3 text-xs text-ink-300">
          <div role="progressbar" aria-label="Progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-1.5 w-64 overflow-hidden rounded-full bg-ink-800">
            <div className="h-full bg-accent transition-[width] duration-100" style={{ width: `${percent}%` }} />
          </div>
          <span role="status" data-testid="job-status" className="whitespace-nowrap">{statusLabel}</span>
          <Button variant="outline" size="xs" onClick={() => props.onCancel(job)}>Cancel</Button>
        </div>
      )}
      {job.status === "failed" && <p role="alert" className="text-sm text-red-300">{job.error ?? "This job failed."}</p>}
      {job.status === "cancelled" && <p className="text-sm text-ink-300">Cancelled.</p>}

      {isActive && (
        <ul {...gridProps(width, liveTiles)} aria-label="Images forming" data-testid="live-tiles">
          {Array.from({ length: liveTiles }, (_, index) => (
            <LiveTile key={index} job={job} index={index} src={live.preview?.[index]} label={statusLabel} />
          ))}
        </ul>
      )}

      {job.images.length > 0 && (
        <ul {...gridProps(width, job.images.length)} aria-label="Images">
          {job.images.map((image) => (
            <li key={image.id} className="group relative min-w-0">
              <button type="button" onClick={() => props.onOpen(job, image)} className="block w-full overflow-hidden rounded-lg bg-ink-900" aria-label={`Open image ${image.index + 1} (seed ${image.seed})`}>
                {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
                <img src={image.thumbUrl} alt={`${job.prompt} — image ${image.index + 1}`} width={image.width} height={image.height} loading={props.isFirst ? "eager" : "lazy"} fetchPriority={props.isFirst && image.index === 0 ? "high" : "auto"} className="h-auto w-full [image-rendering:auto]" />
              </button>
              <div className="pointer-events-none absolute inset-x-1 bottom-1 flex flex-wrap gap-1 opacity-0 transition group-focus-within:pointer-events-auto group-focus-within:opacity-100 group-hover:pointer-events-auto group-hover:opacity-100">
                <ActionButton label="Vary (Subtle)" icon="≈" onClick={() => props.onImageAction(image, "vary-subtle")} />
                <ActionButton label="Vary (Strong)" icon="≋" onClick={() => props.onImageAction(image, "vary-strong")} />
                <ActionButton label="Upscale (Subtle)" icon="⤢" onClick={() => props.onImageAction(image, "upscale-subtle")} />
                <ActionButton label="Upscale (Creative)" icon="✦" onClick={() => props.onImageAction(image, "upscale-creative")} />
                {image.isDraft && <ActionButton label="Enhance" icon="✧" onClick={() => props.onImageAction(image, "enhance")} />}
              </div>
            </li>
          ))}
        </ul>
      )}

      {!isActive && (
        <div className="flex flex-wrap items-center gap-2 text-xs">
          <Button variant="outline" size="xs" onClick={() => props.onRerun(job)}>Rerun</Button>
          <Button variant="outline" size="xs" onClick={() => props.onUsePrompt(job)}>Use prompt</Button>
          {job.status === "completed" && (
            <span data-testid="receipt" className="text-ink-300">
              GPU {formatGpuTime(job.gpuMs)} · {job.mode} ×{job.receipt.multiplier} · charged {formatGpuTime(job.receipt.chargedMs ?? 0)}
            </span>
          )}
        </div>
      )}
    </article>
  );
}

/**
 * One tile of a running job: the newest live preview of its image (blurry
 * early, sharper later), or a pulsing placeholder before the first, with the
 * job's stage written on it. The status line above says the same to screen
 * readers, so the badge is hidden from them.
 */
function LiveTile({ job, index, src, label }: { job: TJobView; index: number; src: string | undefined; label: string }) {
  return (
    <li className="relative min-w-0 overflow-hidden rounded-lg bg-ink-900" style={{ aspectRatio: `${job.size.width} / ${job.size.height}` }} data-testid="live-tile">
      {src ? (
        // eslint-disable-next-line @next/next/no-img-element -- a data URL from the job's event stream
        <img src={src} alt={`Image ${index + 1} forming`} data-testid="preview-image" className="h-full w-full object-cover blur-[1px] [image-rendering:auto]" />
      ) : (
        <div aria-hidden className="h-full w-full animate-pulse bg-ink-800/60" />
      )}
      <span aria-hidden className="absolute bottom-1.5 left-1.5 rounded bg-ink-950/80 px-1.5 py-0.5 text-xs text-ink-100">
        {label}
      </span>
    </li>
  );
}

/** An icon button named by its label; the label is written out while the button has keyboard focus. */
function ActionButton({ label, icon, onClick }: { label: string; icon: string; onClick: () => void }) {
  return (
    <Tooltip content={label}>
      <button type="button" onClick={onClick} aria-label={label} className="group/action inline-flex items-center gap-1 rounded-md bg-ink-950/85 px-2 py-1 text-xs text-ink-100 backdrop-blur hover:bg-ink-800">
        <span aria-hidden>{icon}</span>
        <span aria-hidden className="hidden group-focus-visible/action:inline">{label}</span>
      </button>
    </Tooltip>
  );
}
