using System.Text.Json;
using System.Text.RegularExpressions;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// One resource declared anywhere in the compiled template (module templates included), with the variables of the
/// template that declares it, so that expressions such as <c>variables('x')</c> can be read as their values.
/// </summary>
internal sealed partial record ArmResource(JsonElement Element, IReadOnlyDictionary<string, string> Variables)
{
    public string Type => Element.GetProperty("type").GetString()!;

    public bool IsExisting => Element.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True;

    public JsonElement Properties => Element.GetProperty("properties");

    /// <summary>The raw JSON of <paramref name="propertyPath"/> with every <c>variables('x')</c> replaced by its string value.</summary>
    public string Expand(params string[] propertyPath)
    {
        var element = Element;
        foreach (var name in propertyPath)
        {
            element = element.GetProperty(name);
        }

        return VariableReference().Replace(
            element.GetRawText(),
            match => Variables.TryGetValue(match.Groups[1].Value, out var value) ? value : match.Value);
    }

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();
}
