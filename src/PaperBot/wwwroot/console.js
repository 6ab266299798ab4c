// The chat console: the same command engine as the bots, through POST /api/chat.
(() => {
  const log = document.getElementById('console-log');
  const form = document.getElementById('console-form');
  const input = document.getElementById('console-input');
  if (!log || !form || !input) return;

  const linkify = (text) => {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(/https?:\/\/[^\s<>"“”]+/g)) {
      fragment.append(text.slice(last, match.index));
      const a = document.createElement('a');
      a.href = match[0];
      a.textContent = match[0];
      a.rel = 'noopener';
      a.target = '_blank';
      fragment.append(a);
      last = match.index + match[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  };

  // A reply taller than the log (a paper card on a phone) is shown from its first line; others scroll to the end.
  const reveal = (div) => {
    log.scrollTop = div.offsetHeight > log.clientHeight ? div.offsetTop - 8 : log.scrollHeight;
  };

  const bubble = (who, text) => {
    const div = document.createElement('div');
    div.className = `bubble ${who}`;
    div.append(linkify(text));
    log.append(div);
    reveal(div);
    return div;
  };

  const send = async (body, echo) => {
    if (echo) bubble('me', echo);
    try {
      // An admin's page carries an anti-forgery token: with it (or this page's own Origin) admin commands work here.
      const headers = { 'Content-Type': 'application/json' };
      if (form.dataset.token) headers['X-CSRF-Token'] = form.dataset.token;
      const response = await fetch('/api/chat', {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      const json = await response.json();
      if (!response.ok) {
        bubble('bot', json.error || `HTTP ${response.status}`);
        return;
      }
      for (const reply of json.replies) {
        const div = bubble('bot', reply.text);
        if (reply.buttons.length === 0) continue;
        const row = document.createElement('div');
        row.className = 'buttons';
        for (const button of reply.buttons) {
          if (button.url) {
            const a = document.createElement('a');
            a.href = button.url;
            a.textContent = button.text;
            a.target = '_blank';
            a.rel = 'noopener';
            row.append(a);
          } else {
            const b = document.createElement('button');
            b.type = 'button';
            b.textContent = button.text;
            b.addEventListener('click', () => send({ data: button.data }, button.text));
            row.append(b);
          }
        }
        div.append(row);
        reveal(div);
      }
    } catch (error) {
      bubble('bot', String(error));
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text }, text);
  });

  const chips = document.createElement('div');
  chips.className = 'chips';
  for (const example of ['/latest', '/paper 4', '/search 长上下文', '/topics', '/help']) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = example;
    b.addEventListener('click', () => send({ text: example }, example));
    chips.append(b);
  }
  log.append(chips);
})();
