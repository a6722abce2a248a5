/** The download endpoint (JSON/binary API); the page that asks for the code is in the web routes. */
import { Router } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { parseOrThrow } from '../../services/errors';
import { fetchDocument } from '../../services/download';
import { clientOf } from '../../services/access-lookup';
import { singleLine } from '../../services/text';

const bodySchema = z.object({ accessCode: singleLine(z.string().trim().min(1, 'is required').max(40)) }).strict();

export function downloadRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/api/v1/downloads/:token', async (req, res) => {
    const body = parseOrThrow(bodySchema, req.body);
    try {
      const doc = await fetchDocument(ctx, String(req.params.token), body.accessCode, clientOf(req));
      ctx.metrics.downloads.inc({ result: 'ok' });
      res.type(doc.mediaType).setHeader('Content-Disposition', `attachment; filename="${doc.filename}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(doc.content);
    } catch (error) {
      ctx.metrics.downloads.inc({ result: 'refused' });
      throw error;
    }
  });
  return router;
}
