"use client";

import { useId, useState } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { THouseStyle, THouseStyleAxis, THouseStyleVersion } from "@/lib/schemas/house-style";
import { Button } from "../ui/button";

/** Slider steps: fine enough to matter on the steering curve, coarse enough to set with arrow keys. */
const STEP = 0.05;

function round(value: number): number {
  return Math.round(value / STEP) * STEP;
}

/** What a version was made from, in words. */
export function describeSources(version: THouseStyleVersion): string {
  const { sources } = version;
  const pooled = `${sources.members} member${sources.members === 1 ? "" : "s"}: ${sources.profiles} profile${sources.profiles === 1 ? "" : "s"}, ${sources.moodboards} moodboard${sources.moodboards === 1 ? "" : "s"}`;
  if (sources.kind === "pooled") return `Pooled from ${pooled}`;
  const from = sources.adjustedFrom ? `Adjusted from ${sources.adjustedFrom}` : "Set by hand";
  return sources.members > 0 ? `${from} (pooled from ${pooled})` : from;
}

/** Where a value sits between the phrases, for screen readers and the label beside the slider. */
function valueText(axis: THouseStyleAxis, value: number): string {
  if (Math.abs(value) < STEP / 2) return "neutral";
  return `${Math.abs(value).toFixed(2)} towards ${value < 0 ? axis.negative : axis.positive}`;
}

function AxisSlider({ axis, value, onChange }: { axis: THouseStyleAxis; value: number; onChange: (value: number) => void }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1" data-testid={`axis-${axis.id}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
        {/* The name is the axis alone; where the value sits is the slider's aria-valuetext (shown here for sighted users). */}
        <label htmlFor={id} className="font-medium capitalize">{axis.id}</label>
        <span aria-hidden className="text-xs text-ink-300">{valueText(axis, value)}</span>
      </div>
      <input
        id={id}
        type="range"
        min={-1}
        max={1}
        step={STEP}
        value={value}
        aria-valuetext={valueText(axis, value)}
        aria-describedby={`${id}-poles`}
        onChange={(event) => onChange(Number(event.target.value))}
        className="w-full accent-ink-100"
      />
      <div id={`${id}-poles`} className="flex justify-between gap-3 text-xs text-ink-300">
        <span className="min-w-0 break-words">{axis.negative}</span>
        <span className="min-w-0 break-words text-right">{axis.positive}</span>
      </div>
    </div>
  );
}

/**
 * The house style of one team (docs/teams.md, House style): pick a model,
 * pool the members' tastes, adjust the named axes and save the result as a
 * new version, pin one as the team's `--p`. Every change makes a version;
 * none is ever edited in place, so a code always means the same style.
 */
