/**
 * The exact texts and error identities of the Exchange remote session (partner-environment.md),
 * in one place (MSOnline's are msonline/texts.ts). Where no source confirmed a text, the comment says "guess".
 */
import { randomUUID } from 'node:crypto';
import type { SimError } from '../http/error-record.js';

export type { SimError };

const transport = 'System.Management.Automation.Remoting.PSRemotingTransportException';
const remotingHelp = 'For more information, see the about_Remote_Troubleshooting Help topic.';

/** The 4th session on an account. */
export function sessionCapError(host: string, max: number, open: number): SimError {
  const message =
    `Processing data from remote server ${host} failed with the following error message: ` +
    `[AuthZRequestId=${randomUUID()}][FailureCategory=AuthZ-AuthorizationException] Fail to create a runspace because you have exceeded ` +
    `the maximum number of connections allowed : ${max} for the policy party : MaxConcurrency. Please close existing runspace and try again.\n` +
    `Policy: CN=GlobalThrottlingPolicy_${randomUUID()},CN=Global Settings,CN=Configuration,CN=Microsoft Exchange,CN=Services,CN=Configuration; \n` +
    `Snapshot: Owner: Sid~EURPR01A001\\partner-admin~RPS~false\n` +
    `BudgetType: WSMan\n` +
    `ActiveRunspaces: ${open}/${max}\n` +
    `Balance: -1/2147483647/-3000000\n` +
    `PowerShellCmdletsLeft: 400/400\n` +
    `ExchangeCmdletsLeft: 25/25\n` +
    `CmdletTimePeriod: 5\n` +
    `DestructiveCmdletsLeft: 60/60\n` +
    `DestructiveCmdletTimePeriod: 60\n` +
    `QueueDepth: 0\n` +
    `MaxRunspacesTimePeriod: 60\n` +
    `RunSpacesRemaining: 5/5\n` +
    `LastTimeFrameUpdate: ${new Date().toUTCString()}\n` +
    `LastTimeFrameUpdateDestructiveCmdlets: ${new Date().toUTCString()}\n` +
    `LastTimeFrameUpdateMaxRunspaces: ${new Date().toUTCString()}\n` +
    `Locked: False\n` +
    `LockRemaining: 00:00:00 ${remotingHelp}`;
  return { exceptionType: transport, message, errorId: '-2144108477,PSSessionOpenFailed', category: 'OpenError', details: `[${host}] ${message}` };
}

/** (guess) the new-session rate limit, worded like the session cap with the MaxRunspacesTimePeriod party. */
export function sessionRateError(host: string, max: number, windowSeconds: number): SimError {
  const message =
    `Processing data from remote server ${host} failed with the following error message: ` +
    `[AuthZRequestId=${randomUUID()}][FailureCategory=AuthZ-AuthorizationException] Fail to create a runspace because you have exceeded ` +
    `the maximum number of connections allowed : ${max} for the policy party : MaxRunspacesTimePeriod (${windowSeconds} seconds). ` +
    `Please wait and try again. ${remotingHelp}`;
  return { exceptionType: transport, message, errorId: '-2144108477,PSSessionOpenFailed', category: 'OpenError', details: `[${host}] ${message}` };
}

/** Wrong password, no delegated rights for the tenant, or Basic auth off: one text for all. */
export function accessDeniedError(host: string): SimError {
  const message = `Connecting to remote server ${host} failed with the following error message : Access is denied. ${remotingHelp}`;
  return { exceptionType: transport, message, errorId: 'AccessDenied,PSSessionOpenFailed', category: 'OpenError', details: `[${host}] ${message}` };
}

/** A session that is gone (removed or expired) used with Invoke-Command -Session. */
export function brokenSessionError(sessionName: string): SimError {
  return {
    exceptionType: 'System.InvalidOperationException',
    message: `Because the session state for session ${sessionName} is not equal to Open, you cannot run a command in the session.  The session state is Closed.`,
    errorId: 'InvalidSessionState,Microsoft.PowerShell.Commands.InvokeCommandCommand',
    category: 'InvalidOperation',
  };
}

/** The "[Server=…,RequestId=…,TimeStamp=…] [FailureCategory=Cmdlet-<Exception>] <hex>,<task class>" id of Exchange errors. */
function exchangeErrorId(region: string, exception: string, taskClass: string): string {
  return `[Server=${region.toUpperCase()}MB1234,RequestId=${randomUUID()},TimeStamp=${new Date().toUTCString()}] ` +
    `[FailureCategory=Cmdlet-${exception}] ${randomUUID().slice(0, 8).toUpperCase()},${taskClass}`;
}

/** StartDate after EndDate (message text: guess). */
export function invalidDateError(region: string, taskClass: string): SimError {
  return {
    exceptionType: 'Microsoft.Exchange.Management.ReportingTask.InvalidDateParameterException',
    message: 'The StartDate parameter value must be earlier than the EndDate parameter value.',
    errorId: exchangeErrorId(region, 'InvalidDateParameterException', taskClass),
    category: 'InvalidArgument',
  };
}

/** Get-MessageTrace beyond its window (message text: guess). */
export function traceWindowError(region: string, days: number): SimError {
  return {
    exceptionType: 'Microsoft.Exchange.Management.FfoReporting.InvalidExpressionException',
    message: `Invalid StartDate value. The StartDate can't be older than ${days} days from today.`,
    errorId: exchangeErrorId(region, 'InvalidExpressionException', 'Microsoft.Exchange.Management.FfoReporting.GetMessageTrace'),
    category: 'InvalidArgument',
  };
}

export function objectNotFoundError(region: string, identity: string, taskClass: string): SimError {
  return {
    exceptionType: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    message: `The operation couldn't be performed because object '${identity}' couldn't be found on '${region.toUpperCase()}A001DC001.${region.toUpperCase()}A001.PROD.OUTLOOK.COM'.`,
    errorId: exchangeErrorId(region, 'ManagementObjectNotFoundException', taskClass),
    category: 'NotSpecified',
    targetObject: identity,
  };
}

export function unknownCmdletError(name: string): SimError {
  return {
    exceptionType: 'System.Management.Automation.CommandNotFoundException',
    message: `The term '${name}' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
    errorId: 'CommandNotFoundException',
    category: 'ObjectNotFound',
    targetObject: name,
  };
}

/** A parameter the cmdlet does not have: PowerShell's own parameter binding error, as the session's binder raises it. */
export function parameterNotFoundError(cmdlet: string, parameter: string): SimError {
  return {
    exceptionType: 'System.Management.Automation.ParameterBindingException',
    message: `A parameter cannot be found that matches parameter name '${parameter}'.`,
    errorId: `NamedParameterNotFound,${cmdlet}`,
    category: 'InvalidArgument',
    targetObject: parameter,
  };
}

export function microDelayWarning(delayMs: number): string {
  return `Micro delay applied. Actual delayed: ${delayMs} msecs, Enforced: True, Capped delay: ${delayMs} msecs, Required: False, Additional info: .;`;
}

export function redirectWarning(region: string, domain: string, psVersion: string): string {
  return `Your connection has been redirected to the following URI: "https://${region}.ps.outlook.com/PowerShell-LiveID?DelegatedOrg=${domain}&PSVersion=${psVersion}"`;
}
