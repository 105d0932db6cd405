// The buyer's checkout page script. The page works without it (src/checkout/page/render-page.ts
// renders everything and refreshes itself); this adds copy buttons, a ticking countdown, live
// updates by polling, and the return to the merchant once paid. It reads only the body's data-*
// attributes and never builds HTML from what the server sends (textContent only).
(() => {
  'use strict';

  const data = document.body.dataset;
  // Nothing more for the buyer to do once the invoice is in one of these.
  const TERMINAL = new Set(['paid', 'expired', 'cancelled', 'failed', 'refunded']);

  // ---- Copy buttons (rendered hidden: they only work with this script)
  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch {
      // Denied or unavailable: try the older way below.
    }
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }

  /** When copying fails, select the value so the buyer can copy it by hand, and say so. */
  function selectForManualCopy(button) {
    const code = button.closest('dd') && button.closest('dd').querySelector('code');
    if (!code) return;
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    let hint = button.closest('.field').querySelector('.copy-hint');
    if (!hint) {
      hint = document.createElement('p');
      hint.className = 'hint copy-hint';
      button.closest('.field').appendChild(hint);
    }
    hint.textContent = data.tCopyFailed || '';
  }

  function setupCopyButtons() {
    const status = document.querySelector('[data-copy-status]');
    for (const button of document.querySelectorAll('button[data-copy]')) {
      const label = button.textContent;
      let timer = 0;
      button.hidden = false;
      button.addEventListener('click', async () => {
        const ok = await copyText(button.dataset.copy || '');
        if (!ok) selectForManualCopy(button);
        const message = ok ? data.tCopied || '' : data.tCopyFailed || '';
        if (status) status.textContent = message;
        button.textContent = ok ? data.tCopied || label : label;
        button.classList.toggle('copied', ok);
        clearTimeout(timer);
        timer = setTimeout(() => {
          button.textContent = label;
          button.classList.remove('copied');
          if (status) status.textContent = '';
        }, 2000);
      });
    }
  }

  // ---- Polling the state URL: reload when the page is out of date, stop once the invoice is final
  const RELOAD_LIMIT = 3;

  /** A page that keeps rendering an older version than the state URL reports must not reload forever. */
  function reloadFor(version) {
    const key = `checkout-reloads:${location.pathname}`;
    let record = {};
    try {
      record = JSON.parse(sessionStorage.getItem(key) || '{}') || {};
    } catch {
      record = {};
    }
    const count = record.version === version ? Number(record.count) || 0 : 0;
    if (count >= RELOAD_LIMIT) return false;
    try {
      sessionStorage.setItem(key, JSON.stringify({ version, count: count + 1 }));
    } catch {
      // Storage off: reload anyway.
    }
    location.reload();
    return true;
  }

  function setupPolling() {
    const url = data.stateUrl;
    if (!url || data.terminal === 'true' || typeof fetch !== 'function') return () => {};
    const interval = Number(data.pollMs) || 2000;
    let timer = 0;
    let failures = 0;
    let busy = false;
    let stopped = false;

    function schedule() {
      if (stopped) return;
      clearTimeout(timer);
      // Slower in a background tab, backing off on errors (up to 30 s).
      const delay = document.hidden ? Math.max(interval, 10000) : Math.min(interval * 2 ** Math.min(failures, 4), 30000);
      timer = setTimeout(poll, delay);
    }

    async function poll() {
      if (stopped || busy) return;
      busy = true;
      clearTimeout(timer);
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
        if (res.status === 404 || res.status === 410) {
          // The checkout is gone: the page itself says so.
          stopped = !reloadFor('gone');
          return;
        }
        if (!res.ok) throw new Error(`state answered ${res.status}`);
        const state = await res.json();
        failures = 0;
        if (String(state.version) !== data.version || state.status !== data.status) {
          stopped = true;
          reloadFor(String(state.version));
          return;
        }
        if (TERMINAL.has(state.status)) stopped = true;
      } catch {
        failures += 1;
      } finally {
        busy = false;
      }
      schedule();
    }

    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) poll();
    });
    // Coming back (e.g. from the wallet app) to a page restored from the back/forward cache.
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) poll();
    });
    schedule();
    return poll;
  }

  // ---- Countdown: from the server's clock at render time, so a wrong device clock does not matter
  function pad(n) {
    return String(n).padStart(2, '0');
  }

  /** "m:ss" or "h:mm:ss", as src/checkout/page/format.ts renders it. */
  function formatCountdown(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = pad(total % 60);
    return h > 0 ? `${h}:${pad(m)}:${s}` : `${m}:${s}`;
  }

  function setupCountdown(pollNow) {
    const targets = document.querySelectorAll('[data-countdown]');
    const expiresAt = Date.parse(data.expiresAt || '');
    if (!targets.length || !Number.isFinite(expiresAt)) return;
    const serverNow = Date.parse(data.serverNow || '');
    const skew = Number.isFinite(serverNow) ? serverNow - Date.now() : 0;
    const expiry = document.querySelector('[data-expiry]');
    let timer = 0;
    const tick = () => {
      const left = expiresAt - (Date.now() + skew);
      if (left <= 0) {
        clearInterval(timer);
        if (expiry) {
          expiry.textContent = data.tExpired || '';
          expiry.classList.add('expiry-over');
        }
        pollNow();
        return;
      }
      for (const el of targets) el.textContent = formatCountdown(left);
    };
    timer = setInterval(tick, 1000);
    tick();
  }

  // ---- Paid: back to the merchant after a short, visible countdown
  function setupReturn() {
    if (data.status !== 'paid' || !data.returnUrl) return;
    let target;
    try {
      target = new URL(data.returnUrl, location.href);
    } catch {
      return;
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return;
    const note = document.querySelector('[data-redirect-note]');
    const seconds = document.querySelector('[data-redirect-seconds]');
    let left = Number(data.returnDelay) || 5;
    if (note) note.hidden = false;
    const timer = setInterval(() => {
      left -= 1;
      if (seconds) seconds.textContent = String(Math.max(left, 0));
      if (left <= 0) {
        clearInterval(timer);
        location.assign(target.href);
      }
    }, 1000);
  }

  // ---- Forms: one submission per click (a double tap must not post twice)
  function setupForms() {
    for (const form of document.querySelectorAll('form[method="post"]')) {
      form.addEventListener('submit', (event) => {
        if (form.dataset.sent === 'true') {
          event.preventDefault();
          return;
        }
        form.dataset.sent = 'true';
        form.setAttribute('aria-busy', 'true');
      });
    }
    window.addEventListener('pageshow', (event) => {
      if (!event.persisted) return;
      for (const form of document.querySelectorAll('form[data-sent]')) {
        delete form.dataset.sent;
        form.removeAttribute('aria-busy');
      }
    });
  }

  // ---- A notice from a failed post is shown once: later reloads must not repeat it
  function forgetNotice() {
    const url = new URL(location.href);
    if (!url.searchParams.has('notice')) return;
    url.searchParams.delete('notice');
    try {
      history.replaceState(history.state, '', url.href);
    } catch {
      // Not allowed here (e.g. a file: preview): harmless.
    }
  }

  forgetNotice();
  setupCopyButtons();
  setupForms();
  const pollNow = setupPolling();
  setupCountdown(pollNow);
  setupReturn();
})();
