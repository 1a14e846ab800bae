using System.Text.Json;
using Webhooks.Functions.Api;

namespace Webhooks.Functions.Teams;

/// <summary>The <c>asymmetric_signing</c> field of a team's or an endpoint's body (SPEC §13): absent, true or false.</summary>
internal static class AsymmetricSigningSetting
{
    public const string Field = "asymmetric_signing";

    public static Optional<bool> Read(RequestValidation validation, JsonElement root)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(Field, out var value))
        {
            return Optional<bool>.Absent;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return Optional<bool>.Of(value.GetBoolean());
        }
        validation.Add(Field, "must be true or false.");
        return Optional<bool>.Absent;
    }
}
