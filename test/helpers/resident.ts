/**
 * A resident identifying on the resident pages the way a browser does, for tests without a browser:
 * with an e-mail code read from the SMTP capture, keeping cookies in a supertest agent.
 */
import type express from 'express';
import request from 'supertest';
import type { CapturedMail, SmtpCapture } from './smtp';

export type Agent = ReturnType<typeof request.agent>;

/** The hidden CSRF token of the first form in a page's main content (the header's sign-out form has its own). */
export function csrfOf(page: string): string {
  const main = page.indexOf('<main');
  const token = /name="csrf" value="([^"]+)"/.exec(main < 0 ? page : page.slice(main))?.[1];
  if (!token) throw new Error('the page has no CSRF token');
  return token;
}

/** The one-time code e-mails sent to an address so far. */
export function codeMails(smtp: SmtpCapture, email: string): CapturedMail[] {
  return smtp.messages.filter((m) => m.to.toLowerCase().includes(email.toLowerCase()) && m.headers.get('x-dsr-kind') === 'resident_code');
}

/** The code in a one-time code e-mail. */
export function codeIn(mail: CapturedMail): string {
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error('the e-mail has no six-digit code');
  return code;
}

/** Waits for the next code e-mail to an address (after `seen` earlier ones) and returns its code. */
export async function nextCode(smtp: SmtpCapture, email: string, seen: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const mails = codeMails(smtp, email);
    if (mails.length > seen) return codeIn(mails[seen]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no new code e-mail to ${email}`);
}

/** Asks for a code for the address; the answer must be the redirect to the code page. */
export async function askCode(agent: Agent, email: string, lang = 'fi'): Promise<void> {
  const form = await agent.get(`/identify/email?lang=${lang}`).expect(200);
  const res = await agent.post(`/identify/email?lang=${lang}`).type('form').send({ csrf: csrfOf(form.text), email });
  if (res.status !== 303) throw new Error(`asking for a code answered ${res.status}: ${res.text.slice(0, 300)}`);
  expectLocation(res.headers.location, `/identify/email/code?lang=${lang}`);
}

/** Posts a code on the code page; returns the answer. */
export async function postCode(agent: Agent, code: string, lang = 'fi') {
  const page = await agent.get(`/identify/email/code?lang=${lang}`).expect(200);
  return agent.post(`/identify/email/code?lang=${lang}`).type('form').send({ csrf: csrfOf(page.text), code });
}

/** A new agent identified by a code sent to `email`; it is then shown the e-form. */
export async function identifiedByEmail(app: express.Express, smtp: SmtpCapture, email: string, lang = 'fi'): Promise<Agent> {
  const agent = request.agent(app);
  const seen = codeMails(smtp, email).length;
  await askCode(agent, email, lang);
  const res = await postCode(agent, await nextCode(smtp, email, seen), lang);
  if (res.status !== 303) throw new Error(`the code was refused (${res.status}): ${res.text.slice(0, 300)}`);
  return agent;
}

function expectLocation(actual: string | undefined, expected: string): void {
  if (actual !== expected) throw new Error(`expected a redirect to ${expected}, got ${String(actual)}`);
}

/** The tokens a page of the e-form carries: the one-time form token and the session's CSRF token. */
export function formTokensOf(page: string): { formToken: string; csrf: string } {
  const formToken = /name="formToken" value="([^"]+)"/.exec(page)?.[1];
  if (!formToken) throw new Error('the page has no form token');
  return { formToken, csrf: csrfOf(page) };
}

/**
 * Opens the e-form and sends its first step with these rights, as a browser does; returns the
 * second step's page (which must answer 200) and the tokens it carries.
 */
export async function openDetailsStep(agent: Agent, rights: string[], lang = 'fi'): Promise<{ page: string; formToken: string; csrf: string }> {
  const first = await agent.get(`/?lang=${lang}`).expect(200);
  const body = new URLSearchParams({ ...formTokensOf(first.text) });
  for (const right of rights) body.append('rights', right);
  const res = await agent.post(`/request/details?lang=${lang}`).type('form').send(body.toString());
  if (res.status !== 200) throw new Error(`step 1 answered ${res.status}: ${res.text.slice(0, 300)}`);
  return { page: res.text, ...formTokensOf(res.text) };
}
