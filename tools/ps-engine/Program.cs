// Minimal host for the PowerShell engine: ps-engine [-NoProfile|-NoLogo|-NonInteractive]
//   (-File <path> [-Name value | -Switch | value …] | -Command <text> | -Command -)
// Output objects are written to stdout one per line; error records to stderr.
// Exit code, as pwsh's: the script's `exit N`, else 1 after a script-terminating error, else 0.
using System.Management.Automation;
using System.Management.Automation.Runspaces;

var rest = new List<string>(args);
while (rest.Count > 0 && rest[0] is "-NoProfile" or "-NoLogo" or "-NonInteractive")
{
    rest.RemoveAt(0);
}
if (rest.Count < 2 || (rest[0] != "-File" && rest[0] != "-Command"))
{
    Console.Error.WriteLine("usage: ps-engine [-NoProfile] (-File <path> [args…] | -Command <text>|-)");
    return 2;
}

var iss = InitialSessionState.CreateDefault2();
var host = new EngineHost();
using var runspace = RunspaceFactory.CreateRunspace(host, iss);
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;

if (rest[0] == "-File")
{
    // As pwsh -File collects them (CommandLineParameterParser): "-Name:value" is a named value,
    // "-Name:" takes the next argument, any other "-x" is a parameter name the binder pairs
    // with what follows, the rest is positional.
    var command = new Command(Path.GetFullPath(rest[1]), false, false);
    string? pending = null;
    foreach (var arg in rest.Skip(2))
    {
        if (pending != null)
        {
            command.Parameters.Add(new CommandParameter(pending, arg));
            pending = null;
        }
        else if (arg.Length > 1 && arg[0] == '-')
        {
            var colon = arg.IndexOf(':');
            if (colon == arg.Length - 1) pending = arg.TrimEnd(':');
            else if (colon >= 0) command.Parameters.Add(new CommandParameter(arg[..colon], BoolIfPossible(arg[(colon + 1)..])));
            else command.Parameters.Add(new CommandParameter(arg));
        }
        else
        {
            command.Parameters.Add(new CommandParameter(null, arg));
        }
    }
    ps.Commands.AddCommand(command);
    static object BoolIfPossible(string value) =>
        value.Length > 0 && bool.TryParse(value.AsSpan(value[0] == '$' ? 1 : 0), out var b) ? b : value;
}
else
{
    var text = rest[1] == "-" ? Console.In.ReadToEnd() : string.Join(' ', rest.Skip(1));
    ps.AddScript(text);
}

var output = new PSDataCollection<PSObject>();
output.DataAdded += (_, e) => Console.Out.WriteLine(output[e.Index]?.ToString());
ps.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine(ps.Streams.Error[e.Index]);
ps.Streams.Warning.DataAdded += (_, e) => Console.Error.WriteLine("WARNING: " + ps.Streams.Warning[e.Index]);
try
{
    ps.Invoke(null, output);
}
catch (Exception ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
// as pwsh: `exit N` in the script file sets $LASTEXITCODE; an error record alone does not fail
// the run; a script-terminating error does (above)
if (host.ExitCode is int code) return code;
return runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int last ? last : 0;

/// <summary>The smallest PSHost: it records the script's `exit` code and has no UI.</summary>
sealed class EngineHost : System.Management.Automation.Host.PSHost
{
    public int? ExitCode { get; private set; }
    public override string Name => "ps-engine";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override System.Management.Automation.Host.PSHostUserInterface? UI => null;
    public override System.Globalization.CultureInfo CurrentCulture => System.Globalization.CultureInfo.InvariantCulture;
    public override System.Globalization.CultureInfo CurrentUICulture => System.Globalization.CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}
