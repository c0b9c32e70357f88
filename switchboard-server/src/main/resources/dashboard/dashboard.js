// The dashboard page: a token from the login form or the URL fragment, sent as a bearer token to the
// server's /dashboard/api/ endpoints; live figures and console events over one server-sent-events stream
// read with fetch (EventSource cannot send the Authorization header).
'use strict';

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 500;
const state = { token: null, app: null, stream: null, paused: false, held: [], chart: null };

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const res = await fetch('api/' + path, {
    ...options,
    headers: { Authorization: 'Bearer ' + state.token, ...(options.body ? { 'Content-Type': 'application/json' } : {}) },
  });
  if (res.status === 401) throw new Unauthorized();
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
  return body;
}

// ------------------------------------------------------------------ sign in / out

async function signIn(token) {
  state.token = token;
  $('login-error').hidden = true;
  let apps;
  try {
    apps = (await api('apps')).apps;
  } catch (e) {
    state.token = null;
    sessionStorage.removeItem('switchboard-dashboard-token');
    $('login-error').textContent = e instanceof Unauthorized ? 'Wrong token.' : ('Could not open: ' + e.message);
    $('login-error').hidden = false;
    return;
  }
  sessionStorage.setItem('switchboard-dashboard-token', token);
  const select = $('app-select');
  select.replaceChildren(...apps.map((a) => new Option(a.id + ' (' + a.key + ')', a.id)));
  $('login').hidden = true;
  $('board').hidden = false;
  $('session').hidden = false;
  await openApp(apps[0].id);
}

function signOut() {
  closeStream();
  state.token = null;
  sessionStorage.removeItem('switchboard-dashboard-token');
  $('board').hidden = true;
  $('session').hidden = true;
  $('login').hidden = false;
  $('token').value = '';
}

function lostToken() {
  signOut();
  $('login-error').textContent = 'The token is no longer accepted.';
  $('login-error').hidden = false;
}

// ------------------------------------------------------------------ one app

async function openApp(id) {
  closeStream();
  state.app = id;
  $('console').tBodies[0].replaceChildren();
  $('user-details').hidden = true;
  $('user-message').textContent = '';
  try {
    const app = await api('apps/' + encodeURIComponent(id));
    showFigures(app);
    state.chart.reset(app.series.messages_in, app.series.messages_out);
  } catch (e) {
    if (e instanceof Unauthorized) return lostToken();
    throw e;
  }
  openStream(id);
}

function showFigures(f) {
  $('fig-connections').textContent = f.connections;
  $('fig-channels').textContent = f.channels;
  $('fig-users').textContent = f.users_online;
  $('fig-in').textContent = f.messages_in_per_second;
  $('fig-out').textContent = f.messages_out_per_second;
}

