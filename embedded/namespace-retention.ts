/**
 * How long Temporal keeps a closed workflow's history (GDPR 5(1)(e)): set on the embedded dev
 * server's namespace at start-up. In production the namespace belongs to the operator, who sets it
 * with `temporal operator namespace update --retention <days>d <namespace>` (README, Retention).
 */
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

const DAY_SECONDS = 24 * 60 * 60;

export async function setNamespaceRetention(connection: Connection, namespace: string, days: number): Promise<void> {
  await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) } });
}

/** The namespace's retention in days, as the server reports it. */
export async function namespaceRetentionDays(connection: Connection, namespace: string): Promise<number> {
  const described = await connection.workflowService.describeNamespace({ namespace });
  return Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / DAY_SECONDS;
}
