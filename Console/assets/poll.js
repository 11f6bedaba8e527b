// Following what the desk's event stream does not carry — a campaign while it sends, a segment until its evaluation
// is done: `load` every `interval` ms while the tab is visible, each answer to `listener`, until the returned
// function is called. (Ticket changes come through live.js, which listens to the stream.)
export function poll(load, listener, { interval = 1000 } = {}) {
  let stopped = false;
  let timer = null;
  async function next() {
    if (stopped) return;
    if (!document.hidden) {
      try {
        const answer = await load();
        if (!stopped) listener(answer);  // stopped while loading: the page has moved on
      } catch { /* tried again at the next turn; a 401 already went to sign-in */ }
    }
    if (!stopped) timer = setTimeout(next, interval);
  }
  timer = setTimeout(next, interval);
  return () => { stopped = true; clearTimeout(timer); };
}