function showChannels(list) {
  const body = $('channels').tBodies[0];
  body.replaceChildren(...list.channels.map((c) => {
    const tr = document.createElement('tr');
    for (const v of [c.name, c.subscription_count, c.user_count === undefined ? '' : c.user_count]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  }));
  $('no-channels').hidden = list.channels.length > 0;
  $('channel-total').textContent = list.total > list.channels.length
    ? 'first ' + list.channels.length + ' of ' + list.total : String(list.total);
}

// ------------------------------------------------------------------ live stream

function openStream(id) {
  const controller = new AbortController();
  state.stream = controller;
  setLive(false);
  readStream(id, controller.signal).catch((e) => {
    if (controller.signal.aborted) return;
    if (e instanceof Unauthorized) return lostToken();
    setLive(false);
    // The server went away (restart, network): open again in a moment.
    setTimeout(() => { if (state.stream === controller) openStream(id); }, 2000);
  });
}

function closeStream() {
  if (state.stream) state.stream.abort();
  state.stream = null;
}

async function readStream(id, signal) {
  const res = await fetch('api/apps/' + encodeURIComponent(id) + '/stream', {
    headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' }, signal,
  });
  if (res.status === 401) throw new Unauthorized();
  if (!res.ok) throw new Error('HTTP ' + res.status);
  setLive(true);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      onMessage(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

function onMessage(block) {
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!data) return;
  const body = JSON.parse(data);
  if (event === 'figures') {
    showFigures(body);
    showChannels(body.channel_list);
    state.chart.push(body.messages_in_per_second, body.messages_out_per_second);
  } else if (event === 'events') {
    onEvents(body.events, body.skipped);
  }
}

function setLive(live) {
  $('live-state').textContent = live ? 'live' : 'connecting…';
  $('live-state').classList.toggle('live', live);
}

// ------------------------------------------------------------------ console

function onEvents(events, skipped) {
  if (state.paused) {
    state.held.push(...events);
    $('console-state').textContent = 'paused · ' + state.held.length + ' waiting';
    return;
  }
  for (const e of events) addRow(e);
  if (skipped > 0) $('console-state').textContent = skipped + ' events skipped (over the per-second limit)';
}

function matches(e) {
  const ch = $('filter-channel').value.trim();
  const ev = $('filter-event').value.trim();
  return (!ch || (e.channel || '').includes(ch)) && (!ev || e.event.includes(ev));
}

function addRow(e) {
  const body = $('console').tBodies[0];
  const tr = document.createElement('tr');
  tr.dataset.channel = e.channel || '';
  tr.dataset.event = e.event;
  const time = new Date(e.time_ms).toLocaleTimeString([], { hour12: false }) + '.' + String(e.time_ms % 1000).padStart(3, '0');
  const origin = document.createElement('span');
  origin.className = 'origin ' + e.origin;
  origin.textContent = e.origin.replace('_', ' ');
  const cells = [time, origin, e.channel === null ? '(user event)' : e.channel, e.event, e.bytes];
  for (const v of cells) {
    const td = document.createElement('td');
    if (v instanceof Node) td.append(v); else td.textContent = v;
    tr.append(td);
  }
  tr.hidden = !matches(e);
  body.prepend(tr);
  while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
}

function refilter() {
  for (const tr of $('console').tBodies[0].rows) {
    tr.hidden = !matches({ channel: tr.dataset.channel, event: tr.dataset.event });
  }
}

function togglePause() {
  state.paused = !state.paused;
  $('pause').textContent = state.paused ? 'Resume' : 'Pause';
  if (!state.paused) {
    const held = state.held;
    state.held = [];
    for (const e of held) addRow(e);
  }
  $('console-state').textContent = state.paused ? 'paused' : '';
}

// ------------------------------------------------------------------ user lookup

async function lookUp(userId) {
  $('user-details').hidden = true;
  $('user-message').textContent = '';
  try {
    const u = await api('apps/' + encodeURIComponent(state.app) + '/users/' + encodeURIComponent(userId));
    $('user-online').textContent = u.online ? 'yes' : 'no';
    $('user-connections').textContent = u.connections;
    $('user-channels').textContent = u.channels.join(', ') || '–';
    $('user-watchlist').textContent = u.watchlist.join(', ') || '–';
    $('user-info').textContent = JSON.stringify(u.user_info, null, 2);
    $('user-banned').textContent = u.banned_until_ms ? new Date(u.banned_until_ms).toISOString() : '–';
    $('user-details').hidden = false;
    $('user-details').dataset.user = u.id;
  } catch (e) {
    if (e instanceof Unauthorized) return lostToken();
    $('user-message').textContent = e.message;
  }
}

async function userCommand(path, body, done) {
  const user = $('user-details').dataset.user;
  try {
    await api('apps/' + encodeURIComponent(state.app) + '/users/' + encodeURIComponent(user) + '/' + path,
      { method: 'POST', body: JSON.stringify(body) });
    $('user-message').textContent = done(user);
  } catch (e) {
    if (e instanceof Unauthorized) return lostToken();
    $('user-message').textContent = e.message;
  }
}

function sendToUser() {
  const text = $('send-data').value.trim();
  let data = text;
  try { if (text) data = JSON.parse(text); } catch (e) { /* not JSON: sent as the string it is */ }
  const event = $('send-event').value.trim();
  return userCommand('events', { event, data: text ? data : {} }, (u) => 'Sent ' + event + ' to ' + u + '.');
}

// With ban seconds above 0 the user is banned first: its sign-ins are refused on every node until the ban ends.
function terminate() {
  const seconds = parseInt($('ban-seconds').value, 10) || 0;
  if (seconds > 0) {
    return userCommand('terminate', { ban_seconds: seconds },
      (u) => 'Terminated ' + u + ' and banned it for ' + seconds + ' s.');
  }
  return userCommand('terminate', {}, (u) => 'Terminated ' + u + '. Refresh to see what is left.');
}

// 4200: the user's clients reconnect at once and sign in again through the app's auth endpoint.
function reconnect() {
  return userCommand('reconnect', {}, (u) => 'Asked ' + u + ' to reconnect and sign in again.');
}

function unban() {
  return userCommand('unban', {}, (u) => 'Lifted the ban of ' + u + ' (if it had one).');
}

// ------------------------------------------------------------------ wiring

document.addEventListener('DOMContentLoaded', () => {
  state.chart = new window.ThroughputChart($('chart'), 300);
  $('login-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('token').value.trim()); });
  $('logout').addEventListener('click', signOut);
  $('app-select').addEventListener('change', (e) => openApp(e.target.value));
  $('user-form').addEventListener('submit', (e) => { e.preventDefault(); lookUp($('user-id').value.trim()); });
  $('send-form').addEventListener('submit', (e) => { e.preventDefault(); sendToUser(); });
  $('terminate').addEventListener('click', terminate);
  $('reconnect').addEventListener('click', reconnect);
  $('unban').addEventListener('click', unban);
  $('pause').addEventListener('click', togglePause);
  $('clear').addEventListener('click', () => $('console').tBodies[0].replaceChildren());
  $('filter-channel').addEventListener('input', refilter);
  $('filter-event').addEventListener('input', refilter);

  // #token=… in the address: used once, then removed so it is not left in the history or a screenshot.
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  const token = m ? decodeURIComponent(m[1]) : sessionStorage.getItem('switchboard-dashboard-token');
  if (m) history.replaceState(null, '', location.pathname + location.search);
  if (token) signIn(token);
});
