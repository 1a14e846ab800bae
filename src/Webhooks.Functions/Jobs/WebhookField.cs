using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Jobs;

/// <summary>The webhook URL of a create call: a field and its alias (<c>webhook</c>/<c>webhook_url</c>).</summary>
internal static class WebhookField
{
    /// <summary>
    /// Null when neither is given. Errors go under the name the client used; both given and different is an error
    /// on <paramref name="name"/>.
    /// </summary>
    public static string? Read(RequestValidation validation, JsonElement root, string name, string? alias, bool requireHttps)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var primary = ReadOne(validation, root, name, requireHttps);
        if (alias is null)
        {
            return primary;
        }
        var secondary = ReadOne(validation, root, alias, requireHttps);
        if (primary is not null && secondary is not null && primary != secondary)
        {
            validation.Add(name, $"{name} and {alias} are the same setting; give one, or both with the same value.");
            return null;
        }
        return primary ?? secondary;
    }

    private static string? ReadOne(RequestValidation validation, JsonElement root, string name, bool requireHttps)
    {
        var url = validation.OptionalString(root, name, name, WebhookUrlRules.MaxLength);
        if (url is not null && WebhookUrlRules.Check(url, requireHttps) is { } error)
        {
            validation.Add(name, error);
            return null;
        }
        return url;
    }
}
