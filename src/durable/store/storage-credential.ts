import type { TokenCredential } from '@azure/identity';
import type { StorageCredentialChoice } from './storage-settings';

/**
 * The token credential of an identity-based storage connection, chosen as the Functions host
 * chooses it, so the run store authenticates as the same identity as the host: the managed identity
 * for `credential=managedidentity`, `DefaultAzureCredential` otherwise. `@azure/identity` loads on
 * first use (it is large; cold start is module loading).
 */
export async function createStorageCredential(choice: StorageCredentialChoice): Promise<TokenCredential> {
  const identity = await import('@azure/identity');
  if (choice.kind === 'managed-identity') {
    if (choice.resourceId) return new identity.ManagedIdentityCredential({ resourceId: choice.resourceId });
    if (choice.clientId) return new identity.ManagedIdentityCredential({ clientId: choice.clientId });
    return new identity.ManagedIdentityCredential();
  }
  return new identity.DefaultAzureCredential(
    choice.managedIdentityClientId ? { managedIdentityClientId: choice.managedIdentityClientId } : {},
  );
}
