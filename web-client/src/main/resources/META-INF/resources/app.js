// Parley web chat. REST (same origin: persistence-service serves this page) for login, the conversation
// list and history; one MQTT 5 connection over WebSocket (mqtt.js) for everything live. The store is the
// truth: after every (re)connect the open conversation is caught up from its last held seq.

const params = new URLSearchParams(location.search);
const BROKER = params.get('broker') ?? `ws://${location.hostname}:8000/mqtt`;
const SESSION_KEY = 'parley.session';
const HISTORY_PAGE = 200;
const TYPING_REPEAT_MS = 3000;     // the broker forwards at most two a second; recipients expire after ~6 s
const TYPING_SHOWN_MS = 6000;
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 30000;
// CONNACK/DISCONNECT codes that retrying with the same token cannot fix.
const AUTH_FAILURES = new Set([0x86, 0x87, 0x8c]);

const $ = (id) => document.getElementById(id);

const state = {
  session: JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null'),
  client: null,
  stopped: true,
  reconnectAttempts: 0,
  refreshTimer: null,
  names: new Map(),             // userId or groupId → display name
  conversations: new Map(),     // conversationId → Conversation
  openId: null,
  watchedPresence: null,        // the presence/{userId} topic subscribed for the open chat
  lastTypingSent: 0,
  typingTimer: null,
};

