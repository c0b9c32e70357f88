// Waiting helpers. The suite never sleeps for a fixed time: it waits for a condition or an event, with a
// deadline that turns a hang into a failure that names what was awaited.

export const DEFAULT_TIMEOUT_MS = Number(process.env.CONFORMANCE_TIMEOUT_MS || 5000);

/** Rejects with `what` in the message if `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls `cond` (sync or async) until it returns a truthy value, which is returned. */
export async function until(cond, { timeout = DEFAULT_TIMEOUT_MS, interval = 10, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await cond();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}` + (last ? ` (last error: ${last.message})` : ''));
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * A promise for the next call of a pusher-js style `bind(event, cb)` (channels, pusher.user, the
 * watchlist, pusher.connection). Resolves with `{data, metadata}` of the first call for which
 * `filter(data, metadata)` is true.
 */
export function nextEvent(bindable, event, { timeout = DEFAULT_TIMEOUT_MS, filter = () => true, what } = {}) {
  let handler;
  const p = new Promise((resolve) => {
    handler = (data, metadata) => {
      if (filter(data, metadata)) resolve({ data, metadata });
    };
    bindable.bind(event, handler);
  });
  return withTimeout(p, timeout, what || `event ${event}`).finally(() => bindable.unbind(event, handler));
}

/** Records every call of `bind(event, cb)` into an array (for "did NOT arrive" assertions). */
export function record(bindable, event) {
  const calls = [];
  bindable.bind(event, (data, metadata) => calls.push({ data, metadata }));
  return calls;
}
