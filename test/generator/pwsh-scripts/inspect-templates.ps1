# Parses every template of the shared functions on its own and says where each dap-gen marker
# stands: a whole single-quoted string ('dap-gen:Name', replaced by code) or inside a comment
# (dap-gen:Name, replaced by text); anything else is MISPLACED.
param(
    [Parameter(Mandatory)] [string] $TemplatesRoot
)
foreach ($file in [System.IO.Directory]::GetFiles($TemplatesRoot, '*.ps1', [System.IO.SearchOption]::AllDirectories)) {
    $relative = [System.IO.Path]::GetRelativePath($TemplatesRoot, $file).Replace('\', '/')
    $tokens = $null
    $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
    foreach ($parseError in $errors) { 'PARSE-ERROR {0}:{1} {2}' -f $relative, $parseError.Extent.StartLineNumber, $parseError.Message }
    'PARSED {0}' -f $relative
    foreach ($token in $tokens) {
        if (-not $token.Text.Contains('dap-gen:')) { continue }
        $line = $token.Extent.StartLineNumber
        if ($token.Kind -eq [System.Management.Automation.Language.TokenKind]::StringLiteral -and $token.Value -match '^dap-gen:([A-Za-z]+)$') {
            'MARKER {0}:{1} code {2}' -f $relative, $line, $Matches[1]
        }
        elseif ($token.Kind -eq [System.Management.Automation.Language.TokenKind]::Comment) {
            foreach ($match in [regex]::Matches($token.Text, "(?<!')dap-gen:([A-Za-z]+)")) { 'MARKER {0}:{1} text {2}' -f $relative, $line, $match.Groups[1].Value }
        }
        else {
            'MISPLACED {0}:{1} {2}' -f $relative, $line, $token.Text
        }
    }
}
'DONE'
