// Live updates for the pages. One Server-Sent Events connection per tab (GET /v1/stream) tells every subscribed
// page when a ticket it may show changed; the page then calls its `load` and gets the answer in `listener`. The
// browser reconnects by itself and resumes after the last event it saw (Last-Event-ID), so nothing is missed across
// a dropped connection; a `reset` (too much missed) reloads. Without the stream — refused, or unsupported — pages
// poll every `interval` ms while the tab is visible, and try the stream again now and then.
const streamPath = '/v1/stream';
const retryStreamAfter = 30000;
const settle = 150;  // events in a burst cause one load

const pages = new Set();
let source = null;
let streaming = false;
let retryTimer = null;

function connect() {
  if (source || typeof EventSource !== 'function') return;
  source = new EventSource(streamPath);
  source.addEventListener('ready', () => { streaming = true; });
  source.addEventListener('ticket', (event) => {
    let change = null;
    try { change = JSON.parse(event.data); } catch { return; }
    for (const page of pages) page.changed(change);
  });
  source.addEventListener('reset', () => { for (const page of pages) page.changed(null); });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) return;  // the browser is reconnecting by itself
    // Refused (signed out, no permission, server away): poll, and try the stream again later.
    source = null;
    streaming = false;
    for (const page of pages) page.changed(null);
    if (!retryTimer) retryTimer = setTimeout(() => { retryTimer = null; if (pages.size) connect(); }, retryStreamAfter);
  });
}

function disconnect() {
  if (source) source.close();
  source = null;
  streaming = false;
  clearTimeout(retryTimer);
  retryTimer = null;
}

// Calls `load` and hands its answer to `listener` whenever something the page shows may have changed: on stream
// events (only those of ticket `ticket` when given), or every `interval` ms while the stream is down. Returns the
// function that stops it.
export function subscribe(load, listener, { interval = 2000, ticket = null } = {}) {
  let stopped = false;
  let pending = null;
  let loading = false;
  let again = false;
  async function refresh() {
    pending = null;
    if (stopped) return;
    // A change while a load is under way may have come after the load read: load once more when it ends.
    if (loading) { again = true; return; }
    loading = true;
    try { listener(await load()); } catch { /* the next change tries again; a 401 already went to sign-in */ }
    loading = false;
    if (again) { again = false; refresh(); }
  }
  const page = {
    changed(change) {
      if (stopped || (change && ticket !== null && String(change.ticket_id) !== String(ticket))) return;
      if (!pending) pending = setTimeout(refresh, settle);
    },
  };
  let poller = null;
  function poll() {
    if (stopped) return;
    if (!streaming && !document.hidden) refresh();
    poller = setTimeout(poll, interval);
  }
  pages.add(page);
  connect();
  poller = setTimeout(poll, interval);
  return () => {
    stopped = true;
    clearTimeout(pending);
    clearTimeout(poller);
    pages.delete(page);
    if (!pages.size) disconnect();
  };
}

// A page's `load` and `draw` paired so that answers are drawn in the order their loads started. Loads overlap — a
// change's own reload, a stream event's, a poll's — and may end in any order; an answer from a load that started
// before the one already drawn holds older data, and drawing it would put back what a change just replaced.
export function inOrder(load, draw) {
  let started = 0;
  let drawn = 0;
  return {
    load: async () => { const order = ++started; return { order, answer: await load() }; },
    draw: ({ order, answer }, ...options) => {
      if (order < drawn) return;
      drawn = order;
      draw(answer, ...options);
    },
  };
}
