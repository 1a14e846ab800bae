namespace Webhooks.Functions.Portal;

/// <summary>
/// The portal's stylesheet, compiled into the assembly: both hosts serve it from the same route without a static file
/// provider, and a published package cannot lose it.
/// </summary>
internal static class PortalStylesheet
{
    public static readonly string Text = Read();

    private static string Read()
    {
        using var stream = typeof(PortalStylesheet).Assembly.GetManifestResourceStream("Webhooks.Functions.Portal.portal.css")
            ?? throw new InvalidOperationException("The portal stylesheet is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
