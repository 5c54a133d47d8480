"use client";

import { useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import { drawStrokes, isUsefulStroke, type MaskStroke, type MaskTool, type Point } from "./mask-strokes";

interface MaskCanvasProps {
  imageUrl: string;
  imageAlt: string;
  /** The image's size: the mask is drawn and exported at it. */
  width: number;
  height: number;
  tool: MaskTool;
  /** Brush and eraser diameter in screen pixels; scaled to image pixels when a stroke starts. */
  brushSize: number;
  strokes: readonly MaskStroke[];
  onStroke: (stroke: MaskStroke) => void;
}

/** How the painted area is shown over the picture (the exported mask is white on black). */
const SHOWN_COLOUR = "rgba(236, 72, 153, 0.55)";

/** The largest box of the image's aspect ratio that fits the measured container. */
function useFittedSize(width: number, height: number) {
  const container = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const fit = () => {
      const scale = Math.min(element.clientWidth / width, element.clientHeight / height);
      setBox({ width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) });
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => observer.disconnect();
  }, [width, height]);
  return { container, box };
}

/**
 * The picture with the mask canvas over it. Pointer events, so a mouse, a pen
 * and a finger all paint (`touch-action: none` keeps a finger from scrolling
 * or zooming the page instead); the pointer is captured, so a stroke that
 * leaves the picture still ends.
 */
export function MaskCanvas({ imageUrl, imageAlt, width, height, tool, brushSize, strokes, onStroke }: MaskCanvasProps) {
  const { container, box } = useFittedSize(width, height);
  const canvas = useRef<HTMLCanvasElement>(null);
  const draft = useRef<MaskStroke | null>(null);

  const redraw = () => {
    const context = canvas.current?.getContext("2d");
    if (context) drawStrokes(context, draft.current ? [...strokes, draft.current] : strokes, SHOWN_COLOUR);
  };
  // Undo, redo and a finished stroke change `strokes`: the canvas shows them again.
  useEffect(redraw, [strokes, width, height]);

  function imagePoint(event: ReactPointerEvent<HTMLCanvasElement>): Point {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * width;
    const y = ((event.clientY - rect.top) / rect.height) * height;
    return { x: Math.min(width, Math.max(0, x)), y: Math.min(height, Math.max(0, y)) };
  }

  function onPointerDown(event: ReactPointerEvent<HTMLCanvasElement>) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const point = imagePoint(event);
    const scale = width / event.currentTarget.getBoundingClientRect().width;
    draft.current =
      tool === "rectangle" ? { tool, from: point, to: point }
      : tool === "lasso" ? { tool, points: [point] }
      : { tool, size: Math.max(1, brushSize * scale), points: [point] };
    redraw();
  }

  function onPointerMove(event: ReactPointerEvent<HTMLCanvasElement>) {
    const stroke = draft.current;
    if (!stroke) return;
    const point = imagePoint(event);
    if (stroke.tool === "rectangle") stroke.to = point;
    else stroke.points.push(point);
    redraw();
  }

  function onPointerEnd() {
    const stroke = draft.current;
    draft.current = null;
    if (stroke && isUsefulStroke(stroke)) onStroke(stroke);
    else redraw();
  }

  return (
    <div ref={container} className="flex h-full w-full min-h-0 items-center justify-center">
      <div className="relative" style={{ width: box.width, height: box.height }}>
        {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
        <img src={imageUrl} alt={imageAlt} width={width} height={height} className="absolute inset-0 h-full w-full select-none" draggable={false} />
        <canvas
          ref={canvas}
          width={width}
          height={height}
          data-testid="mask-canvas"
          aria-label="Mask: paint the area to repaint"
          role="img"
          className={`absolute inset-0 h-full w-full touch-none ${tool === "eraser" ? "cursor-cell" : "cursor-crosshair"}`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
        />
      </div>
    </div>
  );
}
