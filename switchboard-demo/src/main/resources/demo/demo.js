// The demo page: signs in to the demo (a cookie session), then to Switchboard through pusher-js
// (/pusher/user-auth), joins the chat through sign-in, and shows its orders as sendToUser events arrive.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { me: null, pusher: null, kitchen: new Map(), orders: new Map(), updates: 0 };

async function call(method, path, body) {
  const res = await fetch(path, {
    method, credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || ('HTTP ' + res.status));
  return json;
}

// ------------------------------------------------------------------ demo session

async function boot() {
  const me = await call('GET', '/api/me');
  if (me.user) start(me.user); else showLogin();
}

function showLogin() {
  $('login').hidden = false;
  $('app').hidden = true;
  $('who').hidden = true;
}

async function login(e) {
  e.preventDefault();
  try {
    const r = await call('POST', '/api/login', { name: $('name').value, role: $('role').value });
    $('login-error').hidden = true;
    start(r.user);
  } catch (err) {
    $('login-error').textContent = err.message;
    $('login-error').hidden = false;
  }
}

async function logout() {
  if (state.pusher) state.pusher.disconnect();
  state.pusher = null;
  await call('POST', '/api/logout');
  location.reload();
}

async function start(user) {
  state.me = user;
  $('login').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('me').textContent = user.name + ' (' + user.role + ')';
  $('kitchen').hidden = user.role !== 'kitchen';
  const config = await call('GET', '/api/config');
  for (const o of (await call('GET', '/api/orders')).orders) {
    if (user.role === 'kitchen') showKitchenOrder(o);
    if (o.customer === user.id) showMyOrder(o);
  }
  connect(config);
}

// ------------------------------------------------------------------ Switchboard

function connect(config) {
  const pusher = new Pusher(config.key, {
    cluster: 'mt1', wsHost: location.hostname, wsPort: config.ws_port, forceTLS: false,
    enabledTransports: ['ws'],
    userAuthentication: { endpoint: '/pusher/user-auth', transport: 'ajax' },
    channelAuthorization: { endpoint: '/pusher/auth', transport: 'ajax' },
  });
  state.pusher = pusher;
  pusher.connection.bind('state_change', ({ current }) => {
    $('conn-state').textContent = current;
    $('conn-state').classList.toggle('connected', current === 'connected');
  });
  let joined = false;
  pusher.connection.bind('error', (err) => {
    const code = err && err.data && err.data.code;
    if (code) {
      $('notice').textContent = 'Disconnected by the server (' + code + '): ' + (err.data.message || '');
      $('notice').hidden = false;
    } else if (err && err.type === 'PusherError' && !joined) {
      // A sign-in Switchboard refused although the app signed it (a ban: pusher:error without a code).
      $('signin-state').textContent = 'Sign-in refused by Switchboard: ' + (err.data.message || '');
      $('signin-state').className = 'error';
    }
  });
  pusher.connection.bind('message', (m) => {
    if (m.event === 'pusher:signin_success' && !joined) {
      joined = true;
      $('signin-state').textContent = 'Signed in to Switchboard as ' + state.me.id + '.';
      joinChat(pusher);
    }
  });
  pusher.user.bind('pusher:signin_error', (e) => {
    // pusher-js's own text names the endpoint and links to Pusher's docs; the status says enough here.
    $('signin-state').textContent = 'Sign-in refused' + (e.status ? ' (' + e.status + ')' : '')
      + ' by the app\'s /pusher/user-auth endpoint.';
    $('signin-state').className = 'error';
  });
  pusher.user.bind('order-status', (order) => {
    state.updates += 1;
    $('order-updates').textContent = state.updates;
    showMyOrder(order);
  });
  if (state.me.role === 'kitchen') {
    pusher.subscribe('private-kitchen').bind('order-updated', showKitchenOrder);
  }
  pusher.signin();
}

function joinChat(pusher) {
  const room = pusher.subscribe('presence-chat');
  room.bind('pusher:subscription_succeeded', (members) => {
    $('chat-state').textContent = 'joined';
    $('members').replaceChildren();
    members.each((m) => addMember(m));
  });
  room.bind('pusher:member_added', addMember);
  room.bind('pusher:member_removed', (m) => { const li = memberItem(m.id); if (li) li.remove(); });
  room.bind('message', (m) => addMessage(m.name + ': ' + m.text, false));
  room.bind('banned', (b) => addMessage(b.user + ' was banned by ' + b.by, true));
}

// ------------------------------------------------------------------ rendering

function showMyOrder(o) {
  let li = state.orders.get(o.id);
  if (!li) {
    li = document.createElement('li');
    li.dataset.order = o.id;
    li.append(document.createElement('span'), document.createElement('span'));
    li.lastChild.className = 'status';
    state.orders.set(o.id, li);
    $('my-orders').prepend(li);
  }
  li.firstChild.textContent = '#' + o.id + ' ' + o.item;
  li.lastChild.textContent = o.status;
  li.lastChild.classList.toggle('delivered', o.done);
}

function showKitchenOrder(o) {
  let tr = state.kitchen.get(o.id);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.order = o.id;
    for (let i = 0; i < 5; i++) tr.append(document.createElement('td'));
    const b = document.createElement('button');
    b.className = 'advance';
    b.type = 'button';
    b.textContent = 'Advance';
    b.addEventListener('click', () => call('POST', '/api/orders/' + o.id + '/advance').catch(showError));
    tr.lastChild.append(b);
    state.kitchen.set(o.id, tr);
    $('kitchen-orders').tBodies[0].append(tr);
  }
  tr.cells[0].textContent = o.id;
  tr.cells[1].textContent = o.customer_name;
  tr.cells[2].textContent = o.item;
  tr.cells[3].textContent = o.status;
  tr.cells[3].className = 'status';
  tr.querySelector('button').disabled = o.done;
}

function memberItem(id) {
  return [...$('members').children].find((li) => li.dataset.user === id);
}

function addMember(m) {
  if (memberItem(m.id)) return;
  const li = document.createElement('li');
  li.dataset.user = m.id;
  li.textContent = (m.info && m.info.name) || m.id;
  if (state.me.role === 'moderator' && m.id !== state.me.id) {
    const b = document.createElement('button');
    b.className = 'ban';
    b.type = 'button';
    b.textContent = 'ban';
    b.addEventListener('click', () => call('POST', '/api/chat/bans', { user: m.id }).catch(showError));
    li.append(b);
  }
  $('members').append(li);
}

function addMessage(text, system) {
  const li = document.createElement('li');
  li.textContent = text;
  if (system) li.className = 'system';
  $('messages').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function showError(err) {
  $('notice').textContent = err.message;
  $('notice').hidden = false;
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('order-form').addEventListener('submit', (e) => {
    e.preventDefault();
    call('POST', '/api/orders', { item: $('item').value }).then(showMyOrder).catch(showError);
  });
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-text').value;
    call('POST', '/api/chat/messages', { text }).then(() => { $('chat-text').value = ''; }).catch(showError);
  });
  boot().catch(showError);
});
