// Bob's side of a chat in the web client, in Debian's Chromium: log in, open a chat with Alice, send, see the
// ticks, be refused, see typing, leave and come back to exactly what was missed. The Java test plays Alice on
// a phone (Paho over TCP) and reads the "STEP" lines this prints; it answers "GO <step>" on stdin where Bob
// must wait for it. Any failed expectation exits non-zero with what was on the page.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const WEB_URL = env('WEB_URL');
const BOB_HANDLE = env('BOB_HANDLE');
const BOB_PASSWORD = env('BOB_PASSWORD');
const ALICE_HANDLE = env('ALICE_HANDLE');
const ALICE_NAME = env('ALICE_NAME');
const TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 20000);

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const step = (name, detail = '') => console.log(`STEP ${name}${detail ? ' ' + detail : ''}`);
async function go(name) {
  step(`wait-${name}`);
  const { value, done } = await lines.next();
  if (done || value.trim() !== `GO ${name}`) throw new Error(`expected "GO ${name}" on stdin, got ${JSON.stringify(value)}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
page.setDefaultTimeout(TIMEOUT);
page.on('console', (message) => console.log(`CONSOLE ${message.type()} ${message.text()}`));
page.on('pageerror', (error) => console.log(`PAGEERROR ${error.message}`));

const mine = (text) => page.locator('#messages li.message.mine', { hasText: text });
const theirs = (text) => page.locator('#messages li.message:not(.mine)', { hasText: text });

try {
  await page.goto(WEB_URL);
  await page.fill('#handle', BOB_HANDLE);
  await page.fill('#password', 'not the password');
  await page.click('#log-in');
  await page.locator('#login-error', { hasText: /./ }).waitFor();
  step('bad-login-refused', JSON.stringify(await page.textContent('#login-error')));

  await page.fill('#password', BOB_PASSWORD);
  await page.click('#log-in');
  await page.locator('#connection[data-state="online"]').waitFor();
  step('online');

  await page.fill('#open-handle', 'nobody.has.this.handle');
  await page.click('#open-chat button');
  await page.locator('#chat-error', { hasText: /./ }).waitFor();
  step('unknown-handle-refused', JSON.stringify(await page.textContent('#chat-error')));

  await page.fill('#open-handle', ALICE_HANDLE);
  await page.click('#open-chat button');
  await page.locator('#peer-name', { hasText: ALICE_NAME }).waitFor();
  await page.locator('#peer-presence', { hasText: 'online' }).waitFor();
  step('alice-online');

  await page.fill('#text', 'Hello from the browser');
  await page.press('#text', 'Enter');
  const hello = mine('Hello from the browser');
  await hello.and(page.locator('[data-seq]')).waitFor();
  step('sent', JSON.stringify({ id: await hello.getAttribute('data-id'), seq: Number(await hello.getAttribute('data-seq')) }));
  // Alice's phone acknowledges it (delivered), then reads it and answers.
  await hello.locator('.tick[data-tick="read"]').waitFor();
  step('read-by-alice');
  await theirs('Hello from the phone').waitFor();
  step('received', `seq=${await theirs('Hello from the phone').getAttribute('data-seq')}`);

  await page.fill('#text', 'x'.repeat(1001));
  await page.press('#text', 'Enter');
  await page.locator('#send-error', { hasText: /./ }).waitFor();
  await page.locator('#messages .tick[data-tick="failed"]').waitFor();
  step('too-long-refused', JSON.stringify(await page.textContent('#send-error')));

  await go('typing');
  await page.locator('#typing:not([hidden])').waitFor();
  step('alice-typing');

  // Leave (the tab keeps its session storage, as a reload would) while Alice writes three more.
  await page.goto('about:blank');
  await go('back');
  await page.goto(WEB_URL);
  await page.locator('#connection[data-state="online"]').waitFor();
  await page.locator('#conversations li', { hasText: ALICE_NAME }).click();
  for (const text of ['while away 1', 'while away 2', 'while away 3']) await theirs(text).waitFor();
  await mine('Hello from the browser').waitFor();
  const seqs = await page.locator('#messages li.message[data-seq]').evaluateAll(
      (items) => items.map((item) => Number(item.dataset.seq)));
  const texts = await page.locator('#messages li.message[data-seq] .text').allTextContents();
  step('caught-up', JSON.stringify({ seqs, texts }));

  await page.click('#log-out');
  await page.locator('#login:not([hidden])').waitFor();
  step('logged-out');
  await browser.close();
  process.exit(0);
} catch (error) {
  console.log(`FAILED ${error.message}`);
  console.log(`PAGE ${JSON.stringify(await page.locator('body').innerText().catch(() => '?'))}`);
  await browser.close();
  process.exit(1);
}
