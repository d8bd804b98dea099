import { applyEvent, cloneFrame, initialFrame, type Frame } from './frame.ts';
import type { TraceModel } from './trace-model.ts';

/**
 * Seeks the fold to any event index in O(interval): a checkpoint (a frozen frame) is kept every
 * `interval` events, so a seek restores the nearest checkpoint at or before the target and folds
 * forward from there. Moving forward a little (playback, stepping) folds on from the current frame.
 */
export class FrameSeeker {
  private readonly checkpoints: Frame[];
  private current: Frame;

  constructor(
    readonly model: TraceModel,
    readonly interval = 2048,
    checkpoints?: Frame[],
  ) {
    if (checkpoints) this.checkpoints = checkpoints;
    else {
      const steps = checkpointSteps(model, interval, Infinity);
      let step = steps.next();
      while (!step.done) step = steps.next();
      this.checkpoints = step.value;
    }
    this.current = cloneFrame(this.checkpoints[0]!);
  }

  /**
   * Builds a seeker in slices: yields after every `sliceEvents` events folded (how many), returns
   * the seeker, so a page can fold a million events between frames.
   */
  static *steps(model: TraceModel, interval = 2048, sliceEvents = 50_000): Generator<number, FrameSeeker> {
    const checkpoints = yield* checkpointSteps(model, interval, sliceEvents);
    return new FrameSeeker(model, interval, checkpoints);
  }

  /**
   * A seeker usable at once, whose checkpoints `fold` makes afterwards in slices (yielding after
   * every `sliceEvents` events): a page draws the trace first and folds it between frames. Until a
   * checkpoint exists, a seek past the last one folds on from it, so every frame is right at any
   * time, and only a seek far ahead of the fold costs more than O(interval).
   */
  static growing(
    model: TraceModel,
    interval = 2048,
    sliceEvents = 50_000,
  ): { seeker: FrameSeeker; fold: Generator<number, void> } {
    const checkpoints = [initialFrame(model)];
    const seeker = new FrameSeeker(model, interval, checkpoints);
    const fold = (function* () {
      yield* checkpointSteps(model, interval, sliceEvents, checkpoints);
    })();
    return { seeker, fold };
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /**
   * The frame after the first `index` events. The returned frame is owned by the seeker and
   * changes on the next call: read it, do not keep or mutate it.
   */
  frameAt(index: number): Frame {
    const target = Math.min(Math.max(0, Math.floor(index)), this.model.events.length);
    const current = this.current;
    if (target < current.index || target - current.index > this.interval) {
      const checkpoints = this.checkpoints;
      const checkpoint = checkpoints[Math.min(Math.floor(target / this.interval), checkpoints.length - 1)]!;
      // Restore only when it is closer than folding on from where we are.
      if (target < current.index || checkpoint.index > current.index) this.current = cloneFrame(checkpoint);
    }
    const frame = this.current;
    for (let i = frame.index; i < target; i++) applyEvent(frame, this.model, i);
    return frame;
  }
}

/**
 * The checkpoints: a frozen frame every `interval` events, from the initial frame on, pushed onto
 * `checkpoints` (which may already hold the initial frame) as they are made.
 */
function* checkpointSteps(
  model: TraceModel,
  interval: number,
  sliceEvents: number,
  checkpoints: Frame[] = [],
): Generator<number, Frame[]> {
  const frame = initialFrame(model);
  if (checkpoints.length === 0) checkpoints.push(cloneFrame(frame));
  const count = model.events.length;
  for (let i = 0; i < count; i++) {
    applyEvent(frame, model, i);
    if ((i + 1) % interval === 0) checkpoints.push(cloneFrame(frame));
    if ((i + 1) % sliceEvents === 0) yield i + 1;
  }
  return checkpoints;
}
