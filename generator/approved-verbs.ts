/**
 * The approved PowerShell verbs (the output of Get-Verb), by group. The PowerShell engine defines
 * them as the public constants of System.Management.Automation.Verbs<Group>; a test compares this
 * list with those classes.
 */
export const approvedVerbs: Readonly<Record<string, readonly string[]>> = {
  Common: [
    'Add', 'Clear', 'Close', 'Copy', 'Enter', 'Exit', 'Find', 'Format', 'Get', 'Hide', 'Join', 'Lock', 'Move', 'New',
    'Open', 'Optimize', 'Push', 'Pop', 'Redo', 'Remove', 'Rename', 'Reset', 'Resize', 'Search', 'Select', 'Set', 'Show',
    'Skip', 'Split', 'Step', 'Switch', 'Undo', 'Unlock', 'Watch',
  ],
  Communications: ['Connect', 'Disconnect', 'Read', 'Receive', 'Send', 'Write'],
  Data: [
    'Backup', 'Checkpoint', 'Compare', 'Compress', 'Convert', 'ConvertFrom', 'ConvertTo', 'Dismount', 'Edit', 'Expand',
    'Export', 'Group', 'Import', 'Initialize', 'Limit', 'Merge', 'Mount', 'Out', 'Publish', 'Restore', 'Save', 'Sync',
    'Unpublish', 'Update',
  ],
  Diagnostic: ['Debug', 'Measure', 'Ping', 'Repair', 'Resolve', 'Test', 'Trace'],
  Lifecycle: [
    'Approve', 'Assert', 'Build', 'Complete', 'Confirm', 'Deny', 'Deploy', 'Disable', 'Enable', 'Install', 'Invoke',
    'Register', 'Request', 'Restart', 'Resume', 'Start', 'Stop', 'Submit', 'Suspend', 'Uninstall', 'Unregister', 'Wait',
  ],
  Security: ['Block', 'Grant', 'Protect', 'Revoke', 'Unblock', 'Unprotect'],
  Other: ['Use'],
};

const byLowerCase = new Map(Object.values(approvedVerbs).flat().map((verb) => [verb.toLowerCase(), verb]));

/** The approved verb in its canonical casing, or undefined when `verb` is not approved. */
export function approvedVerb(verb: string): string | undefined {
  return byLowerCase.get(verb.toLowerCase());
}
