import type { Frame } from '../model/frame.ts';
import type { FrameSeeker } from '../model/seeker.ts';
import type { RunSpec } from '../model/run-spec.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { COLORS } from './palette.ts';

/** Where the loaded trace came from. */
export type Source =
  | { readonly kind: 'file'; readonly name: string }
  | { readonly kind: 'url'; readonly name: string; readonly url: string }
  | { readonly kind: 'run'; readonly name: string; readonly run: RunSpec };

export type Selection =
  | { readonly kind: 'node'; readonly node: number }
  | { readonly kind: 'message'; readonly id: number }
  | { readonly kind: 'operation'; readonly position: number }
  | { readonly kind: 'event'; readonly index: number };

/** Everything about the loaded trace the views share. */
export interface Loaded {
  readonly model: TraceModel;
  readonly seeker: FrameSeeker;
  readonly roleColors: Map<string, string>;
  readonly dropColors: Map<string, string>;
}

/** What a view needs to draw one frame. */
export interface DrawContext {
  readonly loaded: Loaded;
  readonly frame: Frame;
  /** The replay time (global microseconds); at or after the frame's last event. */
  readonly time: number;
  /** The visible window of the space-time and operations views. */
  readonly domain: readonly [number, number];
  readonly selection: Selection | undefined;
  /** Simulated microseconds per wall-clock millisecond: how long recent drops stay visible. */
  readonly speed: number;
}

/** What views may ask of the app. */
export interface Controller {
  select(selection: Selection | undefined): void;
  seekTime(time: number): void;
  setDomain(from: number, to: number): void;
  requestDraw(): void;
}

/** Width of the label column on the left of the lane views (space-time, client operations). */
export const GUTTER = 76;

/** Paints the label column over whatever was drawn under it, with its right-hand rule. */
export function drawGutter(g: CanvasRenderingContext2D, height: number): void {
  g.fillStyle = COLORS.panel;
  g.fillRect(0, 0, GUTTER, height);
  g.strokeStyle = COLORS.line;
  g.beginPath();
  g.moveTo(GUTTER - 0.5, 0);
  g.lineTo(GUTTER - 0.5, height);
  g.stroke();
}

/**
 * Each canvas's box, kept by a ResizeObserver: reading clientWidth while drawing would force the
 * browser to lay out the page again after every DOM change of the frame (a third of a scrubbing
 * frame's time went there). `onCanvasResize` hears when a box changes, to draw again.
 */
const canvasSizes = new WeakMap<HTMLCanvasElement, { width: number; height: number }>();
let canvasResized: (() => void) | undefined;
let canvasObserver: ResizeObserver | undefined;

export function onCanvasResize(callback: () => void): void {
  canvasResized = callback;
}

function canvasSize(canvas: HTMLCanvasElement): { width: number; height: number } {
  const known = canvasSizes.get(canvas);
  if (known) return known;
  const size = { width: canvas.clientWidth, height: canvas.clientHeight };
  if (typeof ResizeObserver !== 'undefined') {
    canvasObserver ??= new ResizeObserver((entries) => {
      for (const entry of entries) {
        const target = entry.target as HTMLCanvasElement;
        canvasSizes.set(target, { width: target.clientWidth, height: target.clientHeight });
      }
      canvasResized?.();
    });
    canvasSizes.set(canvas, size);
    canvasObserver.observe(canvas);
  }
  return size;
}

/**
 * Reads the boxes of the page's canvases all at once, before a first draw: the views' draws
 * change the DOM between their canvases, so reading each box as its view draws would lay the
 * page out once per view.
 */
export function measureCanvases(): void {
  for (const canvas of document.querySelectorAll('canvas')) canvasSize(canvas);
}

/** Sizes a canvas to its box at the device pixel ratio; returns the 2D context scaled to CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement): {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
} {
  const ratio = window.devicePixelRatio || 1;
  const size = canvasSize(canvas);
  const width = Math.max(1, size.width);
  const height = Math.max(1, size.height);
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d')!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { context, width, height };
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}
