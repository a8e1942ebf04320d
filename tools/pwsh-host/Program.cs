// The PowerShell console host, started exactly as pwsh starts it.
return Microsoft.PowerShell.ConsoleShell.Start(null, null, args);
