/**
 * The kinds of the kernel's events. Plain numbers: the loop dispatches on them for every event.
 * What `a` and `b` of each kind hold is written beside it.
 */
/** A message arriving: a is the message; `node` the receiver, `from` the sender, `id` the message id. */
export const DELIVER = 0;
/** A timer coming due: a is its name, b its PendingTimer; `node` its node, `id` the carrier token (see timers.ts). */
export const TIMER = 1;
/** A scheduled fault: a is the fault. */
export const FAULT = 2;
/** A client's next operation: a is the client. */
export const CLIENT_NEXT = 3;
/** A client request reaching its node: a is the pending request. */
export const REQUEST = 4;
/** A node's answer reaching its client: a is the pending request, b the outcome. */
export const RESPONSE = 5;
/** A client giving up on a request: a is the request, b the client. */
export const CLIENT_TIMEOUT = 6;
/** An `eventually` invariant's deadline: a is its tracker. */
export const DEADLINE = 7;
/**
 * A message leaving once its step's sync completed (scenario `storage.syncLatency`): a is the
 * message, b the receiver's id; `node` and `from` the sender, `id` the sender's crash count when
 * the step ran (a crash in between means the message never leaves).
 */
export const DEPART = 8;

// FIFO lanes of the event queue (see KernelEvents) for events a fixed delay after now: each lane's
// events come due in the order they were scheduled.
export const TIMEOUT_LANE = 0;
export const THINK_LANE = 1;
export const LANES = 2;