class ProblemError extends Error {
  constructor(status, problem) {
    // The detail names the fields already; a body without one (a proxy's error page) still says something.
    const fields = (problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    super(problem?.detail ?? (fields || problem?.title || `the server answered HTTP ${status}`));
    this.status = status;
    this.problem = problem;
  }
}

async function rest(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.session) headers.Authorization = `Bearer ${state.session.token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && state.session && path !== '/v1/tokens') {
      endSession('Your session has ended; log in again.');
    }
    throw new ProblemError(response.status, json);
  }
  return json;
}

function showError(element, error) {
  $(element).textContent = error ? (error.message ?? String(error)) : '';
}

// --- login ---------------------------------------------------------------------------------------

function deviceId() {
  // One device per browser tab: two tabs with one device id would take each other's MQTT session over.
  let id = sessionStorage.getItem('parley.deviceId');
  if (!id) {
    id = 'web-' + crypto.randomUUID().replaceAll('-', '').slice(0, 16);
    sessionStorage.setItem('parley.deviceId', id);
  }
  return id;
}

async function logIn(register) {
  showError('login-error', null);
  const handle = $('handle').value.trim();
  const password = $('password').value;
  try {
    if (register) {
      const displayName = $('display-name').value.trim() || handle;
      await rest('POST', '/v1/users', { handle, displayName, password });
    }
    const token = await rest('POST', '/v1/tokens', { handle, password, deviceId: deviceId() });
    state.session = { ...token, handle };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
    $('password').value = '';
    start();
  } catch (error) {
    showError('login-error', error);
  }
}

async function logOut() {
  try {
    await rest('DELETE', `/v1/me/devices/${state.session.deviceId}/session`);
  } catch (error) {
    // The session ends here either way; the server ends it at the token's expiry at the latest.
  }
  endSession('');
}

function endSession(message) {
  stopConnection();
  clearTimeout(state.refreshTimer);
  state.session = null;
  state.conversations.clear();
  state.openId = null;
  sessionStorage.removeItem(SESSION_KEY);
  $('chat').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

function scheduleTokenRefresh() {
  clearTimeout(state.refreshTimer);
  const due = Date.parse(state.session.expiresAt) - Date.now() - 60_000;
  state.refreshTimer = setTimeout(async () => {
    try {
      const token = await rest('POST', '/v1/tokens/refresh');
      state.session = { ...state.session, ...token };
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
      scheduleTokenRefresh();
    } catch (error) {
      if (state.session) showError('chat-error', error);
    }
  }, Math.max(due, 5_000));
}

async function start() {
  $('login').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = state.session.handle ?? '';
  scheduleTokenRefresh();
  connect();
  try {
    const me = await rest('GET', '/v1/me');
    $('me').textContent = `${me.displayName} (@${me.handle})`;
    await loadConversations();
  } catch (error) {
    showError('chat-error', error);
  }
}

// --- the MQTT connection -------------------------------------------------------------------------

const topics = {
  messages: () => `users/${state.session.userId}/messages`,
  receipts: () => `users/${state.session.userId}/receipts`,
  events: () => `users/${state.session.userId}/events`,
  typing: () => `users/${state.session.userId}/typing`,
  presence: () => `presence/${state.session.userId}/${state.session.deviceId}`,
};

function presence(status, connection) {
  return JSON.stringify({ status, connection });
}

function setConnection(label) {
  $('connection').dataset.state = label;
  $('connection').textContent = label;
}

function connect() {
  state.stopped = false;
  const connection = crypto.randomUUID();
  setConnection('connecting');
  const client = mqtt.connect(BROKER, {
    protocolVersion: 5,
    clientId: `${state.session.userId}/${state.session.deviceId}`,
    username: state.session.userId,
    password: state.session.token,
    clean: false,
    properties: { sessionExpiryInterval: 3600 },
    keepalive: 30,
    reconnectPeriod: 0,   // reconnects are ours: backoff with jitter, a fresh token and presence id each time
    connectTimeout: 10_000,
    will: { topic: topics.presence(), payload: presence('offline', connection), qos: 1, retain: false },
  });
  client.parleyConnection = connection;
  state.client = client;
  client.on('connect', () => onConnected(client));
  client.on('message', (topic, payload) => onMessage(topic, payload));
  client.on('error', (error) => onConnectionError(client, error));
  client.on('disconnect', (packet) => {
    const code = packet?.reasonCode ?? 0;
    const reason = packet?.properties?.reasonString ?? `reason code 0x${code.toString(16)}`;
    showError('chat-error', new Error(`The server closed the connection: ${reason}`));
    if (AUTH_FAILURES.has(code)) endSession(`Your session has ended (${reason}); log in again.`);
  });
  client.on('close', () => {
    if (state.client !== client) return;
    setConnection('offline');
    if (!state.stopped) scheduleReconnect();
  });
}

function onConnectionError(client, error) {
  if (AUTH_FAILURES.has(error.code) || error.code === 0x85) {
    // 0x86/0x87: the token was refused (expired, logged out); the login screen says so instead of retrying.
    endSession(`The broker refused this session (${error.message}); log in again.`);
    return;
  }
  showError('chat-error', new Error(`Connection problem: ${error.message}`));
}

function scheduleReconnect() {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** state.reconnectAttempts++);
  const delay = ceiling / 2 + Math.random() * ceiling / 2;
  setTimeout(() => {
    if (state.stopped || !state.client) return;
    const connection = crypto.randomUUID();
    state.client.options.password = state.session.token;       // refreshed meanwhile, perhaps
    state.client.options.will.payload = presence('offline', connection);
    state.client.parleyConnection = connection;
    setConnection('connecting');
    state.client.reconnect();
  }, delay);
}

function stopConnection() {
  state.stopped = true;
  const client = state.client;
  state.client = null;
  state.watchedPresence = null;
  if (client?.connected) {
    // 0x04 (disconnect with will): friends see this device go offline now.
    client.end(false, { reasonCode: 0x04 });
  } else {
    client?.end(true);
  }
  setConnection('offline');
}

function onConnected(client) {
  state.reconnectAttempts = 0;
  showError('chat-error', null);
  client.subscribe([topics.messages(), topics.receipts(), topics.events(), topics.typing()], { qos: 1 }, (error, granted) => {
    const refused = (granted ?? []).find((g) => g.qos >= 0x80);
    if (error || refused) {
      endSession(`The broker refused this device its own topics (${error?.message ?? '0x' + refused.qos.toString(16)}).`);
      return;
    }
    setConnection('online');
    client.publish(topics.presence(), presence('online', client.parleyConnection), { qos: 1 });
    state.watchedPresence = null;
    const open = state.conversations.get(state.openId);
    if (open) {
      watchPresence(open);
      catchUp(open).catch((e) => showError('chat-error', e));
    }
    loadConversations().catch((e) => showError('chat-error', e));
  });
}

function onMessage(topic, payload) {
  let json;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return;   // nothing this client can show
  }
  if (topic === topics.messages()) onEnvelope(json);
  else if (topic === topics.receipts()) onReceipt(json);
  else if (topic === topics.events()) onEvent(json);
  else if (topic === topics.typing()) onTyping(json);
  else if (topic.startsWith('presence/')) onPresence(json);
}

// --- conversations -------------------------------------------------------------------------------

function directId(a, b) {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

function conversation(id, peer, groupId) {
  let c = state.conversations.get(id);
  if (!c) {
    c = {
      id, peer, groupId,
      messages: new Map(),     // seq → envelope, as stored
      pending: new Map(),      // clientMsgId → {text, tick, error}: sends without their envelope yet
      lastSeq: 0, myRead: 0, peerDelivered: 0, peerRead: 0, loaded: false,
    };
    state.conversations.set(id, c);
  }
  return c;
}

async function nameOf(id, group) {
  if (!state.names.has(id)) {
    const found = group ? await rest('GET', `/v1/groups/${id}`) : await rest('GET', `/v1/users/${id}`);
    state.names.set(id, group ? found.name : found.displayName);
  }
  return state.names.get(id);
}

async function loadConversations() {
  const list = await rest('GET', '/v1/me/conversations');
  for (const item of list) {
    const c = conversation(item.conversationId, item.peer, item.groupId);
    c.lastSeq = Math.max(c.lastSeq, item.lastSeq);
    for (const mark of item.receipts ?? []) {
      if (mark.userId === state.session.userId) {
        c.myRead = Math.max(c.myRead, mark.readUpToSeq ?? 0);
      } else if (c.peer) {
        c.peerDelivered = Math.max(c.peerDelivered, mark.deliveredUpToSeq ?? 0);
        c.peerRead = Math.max(c.peerRead, mark.readUpToSeq ?? 0);
      }
    }
    await nameOf(c.groupId ?? c.peer, Boolean(c.groupId));
  }
  renderConversations();
  renderMessages();
}

async function openChatWith(handle) {
  showError('chat-error', null);
  try {
    const user = await rest('GET', `/v1/users?handle=${encodeURIComponent(handle)}`);
    state.names.set(user.id, user.displayName);
    await openConversation(conversation(directId(state.session.userId, user.id), user.id, undefined));
  } catch (error) {
    showError('chat-error', error);
  }
}

async function openConversation(c) {
  state.openId = c.id;
  $('conversation').hidden = false;
  $('peer-name').textContent = state.names.get(c.groupId ?? c.peer) ?? '';
  $('peer-presence').textContent = '';
  $('typing').hidden = true;
  showError('send-error', null);
  watchPresence(c);
  renderConversations();
  if (!c.loaded) {
    const page = await rest('GET', `/v1/conversations/${c.id}/messages?limit=50`);
    for (const envelope of page.messages) hold(c, envelope);
    c.loaded = true;
  }
  await catchUp(c);
  renderMessages();
  markRead(c);
}

/** Fetches everything after the highest seq held: a gap (missed while offline) is never left open. */
async function catchUp(c) {
  if (!c.loaded) return;
  for (;;) {
    const after = highestHeld(c);
    const page = await rest('GET', `/v1/conversations/${c.id}/messages?afterSeq=${after}&limit=${HISTORY_PAGE}`);
    for (const envelope of page.messages) hold(c, envelope);
    if (page.messages.length < HISTORY_PAGE) break;
  }
  renderMessages();
  markRead(c);
}

function highestHeld(c) {
  return c.messages.size === 0 ? 0 : Math.max(...c.messages.keys());
}

function hold(c, envelope) {
  c.messages.set(envelope.seq, envelope);
  c.lastSeq = Math.max(c.lastSeq, envelope.seq);
  if (envelope.from === state.session.userId) c.pending.delete(envelope.clientMsgId);
}

function onEnvelope(envelope) {
  const me = state.session.userId;
  const peer = envelope.groupId ? undefined : (envelope.from === me ? envelope.to : envelope.from);
  const c = conversation(envelope.conversationId, peer, envelope.groupId);
  const gap = c.loaded && envelope.seq > highestHeld(c) + 1;
  hold(c, envelope);
  if (!state.names.has(envelope.groupId ?? peer)) {
    nameOf(envelope.groupId ?? peer, Boolean(envelope.groupId)).then(renderConversations, () => {});
  }
  if (gap) catchUp(c).catch((e) => showError('chat-error', e));
  renderConversations();
  if (c.id === state.openId) {
    renderMessages();
    if (envelope.from !== me) {
      $('typing').hidden = true;
      markRead(c);
    }
  }
}

function onReceipt(receipt) {
  const c = state.conversations.get(receipt.conversationId);
  if (!c || receipt.marks) return;   // group digests: the web client shows group ticks as sent only
  if (receipt.by === state.session.userId) {
    c.myRead = Math.max(c.myRead, receipt.upToSeq);           // read on another of my devices
  } else if (receipt.type === 'read') {
    c.peerRead = Math.max(c.peerRead, receipt.upToSeq);
    c.peerDelivered = Math.max(c.peerDelivered, receipt.upToSeq);
  } else {
    c.peerDelivered = Math.max(c.peerDelivered, receipt.upToSeq);
  }
  renderConversations();
  if (c.id === state.openId) renderMessages();
}

function onEvent(event) {
  if (event.type === 'group.changed') loadConversations().catch((e) => showError('chat-error', e));
}

function markRead(c) {
  if (c.id !== state.openId || document.hidden || c.lastSeq <= c.myRead || !state.client?.connected) return;
  c.myRead = c.lastSeq;
  state.client.publish(topics.receipts(), JSON.stringify({ conversationId: c.id, type: 'read', upToSeq: c.lastSeq }), { qos: 1 });
  renderConversations();
}

// --- sending -------------------------------------------------------------------------------------

function send(text) {
  const c = state.conversations.get(state.openId);
  if (!c || !text.trim()) return;
  publishSend(c, crypto.randomUUID(), text);
}

/**
 * A failed send is offered again with its clientMsgId: an error ack means "not confirmed" (the server may have
 * stored it after all), and the same id gets the original message back instead of a second one.
 */
function retry(c, clientMsgId) {
  const pending = c.pending.get(clientMsgId);
  if (pending?.tick === 'failed') publishSend(c, clientMsgId, pending.text);
}

function publishSend(c, clientMsgId, text) {
  showError('send-error', null);
  c.pending.set(clientMsgId, { text, tick: 'pending' });
  renderMessages();
  const topic = c.groupId ? `groups/${c.groupId}/messages` : `users/${c.peer}/messages`;
  // While offline mqtt.js keeps the publish and sends it on reconnect; the clientMsgId makes a resend safe.
  state.client.publish(topic, JSON.stringify({ clientMsgId, text }), { qos: 1 }, (error, packet) => {
    const pending = c.pending.get(clientMsgId);
    if (!pending) return;   // the envelope came first
    if (error) {
      pending.tick = 'failed';
      pending.error = packet?.properties?.reasonString ?? error.message;
      showError('send-error', new Error(`Not sent: ${pending.error}`));
    } else {
      pending.tick = 'sent';
    }
    renderMessages();
  });
}

function sendTyping() {
  const c = state.conversations.get(state.openId);
  if (!c || !state.client?.connected || Date.now() - state.lastTypingSent < TYPING_REPEAT_MS) return;
  state.lastTypingSent = Date.now();
  const topic = c.groupId ? `groups/${c.groupId}/typing` : `users/${c.peer}/typing`;
  state.client.publish(topic, JSON.stringify({ state: 'typing' }), { qos: 0 });
}

function onTyping(indicator) {
  if (indicator.conversationId !== state.openId) return;
  clearTimeout(state.typingTimer);
  $('typing').hidden = indicator.state !== 'typing';
  if (indicator.state === 'typing') {
    state.typingTimer = setTimeout(() => { $('typing').hidden = true; }, TYPING_SHOWN_MS);
  }
}

// --- presence ------------------------------------------------------------------------------------

function watchPresence(c) {
  const client = state.client;
  const topic = c.peer ? `presence/${c.peer}` : null;
  if (!client?.connected || topic === state.watchedPresence) return;
  if (state.watchedPresence) client.unsubscribe(state.watchedPresence);
  state.watchedPresence = topic;
  if (!topic) return;
  client.subscribe(topic, { qos: 1 }, (error, granted) => {
    if (!error && granted?.[0]?.qos >= 0x80 && state.openId === c.id) {
      // Friends only: a stranger's presence is not ours to see.
      $('peer-presence').textContent = '';
    }
  });
}

function onPresence(update) {
  const c = state.conversations.get(state.openId);
  if (!c || update.userId !== c.peer) return;
  $('peer-presence').textContent = update.status === 'online' ? 'online'
      : update.lastSeen ? `last seen ${new Date(update.lastSeen).toLocaleString()}` : 'offline';
  $('peer-presence').dataset.status = update.status;
}

// --- rendering -----------------------------------------------------------------------------------

function renderConversations() {
  const list = $('conversations');
  list.replaceChildren(...[...state.conversations.values()]
      .sort((a, b) => (latestAt(b) ?? '').localeCompare(latestAt(a) ?? ''))
      .map((c) => {
        const item = document.createElement('li');
        item.dataset.conversationId = c.id;
        item.classList.toggle('open', c.id === state.openId);
        const title = document.createElement('span');
        title.textContent = state.names.get(c.groupId ?? c.peer) ?? '…';
        const unread = document.createElement('span');
        unread.className = 'unread';
        unread.textContent = c.lastSeq > c.myRead && c.id !== state.openId ? String(c.lastSeq - c.myRead) : '';
        item.append(title, unread);
        item.addEventListener('click', () => openConversation(c).catch((e) => showError('chat-error', e)));
        return item;
      }));
}

function latestAt(c) {
  return c.messages.get(highestHeld(c))?.sentAt;
}

function tickOf(c, envelope) {
  if (c.groupId) return 'sent';
  if (envelope.seq <= c.peerRead) return 'read';
  if (envelope.seq <= c.peerDelivered) return 'delivered';
  return 'sent';
}

const TICK_MARKS = { pending: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' };

function messageItem(c, envelope, pending, clientMsgId) {
  const item = document.createElement('li');
  const mine = pending !== undefined || envelope.from === state.session.userId;
  item.className = 'message' + (mine ? ' mine' : '');
  if (envelope?.event) {
    item.className = 'message system';
    item.textContent = `${state.names.get(envelope.event.user) ?? 'someone'} ${envelope.event.kind}`;
    return item;
  }
  if (envelope) {
    item.dataset.seq = envelope.seq;
    item.dataset.id = envelope.id;
  }
  item.dataset.clientMsgId = clientMsgId;
  if (c.groupId && !mine) {
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = state.names.get(envelope.from) ?? '';
    item.append(from);
  }
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = envelope?.text ?? pending.text;
  item.append(text);
  if (mine) {
    const tick = document.createElement('span');
    tick.className = 'tick';
    tick.dataset.tick = envelope ? tickOf(c, envelope) : pending.tick;
    tick.textContent = TICK_MARKS[tick.dataset.tick];
    tick.title = pending?.error ? `${pending.error} (click to try again)` : tick.dataset.tick;
    if (pending?.tick === 'failed') tick.addEventListener('click', () => retry(c, clientMsgId));
    item.append(tick);
  }
  return item;
}

function renderMessages() {
  const c = state.conversations.get(state.openId);
  if (!c) return;
  const list = $('messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  const stored = [...c.messages.values()].sort((a, b) => a.seq - b.seq)
      .map((envelope) => messageItem(c, envelope, undefined, envelope.clientMsgId));
  const waiting = [...c.pending.entries()].map(([id, pending]) => messageItem(c, undefined, pending, id));
  list.replaceChildren(...stored, ...waiting);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

// --- wiring --------------------------------------------------------------------------------------

$('login-form').addEventListener('submit', (event) => { event.preventDefault(); logIn(false); });
$('register').addEventListener('click', () => logIn(true));
$('log-out').addEventListener('click', () => logOut());
$('open-chat').addEventListener('submit', (event) => {
  event.preventDefault();
  openChatWith($('open-handle').value.trim());
});
$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  send($('text').value);
  $('text').value = '';
});
$('text').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
});
$('text').addEventListener('input', () => sendTyping());
document.addEventListener('visibilitychange', () => {
  const c = state.conversations.get(state.openId);
  if (c) markRead(c);
});

if (state.session) start();
else $('login').hidden = false;
