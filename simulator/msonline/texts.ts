/**
 * The exact texts and error identities of MSOnline (partner-environment.md), in one place.
 */
import type { SimError } from '../http/error-record.js';

export const msolBadPassword = 'Authentication Error: Bad username or password.';
export const msolNotConnected = 'You must call the Connect-MsolService cmdlet before calling any other cmdlets.';
export const msolAccessDenied = 'Access Denied. You do not have permissions to call this cmdlet.';
/** MSOnline's hint when a list is cut at the default page size (text as MSOnline prints it for Get-MsolUser). */
export const msolMoreResults = 'More results are available. Please specify one of the All or MaxResults parameters.';

export function msolError(message: string, cmdletClass: string, category = 'OperationStopped'): SimError {
  return {
    exceptionType: 'Microsoft.Online.Administration.Automation.MicrosoftOnlineException',
    message,
    errorId: `Microsoft.Online.Administration.Automation.MicrosoftOnlineException,Microsoft.Online.Administration.Automation.${cmdletClass}`,
    category,
  };
}