export function HouseStyleEditor({ initial }: { initial: THouseStyle }) {
  const [data, setData] = useState(initial);
  const latest = initial.versions[0] ?? null;
  const [base, setBase] = useState<THouseStyleVersion | null>(initial.pinned?.model === initial.model ? initial.pinned : latest);
  const [values, setValues] = useState<number[]>(base?.axes ?? initial.axes.map(() => 0));
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const modelId = useId();
  const params = { id: data.team.id };
  const dirty = !base || values.some((value, k) => Math.abs(value - (base.axes[k] ?? 0)) > 1e-9);

  function show(next: THouseStyle, start: THouseStyleVersion | null) {
    setData(next);
    setBase(start);
    setValues(start?.axes ?? next.axes.map(() => 0));
  }

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setStatus(await work());
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  const reload = (model: string) => callApi(endpoints.getHouseStyle, { params, query: { model } });

  const pickModel = (model: string) =>
    act(async () => {
      const next = await reload(model);
      show(next, next.pinned?.model === model ? next.pinned : (next.versions[0] ?? null));
      return `Showing ${model}.`;
    });

  const pool = () =>
    act(async () => {
      const made = await callApi(endpoints.poolHouseStyle, { params, body: { modelId: data.model } });
      show(await reload(data.model), made);
      return `New version ${made.code}: ${describeSources(made).toLowerCase()}.`;
    });

  const save = () =>
    act(async () => {
      const made = await callApi(endpoints.adjustHouseStyle, { params, body: { modelId: data.model, axes: values.map(round).map((v) => Math.max(-1, Math.min(1, v))), ...(base && { fromCode: base.code }) } });
      show(await reload(data.model), made);
      return `Saved as version ${made.code}. Pin it to make it the team's --p.`;
    });

  const pin = (code: string | null) =>
    act(async () => {
      await callApi(endpoints.pinHouseStyle, { params, body: { code } });
      const next = await reload(data.model);
      setData(next);
      // The sliders stay where they are; only the shown version's pinned flag changes.
      setBase((current) => next.versions.find((version) => version.code === current?.code) ?? current);
      return code ? `Pinned ${code}: members' --p on ${data.model} now uses it.` : "Unpinned: members' --p uses their own profiles again.";
    });

  async function copy(code: string) {
    await navigator.clipboard.writeText(`--p ${code}`);
    setStatus(`Copied --p ${code}.`);
  }

  return (
    <div className="flex min-w-0 flex-col gap-8">
      <section aria-labelledby="house-style-model" className="flex flex-col gap-3">
        <h2 id="house-style-model" className="text-lg font-medium">Model</h2>
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor={modelId} className="text-sm font-medium">Style axes of</label>
            <select
              id={modelId}
              value={data.model}
              disabled={busy}
              onChange={(event) => void pickModel(event.target.value)}
              className="max-w-full rounded-md border border-ink-700 bg-ink-900 px-3 py-1.5 text-sm"
            >
              {data.models.map((model) => (
                <option key={model.id} value={model.id}>{model.name === model.id ? model.id : `${model.name} (${model.id})`}</option>
              ))}
            </select>
          </div>
          <Button variant="primary" disabled={busy} onClick={() => void pool()}>Pool from members</Button>
        </div>
        <p className="max-w-2xl text-sm text-ink-300">
          Pooling averages each member&apos;s latest profile and moodboards for this model, every member counting once. {data.pinned
            ? <>Pinned: <strong className="font-mono text-ink-100">{data.pinned.code}</strong> on {data.pinned.model}; it is what a member&apos;s <code>--p</code> means on that model.</>
            : <>Nothing is pinned: a member&apos;s <code>--p</code> uses their own profile.</>}
        </p>
      </section>

      <section aria-labelledby="house-style-axes" className="flex max-w-2xl flex-col gap-4">
        <h2 id="house-style-axes" className="text-lg font-medium">
          {base ? <>Axes of <span className="font-mono">{base.code}</span>{base.pinned && " (pinned)"}</> : "Axes (neutral)"}
        </h2>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {data.axes.map((axis, k) => (
            <AxisSlider key={axis.id} axis={axis} value={values[k] ?? 0} onChange={(value) => setValues((current) => current.map((old, i) => (i === k ? value : old)))} />
          ))}
        </div>
        <div className="flex flex-wrap gap-3">
          <Button variant="primary" disabled={busy || !dirty} onClick={() => void save()}>Save as new version</Button>
          {base && !dirty && (base.pinned
            ? <Button variant="outline" disabled={busy} onClick={() => void pin(null)}>Unpin</Button>
            : <Button variant="secondary" disabled={busy} onClick={() => void pin(base.code)}>Pin {base.code}</Button>)}
          {dirty && base && <Button variant="ghost" disabled={busy} onClick={() => setValues(base.axes)}>Reset to {base.code}</Button>}
        </div>
      </section>

      <p role="status" className="min-h-5 text-sm text-ink-200">{status}</p>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}

      <section aria-labelledby="house-style-versions" className="flex flex-col gap-3">
        <h2 id="house-style-versions" className="text-lg font-medium">Versions</h2>
        {data.versions.length === 0 ? (
          <p className="text-sm text-ink-300">No versions for {data.model} yet. Pool from members, or set the sliders and save.</p>
        ) : (
          <ul className="flex max-w-3xl flex-col gap-2" aria-label={`House style versions for ${data.model}`}>
            {data.versions.map((version) => (
              <li key={version.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border border-ink-800 p-3 text-sm">
                <Button variant="outline" size="sm" className="font-mono" aria-label={`Copy --p ${version.code}`} onClick={() => void copy(version.code)}>
                  {version.code}
                </Button>
                {version.pinned && <span className="rounded bg-ink-100 px-1.5 py-0.5 text-xs font-medium text-ink-950">Pinned</span>}
                <span className="min-w-0 flex-1 basis-48 text-ink-300">
                  {describeSources(version)} · {version.createdAt.slice(0, 16).replace("T", " ")} UTC{version.createdBy && ` · ${version.createdBy}`}
                </span>
                <Button variant="ghost" size="sm" disabled={busy} aria-label={`Edit ${version.code}`} onClick={() => { setBase(version); setValues(version.axes); }}>
                  Edit
                </Button>
                {!version.pinned && (
                  <Button variant="ghost" size="sm" disabled={busy} aria-label={`Pin ${version.code}`} onClick={() => void pin(version.code)}>
                    Pin
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
