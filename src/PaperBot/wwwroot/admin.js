// The admin page: a push's progress kept live from /admin/api/pushes/{id}/events (server-sent events),
// polling /progress every second where EventSource fails. It stops at 100%.
(() => {
  const card = document.getElementById('progress');
  if (!card || card.dataset.done === 'true') return;
  const id = card.dataset.push;
  const fields = {};
  for (const el of card.querySelectorAll('[data-field]')) fields[el.dataset.field] = el;
  const bar = card.querySelector('.progress');
  const fill = card.querySelector('.progress-fill');

  const duration = (seconds) => {
    if (seconds == null) return '—';
    const s = Math.max(1, Math.ceil(seconds));
    if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
    if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
    return `${s}s`;
  };

  const show = (p) => {
    fields.percent.textContent = p.percent;
    for (const name of ['sent', 'skipped', 'blocked', 'failed', 'waiting', 'remaining']) fields[name].textContent = p[name];
    fields.rate.textContent = p.done ? '—' : `${Math.round(p.messagesPerSecond * 10) / 10} msg/s`;
    fields.eta.textContent = p.remaining > 0 ? duration(p.etaSeconds) : '—';
    fields.state.textContent = p.done ? 'done' : 'sending…';
    fill.style.width = `${p.percent}%`;
    bar.setAttribute('aria-valuenow', p.percent);
    if (p.done) card.dataset.done = 'true';
  };

  const poll = async () => {
    try {
      const response = await fetch(`/admin/api/pushes/${id}/progress?why=false`, { credentials: 'same-origin' });
      if (response.ok) {
        const p = await response.json();
        show(p);
        if (p.done) return;
      }
    } catch { /* try again */ }
    setTimeout(poll, 1000);
  };

  if (!('EventSource' in window)) { poll(); return; }
  const events = new EventSource(`/admin/api/pushes/${id}/events`);
  const handle = (event) => show(JSON.parse(event.data));
  events.addEventListener('progress', handle);
  events.addEventListener('done', (event) => { handle(event); events.close(); });
  events.onerror = () => { if (card.dataset.done !== 'true') { events.close(); poll(); } };
})();

// "Copy for the WeChat editor": the article as rich text (text/html) on the clipboard, so pasting into the
// platform's editor keeps its styles; plain text beside it for anything else.
(() => {
  const button = document.getElementById('copy-article');
  if (!button) return;
  const status = document.getElementById('copy-status');
  button.addEventListener('click', async () => {
    try {
      const response = await fetch(button.dataset.source, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const html = await response.text();
      const text = new DOMParser().parseFromString(html, 'text/html').body.innerText;
      await navigator.clipboard.write([new ClipboardItem({
        'text/html': new Blob([html], { type: 'text/html' }),
        'text/plain': new Blob([text], { type: 'text/plain' }),
      })]);
      status.textContent = 'Copied: paste it into a new article in WeChat\u2019s editor.';
    } catch (error) {
      status.textContent = `Not copied (${error.message}); the browser may need this page over HTTPS or localhost.`;
    }
  });
})();
