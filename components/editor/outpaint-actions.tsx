"use client";

import { useId, useState } from "react";
import { ZOOM_FACTOR_RANGE } from "@/lib/editor/outpaint-layout";
import { Button } from "../ui/button";
import { moveLabel, PAN_ARROWS, type EditMove } from "./edit-moves";

/**
 * Zoom Out (1.5×, 2×, or a custom factor 1–2), Pan ← → ↑ ↓ and Make Square
 * as labelled buttons; shared by the large view and the Editor. Make Square is
 * left out for a square image (the server would refuse it).
 */
export function OutpaintActions({ isSquare, disabled = false, onMove }: { isSquare: boolean; disabled?: boolean; onMove: (move: EditMove) => void }) {
  const customId = useId();
  const [custom, setCustom] = useState("1.25");
  const factor = Number(custom);
  const isValidFactor = custom.trim() !== "" && factor >= ZOOM_FACTOR_RANGE.min && factor <= ZOOM_FACTOR_RANGE.max;
  return (
    <div role="group" aria-label="Zoom, pan and square" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        {[1.5, 2].map((value) => (
          <Button key={value} size="sm" disabled={disabled} onClick={() => onMove({ kind: "zoom", factor: value })}>
            {moveLabel({ kind: "zoom", factor: value })}
          </Button>
        ))}
        <span className="flex items-center gap-1">
          <label htmlFor={customId} className="text-xs text-ink-300">Custom zoom</label>
          <input
            id={customId}
            type="number"
            inputMode="decimal"
            min={ZOOM_FACTOR_RANGE.min}
            max={ZOOM_FACTOR_RANGE.max}
            step={0.05}
            value={custom}
            onChange={(event) => setCustom(event.target.value)}
            aria-invalid={!isValidFactor}
            className="w-16 rounded-md border border-ink-700 bg-ink-800 px-1.5 py-1 text-ink-100"
          />
          <Button size="sm" aria-label="Zoom Out custom" disabled={disabled || !isValidFactor} onClick={() => onMove({ kind: "zoom", factor })}>
            Zoom Out
          </Button>
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {(Object.keys(PAN_ARROWS) as Array<keyof typeof PAN_ARROWS>).map((direction) => (
          <Button key={direction} size="sm" disabled={disabled} aria-label={moveLabel({ kind: "pan", direction })} onClick={() => onMove({ kind: "pan", direction })}>
            <span aria-hidden>Pan {PAN_ARROWS[direction]}</span>
          </Button>
        ))}
        {!isSquare && (
          <Button size="sm" disabled={disabled} onClick={() => onMove({ kind: "square" })}>
            Make Square
          </Button>
        )}
      </div>
    </div>
  );
}
