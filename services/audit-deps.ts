/** The audit integrity service's dependencies, from the service context. */
import type { ServiceContext } from './context';
import type { IntegrityDeps } from './audit-integrity';

export function integrityDeps(ctx: ServiceContext): IntegrityDeps {
  return {
    db: ctx.db,
    mailer: ctx.mailer,
    logger: ctx.logger,
    mail: { from: ctx.config.mail.from, messageIdDomain: ctx.config.mail.messageIdDomain, staffNotify: ctx.config.mail.staffNotify },
    publicBaseUrl: ctx.config.http.publicBaseUrl,
    checkpointDir: ctx.config.auditCheckpointDir ?? null,
  };
}
