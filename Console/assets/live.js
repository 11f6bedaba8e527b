// Live updates for the pages. The gateway has no event stream yet, so this polls: `load` is called every `interval`
// ms while the tab is visible and `listener` gets each answer. The pages only know subscribe() and stop(): when the
// gateway serves Server-Sent Events (GET /v1/stream), an EventSource that calls `load` on each relevant event (and
// this poller as its fallback) replaces the timer here without any page changing.
export function subscribe(load, listener, { interval = 2000 } = {}) {
  let timer = null;
  let stopped = false;
  async function tick() {
    if (stopped) return;
    if (!document.hidden) {
      try { listener(await load()); } catch { /* the next tick tries again; a 401 already went to sign-in */ }
    }
    if (!stopped) timer = setTimeout(tick, interval);
  }
  timer = setTimeout(tick, interval);
  return () => { stopped = true; clearTimeout(timer); };
}
