/** The staff pages the way a browser uses them, for tests without a browser: the dev sign-in and CSRF tokens. */
import type express from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

/** The CSRF token of the first form on a staff page. */
export function csrfOf(page: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error('the page has no CSRF token');
  return token;
}

/** An agent that keeps its cookies, signed in through the development sign-in (English pages); `landing`: where the sign-in must send it. */
export async function signedInStaff(app: express.Express, user: string, role: string, landing?: string): Promise<TestAgent> {
  const agent = request.agent(app);
  const form = await agent.get('/staff/sign-in?lang=en').expect(200);
  const res = await agent.post('/staff/sign-in?lang=en').type('form').send({ user, role, csrf: csrfOf(form.text) }).expect(303);
  if (landing !== undefined && res.headers.location !== landing) throw new Error(`the sign-in sent ${user} to ${String(res.headers.location)}, not ${landing}`);
  return agent;
}
