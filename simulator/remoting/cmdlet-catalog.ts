/**
 * The Exchange cmdlets the simulated remote session offers, with their output columns in order
 * (the same list as the generator's report catalog) and the deserialized type name of their rows.
 */
/** `strings`: a multi-valued property (MultiValuedProperty), an array of strings or null. */
export type ColumnType = 'string' | 'datetime' | 'guid' | 'int' | 'long' | 'double' | 'bool' | 'strings';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

export interface CmdletSpec {
  name: string;
  /** The Exchange task class (the tail of error ids). */
  taskClass: string;
  /** The type name rows carry (before deserialization adds its prefix). */
  typeName: string;
  columns: ColumnSpec[];
}

const c = (name: string, type: ColumnType = 'string'): ColumnSpec => ({ name, type });
const reporting = 'Microsoft.Exchange.Management.ReportingTask';

export const cmdletSpecs: readonly CmdletSpec[] = [
  {
    name: 'Get-MailboxActivityReport',
    taskClass: `${reporting}.GetMailboxActivityReport`,
    typeName: 'Microsoft.Exchange.Management.ReportingTask.MailboxActivityReport',
    columns: [c('TenantGuid', 'guid'), c('TenantName'), c('Date', 'datetime'), c('TotalNumberOfActiveMailboxes', 'long'), c('AccountCreated', 'long'), c('AccountDeleted', 'long')],
  },
  {
    name: 'Get-MailboxUsageReport',
    taskClass: `${reporting}.GetMailboxUsageReport`,
    typeName: 'Microsoft.Exchange.Management.ReportingTask.MailboxUsageReport',
    columns: [c('TenantGuid', 'guid'), c('TenantName'), c('Date', 'datetime'), c('TotalMailboxCount', 'long'), c('TotalInactiveMailboxCount', 'long'), c('MailboxesOverWarningSize', 'long'), c('MailboxesUsedLessthan25Percent', 'long')],
  },
  {
    name: 'Get-MailboxUsageDetailReport',
    taskClass: `${reporting}.GetMailboxUsageDetailReport`,
    typeName: 'Microsoft.Exchange.Management.ReportingTask.MailboxUsageDetailReport',
    columns: [
      c('Date', 'datetime'), c('TenantGuid', 'guid'), c('TenantName'), c('WindowsLiveID'), c('UserName'), c('MailboxSize', 'long'), c('CurrentMailboxSize', 'long'),
      c('PercentUsed', 'double'), c('MailboxPlan'), c('IsInactive', 'bool'), c('IssueWarningQuota', 'long'), c('IsOverWarningQuota', 'bool'),
    ],
  },
  {
    name: 'Get-StaleMailboxReport',
    taskClass: `${reporting}.GetStaleMailboxReport`,
    typeName: 'Microsoft.Exchange.Management.ReportingTask.StaleMailboxReport',
    columns: [c('TenantGuid', 'guid'), c('TenantName'), c('Date', 'datetime'), c('ActiveMailboxes', 'long'), c('InactiveMailboxes31To60Days', 'long'), c('InactiveMailboxes61To90Days', 'long'), c('InactiveMailboxes91To1460Days', 'long')],
  },
  {
    name: 'Get-StaleMailboxDetailReport',
    taskClass: `${reporting}.GetStaleMailboxDetailReport`,
    typeName: 'Microsoft.Exchange.Management.ReportingTask.StaleMailboxDetailReport',
    columns: [c('Date', 'datetime'), c('TenantGuid', 'guid'), c('TenantName'), c('WindowsLiveID'), c('UserName'), c('LastLogin', 'datetime'), c('DaysInactive', 'int')],
  },
  {
    name: 'Get-ConnectionByClientTypeReport',
    taskClass: `${reporting}.GetConnectionByClientTypeReport`,
    typeName: 'Microsoft.Exchange.Management.ReportingTask.ConnectionByClientTypeReport',
    columns: [c('Date', 'datetime'), c('TenantGuid', 'guid'), c('TenantName'), c('ClientType'), c('Count', 'long')],
  },
  {
    name: 'Get-Mailbox',
    taskClass: 'Microsoft.Exchange.Management.RecipientTasks.GetMailbox',
    typeName: 'Microsoft.Exchange.Data.Directory.Management.Mailbox',
    columns: [c('Identity'), c('DisplayName'), c('UserPrincipalName'), c('PrimarySmtpAddress'), c('ExchangeGuid', 'guid')],
  },
  {
    name: 'Get-MailboxStatistics',
    taskClass: 'Microsoft.Exchange.Management.MapiTasks.GetMailboxStatistics',
    typeName: 'Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics',
    columns: [c('DisplayName'), c('MailboxGuid', 'guid'), c('ItemCount', 'long'), c('TotalItemSize'), c('LastLogonTime', 'datetime'), c('LastUserActionTime', 'datetime')],
  },
  {
    name: 'Get-MessageTrace',
    taskClass: 'Microsoft.Exchange.Management.FfoReporting.GetMessageTrace',
    typeName: 'Microsoft.Exchange.Management.FfoReporting.MessageTrace',
    columns: [
      c('Received', 'datetime'), c('SenderAddress'), c('RecipientAddress'), c('Subject'), c('Status'), c('ToIP'), c('FromIP'), c('Size', 'long'),
      c('MessageId'), c('MessageTraceId', 'guid'),
    ],
  },
  {
    name: 'Get-InboxRule',
    taskClass: 'Microsoft.Exchange.Management.RecipientTasks.GetInboxRule',
    typeName: 'Microsoft.Exchange.Management.Common.InboxRule',
    columns: [
      c('Name'), c('Identity'), c('RuleIdentity'), c('MailboxOwnerId'), c('Enabled', 'bool'), c('Priority', 'int'), c('Description'),
      c('ForwardTo', 'strings'), c('RedirectTo', 'strings'), c('ForwardAsAttachmentTo', 'strings'), c('DeleteMessage', 'bool'), c('MoveToFolder'), c('StopProcessingRules', 'bool'),
    ],
  },
  {
    name: 'Get-CASMailbox',
    taskClass: 'Microsoft.Exchange.Management.RecipientTasks.GetCASMailbox',
    typeName: 'Microsoft.Exchange.Data.Directory.Management.CASMailbox',
    columns: [
      c('Identity'), c('DisplayName'), c('PrimarySmtpAddress'), c('ExternalDirectoryObjectId', 'guid'), c('ActiveSyncEnabled', 'bool'), c('OWAEnabled', 'bool'), c('PopEnabled', 'bool'),
      c('ImapEnabled', 'bool'), c('MAPIEnabled', 'bool'), c('EwsEnabled', 'bool'), c('SmtpClientAuthenticationDisabled', 'bool'),
    ],
  },
  {
    name: 'Get-AcceptedDomain',
    taskClass: 'Microsoft.Exchange.Management.SystemConfigurationTasks.GetAcceptedDomain',
    typeName: 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain',
    columns: [c('Name'), c('DomainName'), c('DomainType'), c('Default', 'bool')],
  },
];

export function findCmdlet(name: string): CmdletSpec | undefined {
  return cmdletSpecs.find((spec) => spec.name.toLowerCase() === name.toLowerCase());
}

