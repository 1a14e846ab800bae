using System.Diagnostics;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// Runs a verifier written against a library we did not write (Node's, Python's), as a script given inline, with the
/// delivery on standard input; from tools/, so that Node finds the npm packages installed there.
/// </summary>
internal static class VerifierScript
{
    /// <summary>The script's standard output; a non-zero exit fails the test with its standard error.</summary>
    public static async Task<string> RunAsync(string program, string inlineFlag, string script, string stdin)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Tools,
        };
        info.ArgumentList.Add(inlineFlag);
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
        return output;
    }
}
