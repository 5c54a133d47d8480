import { formatGpuTime } from "@/components/format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { capacitySentence, type TCapacityEstimate } from "@/lib/schemas/capacity";

const percent = (share: number) => `${Math.round(share * 100)} %`;
const KINDS = [
  ["full", "Full grid"],
  ["draft", "Draft"],
  ["vary", "Vary"],
  ["upscale", "Upscale"],
] as const;

/**
 * The capacity estimate for the studio's own last days (docs/scaling.md §2):
 * the sentence to plan on, then the mix it was simulated from, so an admin
 * can tell a measured cost from a bundled default.
 */
export function CapacityPanel({ estimate }: { estimate: TCapacityEstimate }) {
  return (
    <div className="flex max-w-3xl flex-col gap-3 text-sm">
      <p className="text-base" data-testid="capacity-sentence">
        {capacitySentence(estimate)}
      </p>
      {estimate.jobs > 0 && (
        <>
          <p className="text-ink-300">
            Last {estimate.windowDays} days: {estimate.jobs} jobs ({estimate.jobsPerDay.toFixed(1)} a day) from {estimate.users} user(s), busiest hour{" "}
            {estimate.peakToMean.toFixed(1)}× the mean; turbo {percent(estimate.modes.turbo)} · fast {percent(estimate.modes.fast)} · relax{" "}
            {percent(estimate.modes.relax)}.
            {estimate.gpus !== null && estimate.fastP95Ms !== null && estimate.utilisation !== null && (
              <>
                {" "}
                On {estimate.gpus} GPU{estimate.gpus === 1 ? "" : "s"}: Fast p95 wait {formatGpuTime(estimate.fastP95Ms)}, utilisation {percent(estimate.utilisation)}.
              </>
            )}
          </p>
          <Table aria-label="Job mix and GPU time per kind">
            <TableHead>
              <TableRow>{["Kind", "Share of jobs", "GPU-busy per job", "From"].map((h) => <TableHeader key={h}>{h}</TableHeader>)}</TableRow>
            </TableHead>
            <TableBody>
              {KINDS.map(([kind, label]) => (
                <TableRow key={kind}>
                  <TableCell>{label}</TableCell>
                  <TableCell>{percent(estimate.kinds[kind])}</TableCell>
                  <TableCell>{formatGpuTime(estimate.costMs[kind])}</TableCell>
                  <TableCell>{estimate.measuredKinds.includes(kind) ? "measured here" : "bundled default"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </div>
  );
}
