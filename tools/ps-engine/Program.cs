// Minimal host for the PowerShell engine: ps-engine [-NoProfile|-NoLogo|-NonInteractive]
//   (-File <path> [-Name value | -Switch | value …] | -Command <text> | -Command -)
// Output objects are written to stdout one per line; error records to stderr.
// Exit code: the script's `exit N`, else 1 when any error record or terminating error, else 0.
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
    // As pwsh -File binds them: "-Name value" and "-Name:value" by name, "-Name" alone as a switch
    // (when nothing or another parameter name follows), anything else by position.
    ps.AddCommand(Path.GetFullPath(rest[1]));
    var scriptArgs = rest.Skip(2).ToList();
    static bool IsName(string a) => a.Length > 1 && a[0] == '-' && char.IsLetter(a[1]);
    for (var i = 0; i < scriptArgs.Count; i++)
    {
        var arg = scriptArgs[i];
        if (!IsName(arg))
        {
            ps.AddArgument(arg);
            continue;
        }
        var colon = arg.IndexOf(':');
        if (colon > 0)
        {
            ps.AddParameter(arg[1..colon], arg[(colon + 1)..]);
        }
        else if (i + 1 < scriptArgs.Count && !IsName(scriptArgs[i + 1]))
        {
            ps.AddParameter(arg[1..], scriptArgs[++i]);
        }
        else
        {
            ps.AddParameter(arg[1..], true);
        }
    }
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
if (host.ExitCode is int code) return code;
return ps.HadErrors ? 1 : 0;

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
