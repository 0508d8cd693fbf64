/**
 * Turns zod issues into one readable sentence for error messages.
 */
import type { z } from 'zod';

/**
 * `subject: problem (at path); problem (at path)`, with custom messages passed through unchanged.
 *
 * @example
 * formatIssues('Tool lookup_order arguments', result.error); // 'Tool lookup_order arguments: orderId: Invalid input: expected string, received number'
 */
export function formatIssues(subject: string, error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    const path = issue.path.map((segment) => String(segment)).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return `${subject}: ${parts.join('; ')}`;
}
